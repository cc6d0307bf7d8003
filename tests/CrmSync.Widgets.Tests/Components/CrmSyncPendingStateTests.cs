using CrmSync.Sdk.Sqlite;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrmSync.Widgets.Tests.Components;

/// <summary>Every button that calls the CRM shows it is running: disabled for clicks (aria-disabled), a spinner, aria-busy, until the call returns.</summary>
public class CrmSyncPendingStateTests : ImportWidgetTestBase
{
    private GatedStore? _gates;

    public CrmSyncPendingStateTests()
    {
        Services.RemoveAll<ICrmSyncStore>();
        Services.RemoveAll<ICrmImportStore>();
        Services.AddSingleton(sp =>
        {
            var (store, gates) = GatedStore.Wrap(sp.GetRequiredService<SqliteCrmSyncStore>());
            _gates = gates;
            return store;
        });
        Services.AddSingleton<ICrmSyncStore>(sp => sp.GetRequiredService<IGatedStoreContract>());
        Services.AddSingleton<ICrmImportStore>(sp => sp.GetRequiredService<IGatedStoreContract>());
    }

    private GatedStore Gates => _gates ?? throw new InvalidOperationException("The store was not resolved yet.");

    [Fact]
    public async Task Last24HoursRetry_WhileCallRuns_PendingThenAnnounced()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.RejectRecordsWhere(w => (CrmProblemType.RequiredFieldMissing, "Required field 'Company' is missing."));
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-last24__retry")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-last24__retry", "RequeueFailedAsync", "Retrying…");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-last24__message")));
        Assert.Contains(Announcements, a => a.StartsWith("Re-queued 1 failed record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResyncExisting_WhileCallRuns_PendingThenAnnounced()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncResyncButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.False(cut.Find(".crmsync-resync__button").HasAttribute("disabled")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-resync__button", "CountPendingAsync", "Syncing…");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-resync__message")));
        Assert.Single(Announcements);
    }

    [Fact]
    public async Task ScheduleTryResync_WhileCallRuns_Pending()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncSchedule>(p => p.Add(x => x.TenantId, Tenant));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-schedule__resync")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-schedule__resync", "GetConnectionAsync", "Syncing…");
    }

    [Fact]
    public async Task StartingPoint_WhileCallRuns_ChosenButtonPendingOtherDisabled()
    {
        // Arrange
        var connection = await ConnectAsync(startingPoint: StartingPoint.NotChosen);
        var cut = Render<CrmSyncStartingPoint>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-start__skip")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-start__skip", "GetConnectionAsync", "Saving…", () =>
        {
            Assert.True(cut.Find(".crmsync-start__import").HasAttribute("disabled"));
            Assert.Equal("true", cut.Find(".crmsync-start").GetAttribute("aria-busy"));
        });
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-start__result")));
        Assert.Single(Announcements);
    }

    [Fact]
    public async Task ImportWizardPreviewAndImport_WhileCallsRun_Pending()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        Provider.Seed([Deal("d1", created: Mar)]);
        var cut = Render<CrmSyncImportWizard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-import__preview", "GetConnectionAsync", "Reading…");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__start")));
        await AssertPendingAsync(cut, ".crmsync-import__start", "GetConnectionAsync", "Importing…", () => Assert.True(cut.Find(".crmsync-import__preview").HasAttribute("disabled")));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__run--completed")));
    }

    [Fact]
    public async Task FieldMappingSave_WhileCallRuns_PendingThenAnnounced()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__save")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-mapping__save", "UpdateConnectionAsync", "Saving…", () => Assert.True(cut.Find(".crmsync-mapping__add").HasAttribute("disabled")));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__saved")));
        Assert.Contains("Field mapping saved.", Announcements);
    }

    [Fact]
    public async Task LeadSourceComplete_WhileCallRuns_PendingThenAnnounced()
    {
        // Arrange
        Auth.SetRoles("admin");
        var integration = await LeadSources.CreateAsync(Admin, Tenant, "SalesHive", "SalesHive Partner");
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, "SalesHive Partner");
        var cut = Render<CrmSyncLeadSourceTracker>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.IntegrationId, integration.Id));
        cut.WaitForAssertion(() => Assert.False(cut.Find(".crmsync-leadsource__complete").HasAttribute("disabled")));

        // Act + Assert
        await AssertPendingAsync(cut, ".crmsync-leadsource__complete", "UpdateLeadSourceAsync", "Completing…");
        cut.WaitForAssertion(() => Assert.Contains("Setup complete: SalesHive is Active.", Announcements));
    }

    private IEnumerable<string> Announcements => Services.GetRequiredService<CrmSyncAnnouncer>().Items.Select(a => a.Message);

    private Task AssertPendingAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string button, string gatedMethod, string pendingText, Action? alsoWhilePending = null)
    {
        Gates.Close(gatedMethod);
        try
        {
            cut.Find(button).Click();
            cut.WaitForAssertion(() =>
            {
                var pending = cut.Find(button);
                Assert.Equal("true", pending.GetAttribute("aria-busy"));
                Assert.Equal("true", pending.GetAttribute("aria-disabled"));
                Assert.NotNull(pending.QuerySelector("svg[data-icon=Spinner]"));
                Assert.Equal(pendingText, pending.QuerySelector(".crmsync-button__label")!.TextContent.Trim());
            });
            alsoWhilePending?.Invoke();
        }
        finally
        {
            Gates.Open(gatedMethod);
        }

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll($"{button}[aria-busy]")));
        return Task.CompletedTask;
    }
}
