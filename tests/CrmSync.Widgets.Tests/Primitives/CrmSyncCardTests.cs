namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncCardTests : PrimitiveTestBase
{
    [Fact]
    public void Render_WithTitle_SectionIsNamedByItsHeading()
    {
        // Act
        var cut = Render<CrmSyncCard>(p => p
            .Add(x => x.Title, "HubSpot")
            .Add(x => x.HeadingLevel, 2)
            .Add(x => x.Subtitle, "Connected to Acme")
            .Add(x => x.Footer, "actions")
            .AddChildContent("<p>body</p>"));

        // Assert
        var section = cut.Find("section.crmsync-surface-card");
        var heading = cut.Find("h2");
        Assert.Equal("HubSpot", heading.TextContent);
        Assert.Equal(heading.Id, section.GetAttribute("aria-labelledby"));
        Assert.Equal("Connected to Acme", cut.Find(".crmsync-surface-card__subtitle").TextContent);
        Assert.Equal("actions", cut.Find("footer").TextContent);
        Assert.Equal("body", cut.Find(".crmsync-surface-card__body p").TextContent);
    }

    [Fact]
    public void Render_TwoCards_HaveDistinctTitleIds()
    {
        // Act
        var first = Render<CrmSyncCard>(p => p.Add(x => x.Title, "A"));
        var second = Render<CrmSyncCard>(p => p.Add(x => x.Title, "B"));

        // Assert
        Assert.NotEqual(first.Find("h3").Id, second.Find("h3").Id);
    }

    [Fact]
    public void Render_WithoutTitle_UsesAriaLabelAndNoHeader()
    {
        // Act
        var cut = Render<CrmSyncCard>(p => p.Add(x => x.AriaLabel, "Sync log").AddChildContent("x"));

        // Assert
        Assert.Equal("Sync log", cut.Find("section").GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll("header"));
    }

    [Theory]
    [InlineData(CrmSyncTone.Danger, "crmsync-surface-card--danger")]
    [InlineData(CrmSyncTone.Warning, "crmsync-surface-card--warning")]
    public void Render_Tone_AddsToneEdge(CrmSyncTone tone, string css)
    {
        // Act
        var cut = Render<CrmSyncCard>(p => p.Add(x => x.Title, "x").Add(x => x.Tone, tone));

        // Assert
        Assert.Contains(css, cut.Find("section").ClassList);
    }

    [Fact]
    public void Render_ClassAndAttributes_AreSplattedOnRoot()
    {
        // Act
        var cut = Render<CrmSyncCard>(p => p.Add(x => x.Title, "x").Add(x => x.Class, "host-card").AddUnmatched("data-test", "card"));

        // Assert
        var section = cut.Find("section");
        Assert.Contains("host-card", section.ClassList);
        Assert.Equal("card", section.GetAttribute("data-test"));
    }
}
