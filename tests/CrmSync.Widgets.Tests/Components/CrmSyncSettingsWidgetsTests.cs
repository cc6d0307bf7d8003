using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncSettingsWidgetsTests : WidgetTestBase
{
    [Fact]
    public async Task StartingPoint_Import_QueuesExistingContacts()
    {
        // Arrange
        var connection = await ConnectAsync(startingPoint: StartingPoint.NotChosen);
        var cut = Render<CrmSyncStartingPoint>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.ExistingContactCount, 3));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal("Import 3 contacts", cut.Find(".crmsync-start__import").TextContent.Trim()));
        Assert.Equal("Skip, only sync new activity", cut.Find(".crmsync-start__skip").TextContent);

        // Act
        cut.Find(".crmsync-start__import").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Importing 3 existing contacts.", cut.Find(".crmsync-start__result").TextContent, StringComparison.Ordinal));
        var after = await Client.GetConnectionAsync(Tenant, connection.Id);
        Assert.Equal(StartingPoint.ImportExisting, after.State.StartingPoint);
        Assert.True(after.ImportRunning);
    }

    [Fact]
    public async Task StartingPoint_Skip_RecordsSkipAndQueuesNothing()
    {
        // Arrange
        var connection = await ConnectAsync(startingPoint: StartingPoint.NotChosen);
        var cut = Render<CrmSyncStartingPoint>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Act
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-start__skip")));
        cut.Find(".crmsync-start__skip").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-start__result")));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message == cut.Find(".crmsync-start__result .crmsync-callout__text").TextContent.Trim());
        var after = await Client.GetConnectionAsync(Tenant, connection.Id);
        Assert.Equal(StartingPoint.Skip, after.State.StartingPoint);
        Assert.False(after.ImportRunning);
    }

    [Fact]
    public async Task StartingPoint_AlreadyChosen_RendersNothing()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncStartingPoint>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Equal(string.Empty, cut.Markup.Trim());
    }

    [Fact]
    public async Task Resync_ImportRunning_IsDisabledWithReason()
    {
        // Arrange
        var connection = await ConnectAsync(startingPoint: StartingPoint.ImportExisting);

        // Act
        var cut = Render<CrmSyncResyncButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.True(cut.Find(".crmsync-resync__button").HasAttribute("disabled")));
        Assert.Contains("An import is running.", cut.Find(".crmsync-resync__help").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resync_AfterSkip_QueuesExistingContactsAndDisablesWhileRunning()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncResyncButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.False(cut.Find(".crmsync-resync__button").HasAttribute("disabled")));

        // Act
        cut.Find(".crmsync-resync__button").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Queued 3 existing contacts.", cut.Find(".crmsync-resync__message").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.True(cut.Find(".crmsync-resync__button").HasAttribute("disabled")));
        await Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal(3, Provider.GetRecords(CrmObjectType.Contact).Count);
    }

    [Fact]
    public async Task Toggles_ConnectionOffTheSchedule_SaysItSyncsOnlyOnDemand()
    {
        // Arrange
        var connection = await Client.ConnectAsync(Tenant, Provider.Name, Provider.IssueTokens(), "Acme Manual", settings: new ConnectionSettings { RunOnSchedule = false });

        // Act
        var cut = Render<CrmSyncSyncToggles>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("syncs only on demand", cut.Find(".crmsync-toggles__help").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("every", cut.Find(".crmsync-toggles__help").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toggles_TurnCallsOff_SavesAndStopsRoutingCalls()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncSyncToggles>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("input[role=switch]").Count));
        Assert.All(cut.FindAll("input[role=switch]"), i => Assert.True(i.HasAttribute("checked")));
        Assert.Contains("which runs every 5 minutes", cut.Find(".crmsync-toggles__help").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find("[data-toggle=Calls] input").Change(false);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Calls no longer sync to your CRM.", cut.Find(".crmsync-toggles__message .crmsync-callout__text").TextContent.Trim()));
        Assert.False((await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Toggles.Calls);
        Assert.Equal("Off", cut.Find("[data-toggle=Calls] .crmsync-toggle__state").TextContent.Trim());
        var result = await Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Call, "call-1", new Dictionary<string, string?>()) { ContactSourceId = "c1" });
        Assert.Equal(1, result.NotRouted);
    }

    [Fact]
    public async Task OwnerPicker_CrmListsUsers_SavesOwnerForNewRecords()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncRecordOwnerPicker>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".crmsync-owner__select option").Count));
        Assert.Contains("This applies to new records only", cut.Find(".crmsync-owner__help").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-owner__select").Change("owner-2");

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("New records will be assigned to Alan Turing.", cut.Find(".crmsync-owner__message").TextContent));
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal("owner-2", Provider.Find(CrmObjectType.Contact, "c1")!.OwnerId);
    }

    [Fact]
    public async Task OwnerPicker_CrmCannotListUsers_RendersNothing()
    {
        // Arrange
        var connection = await Client.ConnectAsync(Tenant, Zoho.Name, Zoho.IssueTokens(), "Zoho EU", "eu");

        // Act
        var cut = Render<CrmSyncRecordOwnerPicker>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Empty(cut.FindAll(".crmsync-owner"));
    }
}
