using System.Text.Json;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;
using static CrmSync.Sdk.Sqlite.Tests.ImportFixtures;

namespace CrmSync.Sdk.Sqlite.Tests.Isolation;

/// <summary>
/// Issue 15, isolation: tenant B, holding every id of tenant A (connection, alert, inbox items, import run, lead source,
/// sign-in state, pending install, timeline record), can neither read nor change anything of A's through the SDK's public
/// facade (<see cref="CrmSyncClient"/>, <see cref="CrmImportClient"/>, <see cref="CrmLeadSourceClient"/>,
/// <see cref="CrmSyncWorkflowStep"/>). Each call either throws the documented not-found error, naming the id and tenant B, or
/// returns nothing; and a snapshot of everything A can read is identical before and after.
/// </summary>
public class TenantIsolationTests
{
    private const string TenantA = SyncHarness.Tenant;
    private const string TenantB = "tenant-b";
    private const string LeadId = "lead-1";
    private static readonly Uri Callback = new("https://app.example.test/crm/callback");

    [Fact]
    public async Task SnapshotAsync_TenantAChangesItsOwnData_SeesEachChange()
    {
        // Arrange: guards every test below, which relies on the snapshot seeing a change to tenant A.
        await using var s = await Scenario.CreateAsync();
        var before = await s.SnapshotAsync();

        // Act
        await s.H.Client.AcknowledgeAlertAsync(TenantA, s.A.AlertId, "ada");
        var acknowledged = await s.SnapshotAsync();
        await s.H.Imports.RejectAsync(Admin, TenantA, [s.A.InboxItemIds[0]]);
        var rejected = await s.SnapshotAsync();
        await s.H.LeadSources.PauseAsync(Manager, TenantA, s.A.LeadSourceId);
        var paused = await s.SnapshotAsync();

        // Assert
        Assert.NotEqual(before, acknowledged);
        Assert.NotEqual(acknowledged, rejected);
        Assert.NotEqual(rejected, paused);
    }

    // ---- CrmSyncClient: calls taking a connection id refuse another tenant's with KeyNotFoundException ----

