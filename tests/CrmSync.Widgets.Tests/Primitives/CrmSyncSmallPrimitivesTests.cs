namespace CrmSync.Widgets.Tests.Primitives;

public class CrmSyncSmallPrimitivesTests : PrimitiveTestBase
{
    [Theory]
    [InlineData(CrmSyncTone.Success, "crmsync-pill--success")]
    [InlineData(CrmSyncTone.Warning, "crmsync-pill--warning")]
    [InlineData(CrmSyncTone.Danger, "crmsync-pill--danger")]
    [InlineData(CrmSyncTone.Info, "crmsync-pill--info")]
    [InlineData(CrmSyncTone.Neutral, "crmsync-pill--neutral")]
    public void StatusPill_Tone_SaysItInWordsAndColour(CrmSyncTone tone, string css)
    {
        // Act
        var cut = Render<CrmSyncStatusPill>(p => p.Add(x => x.Tone, tone).Add(x => x.Icon, CrmSyncIconName.Check).AddChildContent("Synced"));

        // Assert
        var pill = cut.Find(".crmsync-pill");
        Assert.Contains(css, pill.ClassList);
        Assert.Equal("Synced", pill.QuerySelector(".crmsync-pill__label")!.TextContent);
        Assert.Equal("true", pill.QuerySelector("svg")!.GetAttribute("aria-hidden"));
    }

    [Fact]
    public void Stat_WithHint_RendersTermAndDefinitions()
    {
        // Act
        var cut = Render<CrmSyncStatGroup>(p => p.Add(x => x.AriaLabel, "Last 24 hours").AddChildContent<CrmSyncStat>(s => s
            .Add(x => x.Label, "Failed")
            .Add(x => x.Value, "3")
            .Add(x => x.Hint, "since 9:00")
            .Add(x => x.Tone, CrmSyncTone.Danger)));

        // Assert
        Assert.Equal("Last 24 hours", cut.Find("dl").GetAttribute("aria-label"));
        Assert.Equal("Failed", cut.Find("dt").TextContent.Trim());
        Assert.Equal(["3", "since 9:00"], cut.FindAll("dd").Select(d => d.TextContent));
        Assert.Contains("crmsync-stat--danger", cut.Find(".crmsync-stat").ClassList);
    }

    [Fact]
    public void Table_Caption_IsForScreenReadersUnlessVisible()
    {
        // Act
        var hidden = Render<CrmSyncTable>(p => p.Add(x => x.Caption, "Sync log").AddChildContent("<tbody><tr><td data-label=\"Time\">now</td></tr></tbody>"));
        var visible = Render<CrmSyncTable>(p => p.Add(x => x.Caption, "Sync log").Add(x => x.CaptionVisible, true).Add(x => x.Collapse, false));

        // Assert
        Assert.Contains("crmsync-visually-hidden", hidden.Find("caption").ClassList);
        Assert.Equal("true", hidden.Find(".crmsync-table-frame").GetAttribute("data-collapse"));
        Assert.Equal("Time", hidden.Find("td").GetAttribute("data-label"));
        Assert.Contains("crmsync-table__caption", visible.Find("caption").ClassList);
        Assert.Equal("false", visible.Find(".crmsync-table-frame").GetAttribute("data-collapse"));
    }

    [Fact]
    public void EmptyState_WithActions_ShowsTitleTextAndAction()
    {
        // Act
        var cut = Render<CrmSyncEmptyState>(p => p
            .Add(x => x.Icon, CrmSyncIconName.Activity)
            .Add(x => x.Title, "No activity yet")
            .Add(x => x.Actions, "<a href=\"/connect\">Connect</a>")
            .AddChildContent("Records appear here once syncing starts."));

        // Assert
        Assert.Equal("No activity yet", cut.Find(".crmsync-empty__title").TextContent);
        Assert.Equal("Records appear here once syncing starts.", cut.Find(".crmsync-empty__text").TextContent);
        Assert.Equal("/connect", cut.Find(".crmsync-empty__actions a").GetAttribute("href"));
        Assert.Equal("Activity", cut.Find("svg").GetAttribute("data-icon"));
    }

    [Fact]
    public void Toolbar_IsNamedGroup()
    {
        // Act
        var cut = Render<CrmSyncToolbar>(p => p.Add(x => x.AriaLabel, "Import actions").Add(x => x.Align, CrmSyncToolbarAlign.End).AddChildContent("<button>Approve</button>"));

        // Assert
        var toolbar = cut.Find(".crmsync-toolbar");
        Assert.Equal("group", toolbar.GetAttribute("role"));
        Assert.Equal("Import actions", toolbar.GetAttribute("aria-label"));
        Assert.Contains("crmsync-toolbar--end", toolbar.ClassList);
    }

    [Theory]
    [InlineData(CrmSyncTone.Success, "CheckCircle")]
    [InlineData(CrmSyncTone.Warning, "Warning")]
    [InlineData(CrmSyncTone.Danger, "AlertCircle")]
    [InlineData(CrmSyncTone.Info, "Info")]
    public void Callout_Tone_PicksItsIcon(CrmSyncTone tone, string icon)
    {
        // Act
        var cut = Render<CrmSyncCallout>(p => p.Add(x => x.Tone, tone).Add(x => x.Title, "Title").Add(x => x.Role, "status").AddChildContent("Text"));

        // Assert
        Assert.Equal(icon, cut.Find("svg").GetAttribute("data-icon"));
        Assert.Equal("status", cut.Find(".crmsync-callout").GetAttribute("role"));
        Assert.Equal("Title", cut.Find(".crmsync-callout__title").TextContent);
    }

    [Fact]
    public void SectionHeader_Level_RendersThatHeading()
    {
        // Act
        var cut = Render<CrmSyncSectionHeader>(p => p.Add(x => x.Title, "Field mapping").Add(x => x.Level, 2).Add(x => x.HeadingId, "fm").Add(x => x.Description, "What goes where"));

        // Assert
        Assert.Equal("fm", cut.Find("h2").Id);
        Assert.Equal("Field mapping", cut.Find("h2").TextContent.Trim());
        Assert.Equal("What goes where", cut.Find(".crmsync-section-header__description").TextContent);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Heading_LevelOutOfRange_Throws(int level)
    {
        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => Render<CrmSyncHeading>(p => p.Add(x => x.Level, level)));

        // Assert
        Assert.Contains(level.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }
}
