namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncStatusChipTests : WidgetTestBase
{
    [Theory]
    [InlineData(ConnectionStatus.Active, "Active", "crmsync-chip--active", "crmsync-tone--green")]
    [InlineData(ConnectionStatus.Stale, "Stale", "crmsync-chip--stale", "crmsync-tone--amber")]
    [InlineData(ConnectionStatus.Error, "Error", "crmsync-chip--error", "crmsync-tone--red")]
    [InlineData(ConnectionStatus.Revoked, "Disconnected", "crmsync-chip--revoked", "crmsync-tone--red")]
    [InlineData(ConnectionStatus.Disconnected, "Disconnected", "crmsync-chip--disconnected", "crmsync-tone--neutral")]
    [InlineData(ConnectionStatus.SetupIncomplete, "Setup incomplete", "crmsync-chip--setup-incomplete", "crmsync-tone--neutral")]
    public void Render_EachStatus_ShowsLabelChipAndTone(ConnectionStatus status, string label, string chipClass, string toneClass)
    {
        // Arrange
        var report = new ConnectionStatusReport(status, ConnectionHealth.Unknown, null, null, ConnectionHealth.Unknown, false);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report));

        // Assert
        var chip = cut.Find(".crmsync-chip");
        Assert.Equal(label, chip.QuerySelector(".crmsync-pill__label")!.TextContent);
        Assert.Contains(chipClass, chip.ClassList);
        Assert.Contains(toneClass, chip.ClassList);
        Assert.Empty(cut.FindAll("[aria-live], [role=status], [role=alert]"));
        Assert.NotNull(chip.QuerySelector("svg[data-icon]"));
    }

    [Fact]
    public void Render_PausedAutomatically_ShowsReasonInAmber()
    {
        // Arrange
        var report = new ConnectionStatusReport(ConnectionStatus.Paused, ConnectionHealth.Amber, "Expired credentials", null, ConnectionHealth.Unknown, true);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report));

        // Assert
        Assert.Equal("Paused", cut.Find(".crmsync-pill__label").TextContent);
        Assert.Contains("crmsync-tone--amber", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal("Expired credentials", cut.Find(".crmsync-status__reason").TextContent);
    }

    [Fact]
    public void Render_DailyLimitPause_ShowsWhenItResumesInWordsWithExactTime()
    {
        // Arrange
        var resumesAt = Time.GetUtcNow().AddHours(3);
        var report = new ConnectionStatusReport(ConnectionStatus.Paused, ConnectionHealth.Amber, "HubSpot daily API limit reached; syncing resumes when it resets.", null, ConnectionHealth.Unknown, false)
        {
            ReasonKind = StatusReasonKind.DailyLimit,
            ResumesAt = resumesAt,
        };

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report));

        // Assert
        var reason = cut.Find(".crmsync-status__reason");
        Assert.Equal("HubSpot daily API limit reached; syncing resumes when it resets. Resumes automatically in 3 hours.", Visible(reason));
        Assert.Equal("2026-07-01T12:00:00Z", reason.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.DoesNotContain("UTC.", reason.QuerySelector(".crmsync-time__text")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ProviderOutage_SaysSinceWhenInWords()
    {
        // Arrange
        var report = new ConnectionStatusReport(ConnectionStatus.Paused, ConnectionHealth.Amber, "HubSpot is not responding; CrmSync retries automatically.", null, ConnectionHealth.Unknown, false)
        {
            ReasonKind = StatusReasonKind.ProviderOutage,
            Since = Time.GetUtcNow().AddMinutes(-20),
        };

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report));

        // Assert
        Assert.Equal("HubSpot is not responding; CrmSync retries automatically. Started 20 minutes ago.", Visible(cut.Find(".crmsync-status__reason")));
    }

    [Fact]
    public void Render_PausedByUser_IsNeutral()
    {
        // Arrange
        var report = new ConnectionStatusReport(ConnectionStatus.Paused, ConnectionHealth.Green, "Paused by a user.", null, ConnectionHealth.Unknown, false);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report));

        // Assert
        Assert.Contains("crmsync-tone--neutral", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal("Paused by a user.", cut.Find(".crmsync-status__reason").TextContent);
    }

    [Fact]
    public async Task Render_RevokedConnection_ShowsDisconnectedWithReasonAndNoLiveRegion()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.Revoke("The app was uninstalled from the CRM account.");
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var revoked = await Client.GetConnectionAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, revoked.Status));

        // Assert
        Assert.Equal("Disconnected", cut.Find(".crmsync-pill__label").TextContent);
        var reason = cut.Find(".crmsync-status__reason");
        Assert.Null(reason.GetAttribute("role"));
        Assert.Empty(cut.FindAll("[aria-live], [role=status], [role=alert]"));
        Assert.Contains("uninstalled", reason.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowReasonFalse_HidesReason()
    {
        // Arrange
        var report = new ConnectionStatusReport(ConnectionStatus.Error, ConnectionHealth.Red, "Boom", null, ConnectionHealth.Unknown, true);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report).Add(x => x.ShowReason, false));

        // Assert
        Assert.Empty(cut.FindAll(".crmsync-status__reason"));
    }

    [Fact]
    public void Render_BaseParameters_AppliedToRoot()
    {
        // Arrange
        var report = new ConnectionStatusReport(ConnectionStatus.Active, ConnectionHealth.Green, null, null, ConnectionHealth.Unknown, false);

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, report).Add(x => x.Id, "chip1").Add(x => x.Class, "mine").Add(x => x.Style, "--crmsync-green: teal").AddUnmatched("data-test", "x"));

        // Assert
        var root = cut.Find(".crmsync-status");
        Assert.Equal("chip1", root.Id);
        Assert.Contains("mine", root.ClassList);
        Assert.Equal("--crmsync-green: teal", root.GetAttribute("style"));
        Assert.Equal("x", root.GetAttribute("data-test"));
    }

    private static string Visible(AngleSharp.Dom.IElement element)
    {
        var copy = (AngleSharp.Dom.IElement)element.Clone(deep: true);
        foreach (var exact in copy.QuerySelectorAll(".crmsync-time__exact").ToList())
        {
            exact.Remove();
        }

        return System.Text.RegularExpressions.Regex.Replace(copy.TextContent, @"\s+", " ").Trim();
    }
}