    [Fact]
    public Task GetConnectionAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.GetConnectionAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task SetCredentialsAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItsSignInUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.SetCredentialsAsync(TenantB, a.ConnectionId, s.H.Provider.IssueTokens(), "Mallory's CRM"));

    [Fact]
    public Task UpdateSettingsAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.UpdateSettingsAsync(TenantB, a.ConnectionId, c => c with { Direction = SyncDirection.Send }));

    [Fact]
    public Task SaveFieldMappingAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.SaveFieldMappingAsync(TenantB, a.ConnectionId, FieldMapping.Empty));

    [Fact]
    public Task MarkMappingReviewedAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.MarkMappingReviewedAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task ChooseStartingPointAsync_AnotherTenantsConnection_ThrowsNotFoundAndQueuesNothing() =>
        RefusedAsync((s, a) => s.H.Client.ChooseStartingPointAsync(TenantB, a.ConnectionId, StartingPoint.ImportExisting));

    [Fact]
    public Task ResyncExistingAsync_AnotherTenantsConnection_ThrowsNotFoundAndQueuesNothing() =>
        RefusedAsync((s, a) => s.H.Client.ResyncExistingAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task SyncNowAsync_AnotherTenantsConnection_ThrowsNotFoundAndPushesNothing() =>
        RefusedAsync((s, a) => s.H.Client.SyncNowAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task RetryFailedRecordsAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItsFailureLedger() =>
        RefusedAsync((s, a) => s.H.Client.RetryFailedRecordsAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task TryResyncAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItsFailureLedger() =>
        RefusedAsync((s, a) => s.H.Client.TryResyncAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task SendTestContactAsync_AnotherTenantsConnection_ThrowsNotFoundAndSendsNothing() =>
        RefusedAsync((s, a) => s.H.Client.SendTestContactAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task PauseAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItRunning() =>
        RefusedAsync((s, a) => s.H.Client.PauseAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task ResumeAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.ResumeAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task DisconnectAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItConnected() =>
        RefusedAsync((s, a) => s.H.Client.DisconnectAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task ReconnectAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.ReconnectAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task DismissSetupChecklistAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.DismissSetupChecklistAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task GetCrmUsersAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Client.GetCrmUsersAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task GetSyncLogAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Client.GetSyncLogAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task GetRecentActivityAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Client.GetRecentActivityAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task GetLast24HoursAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Client.GetLast24HoursAsync(TenantB, a.ConnectionId));

    [Fact]
    public Task BeginSignInAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Client.BeginSignInAsync(TenantB, a.ConnectionId, Callback));

    [Fact]
    public Task ChangeDatacenterAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.Client.ChangeDatacenterAsync(TenantB, a.ConnectionId, "eu"));

    [Fact]
    public Task AcknowledgeAlertsAsync_AnotherTenantsConnection_ThrowsNotFoundAndLeavesItsAlertsOpen() =>
        RefusedAsync((s, a) => s.H.Client.AcknowledgeAlertsAsync(TenantB, a.ConnectionId));

    // ---- CrmSyncClient: calls whose contract is "nothing" for another tenant's ids ----

    [Fact]
    public Task DeleteConnectionAsync_AnotherTenantsConnection_ReturnsFalseAndDeletesNothing() =>
        NothingAsync(async (s, a) => Assert.False(await s.H.Client.DeleteConnectionAsync(TenantB, a.ConnectionId)));

    [Fact]
    public Task AcknowledgeAlertAsync_AnotherTenantsAlert_ReturnsFalseAndLeavesItOpen() =>
        NothingAsync(async (s, a) => Assert.False(await s.H.Client.AcknowledgeAlertAsync(TenantB, a.AlertId, "mallory")));

    [Fact]
    public Task AcknowledgeAlertsAsync_AllOfTenantB_LeavesTenantAsAlertsOpen() =>
        NothingAsync((s, _) => s.H.Client.AcknowledgeAlertsAsync(TenantB));

    [Fact]
    public Task GetAlertsAsync_TenantB_NeverListsTenantAsAlerts() =>
        NothingAsync(async (s, _) => Assert.Empty(await s.H.Client.GetAlertsAsync(TenantB, openOnly: false)));

    [Fact]
    public Task NeedsAttentionAsync_OnlyTenantANeedsIt_FalseForTenantB() =>
        NothingAsync(async (s, _) =>
        {
            Assert.True(await s.H.Client.NeedsAttentionAsync(TenantA));
            Assert.False(await s.H.Client.NeedsAttentionAsync(TenantB));
        });

    [Fact]
    public Task GetConnectionsAsync_TenantB_ListsOnlyItsOwn() =>
        NothingAsync(async (s, _) => Assert.Equal([s.B], (await s.H.Client.GetConnectionsAsync(TenantB)).Select(c => c.Id)));

    [Fact]
    public Task DisconnectAllAsync_TenantB_DisconnectsOnlyItsOwn() =>
        NothingAsync(async (s, _) => Assert.Equal(1, await s.H.Client.DisconnectAllAsync(TenantB)));

    [Fact]
    public Task EnqueueAsync_ChangeAimedAtAnotherTenantsConnection_IsNotRoutedAndQueuesNothingThere() =>
        NothingAsync(async (s, a) =>
        {
            var result = await s.H.Client.EnqueueAsync(TenantB, SyncHarness.Contact("mallory") with { ConnectionId = a.ConnectionId });
            Assert.Equal(new EnqueueResult(0, 0, 1), result);
        });

    [Fact]
    public Task CompleteSignInAsync_StateTenantABegan_RefusedAndTenantAsSignInUnchanged() =>
        NothingAsync(async (s, a) =>
        {
            var refused = await Assert.ThrowsAsync<CrmValidationException>(() => s.H.Client.CompleteSignInAsync(TenantB, a.SignInState, "code-of-mallory", new Dictionary<string, string>()));
            Assert.Contains("started in another workspace", refused.Message, StringComparison.Ordinal);
        });

    [Fact]
    public Task GetPendingInstallAsync_AnotherTenantsInstall_ReturnsNull() =>
        NothingAsync(async (s, a) =>
        {
            Assert.Null(await s.H.Client.GetPendingInstallAsync(TenantB, a.InstallId));
            Assert.NotNull(await s.H.Client.GetPendingInstallAsync(TenantA, a.InstallId));
        });

    [Fact]
    public Task ConfirmInstallAsync_AnotherTenantsInstall_RefusedAndConnectsNothingAnywhere() =>
        NothingAsync(async (s, a) =>
        {
            var refused = await Assert.ThrowsAsync<CrmValidationException>(() => s.H.Client.ConfirmInstallAsync(TenantB, a.InstallId));
            Assert.Contains("unknown, already finished or expired", refused.Message, StringComparison.Ordinal);
            Assert.Equal([s.B], (await s.H.Client.GetConnectionsAsync(TenantB)).Select(c => c.Id));

            // By design (see PipedriveMarketplaceInstallTests) an install presented by another workspace is used up, not left to retry.
            Assert.Null(await s.H.Client.GetPendingInstallAsync(TenantA, a.InstallId));
        });

    // ---- Bad input names what is wrong ----

    [Fact]
    public async Task GetConnectionAsync_UnknownTenant_ThrowsNamingTheConnectionAndTenant()
    {
        // Arrange
        await using var s = await Scenario.CreateAsync();

        // Act
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => s.H.Client.GetConnectionAsync("tenant-nobody", s.A.ConnectionId));

        // Assert
        Assert.Equal($"Connection {s.A.ConnectionId} does not exist for tenant 'tenant-nobody'.", ex.Message);
    }

    [Fact]
    public async Task PauseAsync_UnknownConnection_ThrowsNamingTheConnectionAndTenant()
    {
        // Arrange
        await using var s = await Scenario.CreateAsync();
        var unknown = Guid.NewGuid();

        // Act
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => s.H.Client.PauseAsync(TenantA, unknown));

        // Assert
        Assert.Equal($"Connection {unknown} does not exist for tenant '{TenantA}'.", ex.Message);
    }

    // ---- CrmImportClient: runs and the inbox ----

    [Fact]
    public Task PreviewImportAsync_AnotherTenantsConnection_ThrowsNotFoundAndReadsNothing() =>
        RefusedAsync((s, a) => s.H.Imports.PreviewImportAsync(Manager, TenantB, a.ConnectionId, LostDeals));

    [Fact]
    public Task StartImportAsync_AnotherTenantsConnection_ThrowsNotFoundAndImportsNothing() =>
        RefusedAsync((s, a) => s.H.Imports.StartImportAsync(Manager, TenantB, a.ConnectionId, LostDeals));

    [Fact]
    public Task GetImportRunsAsync_AnotherTenantsConnection_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Imports.GetImportRunsAsync(Manager, TenantB, a.ConnectionId));

    [Fact]
    public Task GetImportRunAsync_AnotherTenantsRun_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.Imports.GetImportRunAsync(Manager, TenantB, a.ImportRunId), a => a.ImportRunId);

    [Fact]
    public Task ResumeImportAsync_AnotherTenantsRun_ThrowsNotFoundAndImportsNothing() =>
        RefusedAsync((s, a) => s.H.Imports.ResumeImportAsync(Manager, TenantB, a.ImportRunId), a => a.ImportRunId);

    [Fact]
    public Task GetInboxAsync_TenantB_NeverListsTenantAsItems() =>
        NothingAsync(async (s, a) =>
        {
            Assert.Empty(await s.H.Imports.GetInboxAsync(Admin, TenantB, new CrmInboxQuery { State = null }));
            Assert.Empty(await s.H.Imports.GetInboxAsync(Admin, TenantB, new CrmInboxQuery { State = null, ConnectionId = a.ConnectionId }));
        });

    [Fact]
    public Task CountInboxAsync_AnotherTenantsConnection_CountsNothing() =>
        NothingAsync(async (s, a) =>
        {
            Assert.Equal(new CrmInboxCounts(0, 0, 0, 0), await s.H.Imports.CountInboxAsync(Admin, TenantB, a.ConnectionId));
            Assert.Equal(new CrmInboxCounts(0, 0, 0, 0), await s.H.Imports.CountInboxAsync(Admin, TenantB));
        });

    [Fact]
    public Task ApproveAsync_AnotherTenantsItems_ApprovesAndDeliversNothing() =>
        NothingAsync(async (s, a) => Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.ApproveAsync(Admin, TenantB, a.InboxItemIds)));

    [Fact]
    public Task RejectAsync_AnotherTenantsItems_RejectsNothing() =>
        NothingAsync(async (s, a) => Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.RejectAsync(Admin, TenantB, a.InboxItemIds)));

    [Fact]
    public Task ApproveAllAsync_AnotherTenantsConnection_ApprovesAndDeliversNothing() =>
        NothingAsync(async (s, a) => Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.ApproveAllAsync(Admin, TenantB, a.ConnectionId)));

    [Fact]
    public Task RejectAllAsync_AnotherTenantsConnection_RejectsNothing() =>
        NothingAsync(async (s, a) => Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.RejectAllAsync(Admin, TenantB, a.ConnectionId)));

    [Fact]
    public Task DeliverApprovedAsync_AnotherTenantsApprovedItem_DeliversNothing() =>
        NothingAsync(async (s, a) =>
        {
            Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.DeliverApprovedAsync(TenantB, a.ConnectionId));
            Assert.Equal(new CrmInboxDecisionResult(0, 0, null), await s.H.Imports.DeliverApprovedAsync(TenantB));
        });

    // ---- CrmLeadSourceClient ----

    [Fact]
    public Task LeadSourceGetAsync_AnotherTenantsIntegration_ThrowsNotFound() =>
        RefusedAsync((s, a) => s.H.LeadSources.GetAsync(TenantB, a.LeadSourceId), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourceGetAllAsync_TenantB_NeverListsTenantAsIntegrations() =>
        NothingAsync(async (s, _) => Assert.Empty(await s.H.LeadSources.GetAllAsync(TenantB)));

    [Fact]
    public Task LeadSourceReceiveLeadAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.ReceiveLeadAsync(TenantB, a.LeadSourceId, "partner-x"), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourceCompleteSetupAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.CompleteSetupAsync(Manager, TenantB, a.LeadSourceId), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourcePauseAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.PauseAsync(Manager, TenantB, a.LeadSourceId), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourceResumeAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.ResumeAsync(Manager, TenantB, a.LeadSourceId), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourceReportValidationAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.ReportValidationAsync(TenantB, a.LeadSourceId, credentialsValid: false, "mallory"), a => a.LeadSourceId);

    [Fact]
    public Task LeadSourceReportSyncAsync_AnotherTenantsIntegration_ThrowsNotFoundAndLeavesItUnchanged() =>
        RefusedAsync((s, a) => s.H.LeadSources.ReportSyncAsync(TenantB, a.LeadSourceId, succeeded: false, "mallory"), a => a.LeadSourceId);

    // ---- CrmSyncWorkflowStep: record timelines ----

    [Fact]
    public Task GetTimelineAsync_TenantAsRecordId_EmptyForTenantB() =>
        NothingAsync(async (s, _) =>
        {
            Assert.NotEmpty(await s.Step.GetTimelineAsync(TenantA, LeadId));
            Assert.Empty(await s.Step.GetTimelineAsync(TenantB, LeadId));
        });

    [Fact]
    public Task RunAsync_TenantBUsesTenantAsRecordId_UsesOnlyTenantBsConnectionAndTimeline() =>
        NothingAsync(async (s, _) =>
        {
            var result = await s.Step.RunAsync(Lead(TenantB));
            Assert.True(result.Succeeded);
            Assert.Equal(s.B, result.ConnectionId);
            Assert.All(result.Timeline, e => Assert.Equal(TenantB, e.TenantId));
        });

    private static CrmSyncStepRequest Lead(string tenant) => new()
    {
        TenantId = tenant,
        LeadId = LeadId,
        Lead = new Dictionary<string, string?> { [CrmFieldNames.Name] = "Grace Hopper", [CrmFieldNames.Email] = "grace@example.test" },
        SyncFields = new Dictionary<string, string>(),
    };

    /// <summary>Tenant B's call must throw KeyNotFoundException naming the id and tenant B, and leave tenant A exactly as it was.</summary>
    private static async Task RefusedAsync(Func<Scenario, TenantAIds, Task> call, Func<TenantAIds, Guid>? named = null)
    {
        // Arrange
        await using var s = await Scenario.CreateAsync();
        var before = await s.SnapshotAsync();

        // Act
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => call(s, s.A));

        // Assert
        Assert.Contains((named ?? (a => a.ConnectionId))(s.A).ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains($"tenant '{TenantB}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await s.SnapshotAsync());
        Assert.Empty(s.Sink.Deliveries);
        Assert.Equal(s.CrmWritesBefore, s.H.Provider.Records.Sum(r => r.WriteCount));
    }

    /// <summary>Tenant B's call (with its own assertions) must leave tenant A exactly as it was.</summary>
    private static async Task NothingAsync(Func<Scenario, TenantAIds, Task> call)
    {
        // Arrange
        await using var s = await Scenario.CreateAsync();
        var before = await s.SnapshotAsync();

        // Act
        await call(s, s.A);

        // Assert
        Assert.Equal(before, await s.SnapshotAsync());
        Assert.Empty(s.Sink.Deliveries);
    }

    /// <summary>Tenant A's ids.</summary>
    private sealed record TenantAIds(Guid ConnectionId, Guid AlertId, IReadOnlyList<long> InboxItemIds, Guid ImportRunId, Guid LeadSourceId, string SignInState, string InstallId);

    /// <summary>
    /// Tenant A with a bit of everything: a connection sending and fetching, a synced record, a failed one in the failure
    /// ledger, a pending one, an open alert, a record timeline, an import run, pending and approved-but-undelivered inbox
    /// items, an active lead-source integration, a sign-in in progress and a pending install. Tenant B has one connection of its own.
    /// </summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private Scenario(SyncHarness h, RecordingImportSink sink) => (H, Sink) = (h, sink);

        public SyncHarness H { get; }

        public RecordingImportSink Sink { get; }

        public TenantAIds A { get; private set; } = null!;

        public Guid B { get; private set; }

        public int CrmWritesBefore { get; private set; }

        public CrmSyncWorkflowStep Step => H.Services.GetRequiredService<CrmSyncWorkflowStep>();

        public static async Task<Scenario> CreateAsync()
        {
            var sink = new RecordingImportSink();
            var capabilities = new CrmProviderCapabilities { MaxBatchSize = 100, NativeUpsert = true, CanListUsers = true, RecordDeepLinks = true, OAuth = true, InstallsWithoutState = true };
            var s = new Scenario(SyncHarness.Create(capabilities: capabilities, source: new ListRecordSource(SyncHarness.Contact("host-1")), importSink: sink), sink);
            var h = s.H;
            var connection = await h.ConnectAsync(new ConnectionSettings { Direction = SyncDirection.Both }, TenantA);

            // The failure ledger: one synced, one rejected.
            h.Provider.RequireContactField(CrmFieldNames.LastName);
            await h.Client.EnqueueAsync(TenantA, [SyncHarness.Contact("a-1"), SyncHarness.Contact("a-2", lastName: null)]);
            await h.Client.SyncNowAsync(TenantA, connection.Id);
            h.Provider.RejectRecordsWhere(null);

            // A record timeline.
            Assert.True((await s.Step.RunAsync(Lead(TenantA))).Succeeded);

            // An import run and its inbox: one item approved but not delivered (the sink failed), two pending.
            h.Provider.Seed(Deals(3));
            var run = await h.Imports.StartImportAsync(Manager, TenantA, connection.Id, LostDeals);
            var items = await h.Imports.GetInboxAsync(Manager, TenantA);
            sink.FailNext = 1;
            Assert.Equal(1, (await h.Imports.ApproveAsync(Manager, TenantA, [items[0].Id])).Decided);
            // An active lead-source integration (its test lead arrived, setup completed).
            var leadSource = await h.LeadSources.CreateAsync(Manager, TenantA, "Partner", "partner-x");
            await h.LeadSources.ReceiveLeadAsync(TenantA, leadSource.Id, "partner-x");
            Assert.Equal(LeadSourceStatus.Active, (await h.LeadSources.CompleteSetupAsync(Manager, TenantA, leadSource.Id)).Integration.Status);

            // A pending record and an open alert (three failed runs in a row).
            await h.Client.EnqueueAsync(TenantA, SyncHarness.Contact("a-3"));
            h.Provider.FailNextCalls(3);
            for (var i = 0; i < 3; i++)
            {
                h.Time.Advance(TimeSpan.FromMinutes(5));
                await h.Client.SyncNowAsync(TenantA, connection.Id);
            }

            var alert = Assert.Single(await h.Client.GetAlertsAsync(TenantA));

            // A sign-in in progress and an install waiting for confirmation.
            var authorize = await h.Client.BeginSignInAsync(TenantA, connection.Id, Callback);
            var state = System.Web.HttpUtility.ParseQueryString(authorize.Query)["state"]!;
            var install = await h.Client.BeginInstallAsync(TenantA, h.Provider.Name, "marketplace-code", Callback);

            s.B = (await h.ConnectAsync(tenant: TenantB)).Id;
            s.A = new TenantAIds(connection.Id, alert.Id, [.. items.Skip(1).Select(i => i.Id)], run.Id, leadSource.Id, state, install.Id);
            s.CrmWritesBefore = h.Provider.Records.Sum(r => r.WriteCount);
            Assert.Equal(2, s.A.InboxItemIds.Count);
            Assert.Empty(sink.Deliveries);
            return s;
        }

        /// <summary>Everything tenant A can read (and its stored connection row, credentials included), as JSON.</summary>
        public async Task<string> SnapshotAsync()
        {
            var id = A.ConnectionId;
            var snapshot = new
            {
                Stored = await H.Store.GetConnectionAsync(TenantA, id),
                Connections = await H.Client.GetConnectionsAsync(TenantA),
                Log = await H.Client.GetSyncLogAsync(TenantA, id, 1000),
                Activity = await H.Client.GetRecentActivityAsync(TenantA, id, 1000),
                Last24Hours = await H.Client.GetLast24HoursAsync(TenantA, id),
                Alerts = await H.Client.GetAlertsAsync(TenantA, openOnly: false),
                Inbox = await H.Imports.GetInboxAsync(Admin, TenantA, new CrmInboxQuery { State = null, Limit = 1000 }),
                InboxCounts = await H.Imports.CountInboxAsync(Admin, TenantA),
                Runs = await H.Imports.GetImportRunsAsync(Admin, TenantA, id),
                LeadSources = await H.LeadSources.GetAllAsync(TenantA),
                Timeline = await Step.GetTimelineAsync(TenantA, LeadId),
            };
            return JsonSerializer.Serialize(snapshot);
        }

        public ValueTask DisposeAsync() => H.DisposeAsync();
    }
}
