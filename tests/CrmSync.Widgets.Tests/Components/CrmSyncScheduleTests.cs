using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncScheduleTests : WidgetTestBase
{
    [Fact]
    public void Render_NoConnections_PointsAtConnectFlow()
    {
        // Act
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectHref, "/settings/integrations"));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("No CRM is connected yet.", cut.Find(".crmsync-schedule__empty").TextContent, StringComparison.Ordinal);
        Assert.Equal("/settings/integrations", cut.Find(".crmsync-schedule__empty a").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_ConnectionOffTheSchedule_SaysNotScheduledBesideAScheduledOne()
    {
        // Arrange
        var scheduled = await ConnectAsync();
        var manual = await Client.ConnectAsync(Tenant, Provider.Name, Provider.IssueTokens(), "Acme Manual", settings: new ConnectionSettings { RunOnSchedule = false });
        await Client.ChooseStartingPointAsync(Tenant, manual.Id, StartingPoint.Skip);
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, scheduled.Id);
        await Client.SyncNowAsync(Tenant, manual.Id);

        // Act
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        var manualRow = cut.Find($"[data-connection-id='{manual.Id}']");
        Assert.Equal("Active", manualRow.QuerySelector(".crmsync-pill__label")!.TextContent);
        Assert.Empty(manualRow.QuerySelectorAll(".crmsync-schedule__next time"));
        Assert.Equal("Not scheduled", manualRow.QuerySelector(".crmsync-schedule__next")!.TextContent.Trim());
        Assert.Empty(manualRow.QuerySelectorAll(".crmsync-schedule__next [aria-label]"));
        Assert.NotNull(cut.Find($"[data-connection-id='{scheduled.Id}'] .crmsync-schedule__next time"));
    }

    [Fact]
    public async Task Render_SeveralConnections_ListsEachWithLastSyncAndChip()
    {
        // Arrange
        var active = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, active.Id);
        var zoho = await Client.CreateConnectionAsync(Tenant, Zoho.Name, "eu");

        // Act
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        Assert.Equal(2, cut.FindAll(".crmsync-schedule__row").Count);
        var hubspot = cut.Find($"[data-connection-id='{active.Id}']");
        Assert.Contains("HubSpot", hubspot.TextContent, StringComparison.Ordinal);
        Assert.Equal("Active", hubspot.QuerySelector(".crmsync-pill__label")!.TextContent);
        Assert.Equal("2026-07-01T09:00:00Z", hubspot.QuerySelector(".crmsync-schedule__last time")!.GetAttribute("datetime"));
        var zohoRow = cut.Find($"[data-connection-id='{zoho.Id}']");
        Assert.Contains("Zoho CRM", zohoRow.TextContent, StringComparison.Ordinal);
        Assert.Equal("Setup incomplete", zohoRow.QuerySelector(".crmsync-pill__label")!.TextContent);
        Assert.Equal("Never", zohoRow.QuerySelector(".crmsync-schedule__last")!.TextContent.Trim());
    }

    [Fact]
    public async Task TryResync_ErrorConnection_RunsSyncAndClearsError()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);
        Assert.Equal("Error", cut.Find(".crmsync-pill__label").TextContent);

        // Act
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-schedule__resync")));
        cut.Find(".crmsync-schedule__resync").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find(".crmsync-pill__label").TextContent));
        Assert.NotNull(Provider.Find(CrmObjectType.Contact, "c1"));
        cut.WaitForAssertion(() => Assert.Null(cut.Find(".crmsync-schedule__message").GetAttribute("role")));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message.StartsWith("HubSpot: ", StringComparison.Ordinal) && a.Tone == CrmSyncTone.Success);
    }

    [Fact]
    public async Task Render_StaleConnection_LinksToDiagnostics()
    {
        // Arrange
        var connection = await ConnectAsync();
        Time.Advance(TimeSpan.FromHours(37));

        // Act
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("Stale", cut.Find(".crmsync-pill__label").TextContent);
        Assert.Contains("crmsync-tone--amber", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal("/settings/integrations/inmemory", cut.Find(".crmsync-schedule__diagnostics").GetAttribute("href"));
        Assert.Empty(cut.FindAll(".crmsync-schedule__resync"));
        Assert.NotEqual(Guid.Empty, connection.Id);
    }

    [Fact]
    public async Task Render_MemberOnErrorConnection_AsksAnAdminInsteadOfResync()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask an admin to resync this CRM.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-schedule__resync"));
    }

    [Fact]
    public async Task Poll_AfterScheduledRun_ShowsNewState()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);
        Assert.Equal("Never", cut.Find(".crmsync-schedule__last").TextContent.Trim());
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-schedule__last time")));
    }
}
