namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncIconTests : PrimitiveTestBase
{
    public static TheoryData<CrmSyncIconName> AllIcons()
    {
        var data = new TheoryData<CrmSyncIconName>();
        foreach (var name in Enum.GetValues<CrmSyncIconName>())
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllIcons))]
    public void Render_EveryIcon_DrawsInlineSvgHiddenFromAssistiveTechnology(CrmSyncIconName name)
    {
        // Act
        var cut = Render<CrmSyncIcon>(p => p.Add(x => x.Name, name));

        // Assert
        var svg = cut.Find("svg");
        Assert.Equal("true", svg.GetAttribute("aria-hidden"));
        Assert.Equal("false", svg.GetAttribute("focusable"));
        Assert.Equal("currentColor", svg.GetAttribute("stroke"));
        Assert.NotEmpty(svg.Children);
        Assert.DoesNotMatch(@"[\u2600-\u27BF\u2B00-\u2BFF]|[\uD83C-\uD83E]", cut.Markup);
    }

    [Fact]
    public void Render_WithLabel_IsNamedImage()
    {
        // Act
        var cut = Render<CrmSyncIcon>(p => p.Add(x => x.Name, CrmSyncIconName.Warning).Add(x => x.Label, "Warning"));

        // Assert
        var svg = cut.Find("svg");
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Equal("Warning", svg.GetAttribute("aria-label"));
        Assert.False(svg.HasAttribute("aria-hidden"));
    }

    [Fact]
    public void Render_Spinner_Spins()
    {
        // Act
        var cut = Render<CrmSyncIcon>(p => p.Add(x => x.Name, CrmSyncIconName.Spinner));

        // Assert
        Assert.Contains("crmsync-icon--spin", cut.Find("svg").ClassList);
    }
}
