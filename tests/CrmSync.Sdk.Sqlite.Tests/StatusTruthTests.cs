using System.Collections.Concurrent;
using CrmSync.Sdk;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>Every status rule checked on facts the engine really produces, running against the in-memory CRM on SQLite.</summary>
public class StatusTruthTests
{
    private const string Tenant = SyncHarness.Tenant;

    private static async Task<SyncRunResult> RunAfterAsync(SyncHarness h, Guid connectionId, TimeSpan wait)
    {
        h.Time.Advance(wait);
        return await h.Client.SyncNowAsync(Tenant, connectionId);
    }

    private static Task<CrmConnection> ViewAsync(SyncHarness h, Guid connectionId) => h.Client.GetConnectionAsync(Tenant, connectionId);

    [Fact]
    public async Task SyncNowAsync_ThreeOutageWaitsOnOneTenant_PausesWithOutageReasonAndAmberHealth()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c2"));
        h.Provider.SimulateOutage(true);

        // Act
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        var afterOne = await ViewAsync(h, connection.Id);
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        var afterThree = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(ConnectionStatus.Active, afterOne.Status.Status);
        Assert.False(afterOne.Status.InOutage);
        Assert.Equal(ConnectionHealth.Amber, afterOne.Status.Health);
        Assert.Equal(ConnectionStatus.Paused, afterThree.Status.Status);
        Assert.Equal(StatusReasonKind.ProviderOutage, afterThree.Status.ReasonKind);
        Assert.True(afterThree.Status.InOutage);
        Assert.Equal(ConnectionHealth.Amber, afterThree.Status.Health);
        Assert.StartsWith("In-memory CRM is not responding", afterThree.Status.Reason, StringComparison.Ordinal);
        Assert.False(afterThree.Status.NeedsAttention);
        Assert.Empty(h.Alerts.Received);
        Assert.Empty(await h.Client.GetProviderOutagesAsync());
    }

    [Fact]
    public async Task SyncNowAsync_OutageLongerThanTenMinutes_IsAnOutageBeforeThreeWaits()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        h.Provider.SimulateOutage(true);

        // Act
        await RunAfterAsync(h, connection.Id, TimeSpan.Zero);
        h.Time.Advance(TimeSpan.FromMinutes(9));
        var atNine = await ViewAsync(h, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var atTen = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(1, atTen.State.OutageWaits);
        Assert.False(atNine.Status.InOutage);
        Assert.True(atTen.Status.InOutage);
    }

    [Fact]
    public async Task SyncNowAsync_OutageLongerThanTwoHours_AlertsOnceThenRecoveryResolvesIt()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        h.Provider.SimulateOutage(true);

        // Act: a wait every 30 minutes for 3 hours.
        for (var i = 0; i < 7; i++)
        {
            await RunAfterAsync(h, connection.Id, i == 0 ? TimeSpan.Zero : TimeSpan.FromMinutes(30));
        }

        var during = await h.Client.GetAlertsAsync(Tenant);
        var badgeDuring = await h.Client.NeedsAttentionAsync(Tenant);
        h.Provider.SimulateOutage(false);
        var recovered = await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        var view = await ViewAsync(h, connection.Id);

        // Assert
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.ProviderOutage, alert.Kind);
        Assert.Equal(alert.Id, Assert.Single(during).Id);
        Assert.True(badgeDuring);
        Assert.Equal(1, recovered.Synced);
        Assert.Equal(ConnectionStatus.Active, view.Status.Status);
        Assert.Equal(ConnectionHealth.Green, view.Status.Health);
        Assert.Null(view.State.OutageStartedAt);
        Assert.Empty(await h.Client.GetAlertsAsync(Tenant));
        Assert.Equal(CrmSyncAlertState.Resolved, Assert.Single(await h.Client.GetAlertsAsync(Tenant, openOnly: false)).State);
        Assert.False(await h.Client.NeedsAttentionAsync(Tenant));
    }

    [Fact]
    public async Task SyncNowAsync_RejectedRecords_StayErrorWithCountUntilTheySync()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(Tenant, [SyncHarness.Contact("c1", lastName: null), SyncHarness.Contact("c2", lastName: null), SyncHarness.Contact("c3")]);

        // Act
        var first = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var afterFirst = await ViewAsync(h, connection.Id);
        var empty = await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
        var afterEmpty = await ViewAsync(h, connection.Id);
        var retry = await h.Client.TryResyncAsync(Tenant, connection.Id);
        var afterRetry = await ViewAsync(h, connection.Id);
        h.Provider.RejectRecordsWhere(null);
        var fixedRetry = await h.Client.TryResyncAsync(Tenant, connection.Id);
        var afterFix = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, first.Outcome);
        Assert.Equal(ConnectionStatus.Error, afterFirst.Status.Status);
        Assert.Equal(StatusReasonKind.FailedRecords, afterFirst.Status.ReasonKind);
        Assert.Equal(ConnectionHealth.Red, afterFirst.Status.Health);
        Assert.Equal(2, afterFirst.Status.FailedRecords);
        Assert.Equal("2 records failed to sync: A required field is empty. Fix the cause, then retry the failed records.", afterFirst.Status.Reason);

        Assert.Equal(SyncRunOutcome.Success, empty.Outcome);
        Assert.Equal(ConnectionStatus.Error, afterEmpty.Status.Status);
        Assert.True(afterEmpty.Status.NeedsAttention);

        Assert.Equal(2, retry.Requeued);
        Assert.Equal(2, retry.Run.Failed);
        Assert.Equal(ConnectionStatus.Error, afterRetry.Status.Status);
        Assert.Equal(2, afterRetry.Status.FailedRecords);

        Assert.Equal(2, fixedRetry.Requeued);
        Assert.Equal(2, fixedRetry.Run.Synced);
        Assert.Equal(ConnectionStatus.Active, afterFix.Status.Status);
        Assert.Equal(StatusReasonKind.None, afterFix.Status.ReasonKind);
        Assert.Equal(0, afterFix.Status.FailedRecords);
        Assert.Equal(3, h.Provider.GetRecords(CrmObjectType.Contact).Count);
    }

    [Fact]
    public async Task RetryFailedRecordsAsync_BeforeTheNextRun_KeepsTheConnectionInError()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1", lastName: null));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Provider.RejectRecordsWhere(null);

        // Act
        var requeued = await h.Client.RetryFailedRecordsAsync(Tenant, connection.Id);
        var beforeRun = await ViewAsync(h, connection.Id);
        h.Provider.SimulateOutage(true);
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        var afterWait = await ViewAsync(h, connection.Id);
        h.Provider.SimulateOutage(false);
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(1));
        var afterSync = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(1, requeued);
        Assert.Equal(ConnectionStatus.Error, beforeRun.Status.Status);
        Assert.Equal(1, afterWait.Status.FailedRecords);
        Assert.Equal(ConnectionStatus.Error, afterWait.Status.Status);
        Assert.Equal(ConnectionStatus.Active, afterSync.Status.Status);
    }

    [Fact]
    public async Task SyncNowAsync_EmptyRunsBetweenFailedRetries_DoNotResetTheAlertEpisode()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1", lastName: null));

        // Act: fail, empty run, retry-fail, empty run, retry-fail, then more empty runs.
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        for (var i = 0; i < 2; i++)
        {
            await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.Client.TryResyncAsync(Tenant, connection.Id);
        }

        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
        var failing = await ViewAsync(h, connection.Id);
        var openWhileFailing = await h.Client.GetAlertsAsync(Tenant);
        h.Provider.RejectRecordsWhere(null);
        await h.Client.TryResyncAsync(Tenant, connection.Id);
        var recovered = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(3, failing.State.ConsecutiveFailures);
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.ConsecutiveFailures, alert.Kind);
        Assert.Equal(3, alert.ConsecutiveFailures);
        Assert.Equal("In-memory CRM", alert.CrmName);
        Assert.Equal(new Uri("https://app.example.test/settings/integrations"), alert.Link);
        Assert.Equal([new CrmSyncAlertRecipient("owner-of-tenant-a", "Olivia Owner", "owner@example.test")], alert.Recipients);
        var stored = Assert.Single(openWhileFailing);
        Assert.Equal(CrmSyncAlertState.Open, stored.State);
        Assert.Equal(alert.Recipients, stored.Recipients);
        Assert.Equal(ConnectionStatus.Active, recovered.Status.Status);
        Assert.Equal(0, recovered.State.ConsecutiveFailures);
        Assert.Empty(await h.Client.GetAlertsAsync(Tenant));
        Assert.False(await h.Client.NeedsAttentionAsync(Tenant));
    }

    [Fact]
    public async Task SyncNowAsync_ExpiredSignIn_PausesWithExpiredCredentialsAndNotifiesOnce()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        h.Provider.ExpireSignIn();

        // Act
        var first = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var paused = await ViewAsync(h, connection.Id);
        var second = await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
        await h.Client.SetCredentialsAsync(Tenant, connection.Id, h.Provider.IssueTokens());
        var resumed = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var view = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        Assert.Equal(ConnectionStatus.Paused, paused.Status.Status);
        Assert.Equal(StatusReasonKind.ExpiredCredentials, paused.Status.ReasonKind);
        Assert.Equal(ConnectionHealth.Amber, paused.Status.Health);
        Assert.StartsWith("Expired credentials", paused.Status.Reason, StringComparison.Ordinal);
        Assert.True(paused.Status.NeedsAttention);
        Assert.Null(paused.State.RevokedAt);
        Assert.False(second.Ran);
        Assert.Equal(CrmSyncAlertKind.ExpiredCredentials, Assert.Single(h.Alerts.Received).Kind);
        Assert.Equal(1, resumed.Synced);
        Assert.Equal(ConnectionStatus.Active, view.Status.Status);
        Assert.Empty(await h.Client.GetAlertsAsync(Tenant));
    }

    [Fact]
    public async Task SyncNowAsync_RevokedAccess_IsDisconnectedWithAccessRevokedAndNoSuccessRate()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c2"));
        h.Provider.Revoke();

        // Act
        await RunAfterAsync(h, connection.Id, TimeSpan.FromMinutes(5));
        var view = await ViewAsync(h, connection.Id);

        // Assert
        Assert.Equal(ConnectionStatus.Revoked, view.Status.Status);
        Assert.Equal(StatusReasonKind.AccessRevoked, view.Status.ReasonKind);
        Assert.Null(view.Status.SuccessRate);
        Assert.Equal(ConnectionHealth.Unknown, view.Status.SuccessRateHealth);
    }

    [Fact]
    public async Task PauseAsync_ThenResumeAsync_SaysByUserAndSyncsWhatWaited()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var callsBefore = h.Provider.CallCount;
        var paused = await h.Client.PauseAsync(Tenant, connection.Id);
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        var due = 0;
        for (var i = 0; i < 3; i++)
        {
            // Several scheduled runs would have been due while paused.
            h.Time.Advance(ConnectionSettings.DefaultScheduleInterval);
            due += await h.Client.RunDueSyncsAsync();
        }

        var callsWhilePaused = h.Provider.CallCount;
        var recordsWhilePaused = h.Provider.GetRecords(CrmObjectType.Contact).Count;
        var whilePaused = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        var resumed = await h.Client.ResumeAsync(Tenant, connection.Id);
        var ran = await h.Client.RunDueSyncsAsync();
        var log = await h.Client.GetSyncLogAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(StatusReasonKind.ByUser, paused.Status.ReasonKind);
        Assert.False(paused.Status.NeedsAttention);
        Assert.Equal(0, due);
        Assert.Equal(callsBefore, callsWhilePaused);
        Assert.Equal(0, recordsWhilePaused);
        Assert.Equal(ConnectionStatus.Paused, whilePaused.Status.Status);
        Assert.Equal(connection.State.LastRunAt, whilePaused.State.LastRunAt);
        Assert.Equal(ConnectionStatus.Active, resumed.Status.Status);
        Assert.Equal(1, ran);
        Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Contains(log, e => e.EventType == SyncEventTypes.Paused);
        Assert.Contains(log, e => e.EventType == SyncEventTypes.Resumed);
    }

    [Fact]
    public async Task DeleteConnectionAsync_MistakenSetup_RemovesItAndItsHistoryButNothingInTheCrm()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var keep = await h.ConnectAsync();
        var mistake = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        await h.Client.SyncNowAsync(Tenant, keep.Id);
        await h.Client.SyncNowAsync(Tenant, mistake.Id);
        var crmRecords = h.Provider.Records.Count;

        // Act
        var deleted = await h.Client.DeleteConnectionAsync(Tenant, mistake.Id);
        var again = await h.Client.DeleteConnectionAsync(Tenant, mistake.Id);
        var otherTenant = await h.Client.DeleteConnectionAsync("tenant-b", keep.Id);

        // Assert
        Assert.True(deleted);
        Assert.False(again);
        Assert.False(otherTenant);
        Assert.Equal(keep.Id, Assert.Single(await h.Client.GetConnectionsAsync(Tenant)).Id);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.GetSyncLogAsync(Tenant, mistake.Id));
        Assert.Empty(await h.Store.GetRecentRunsAsync(mistake.Id, 10));
        Assert.Empty(await h.Store.GetRecentlyProcessedAsync(Tenant, mistake.Id, 10));
        Assert.Equal(crmRecords, h.Provider.Records.Count);
        Assert.NotEmpty(await h.Client.GetSyncLogAsync(Tenant, keep.Id));
    }

    [Fact]
    public async Task Changes_SyncAndActions_AnnounceToTheTenantOnly()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var seen = new ConcurrentQueue<CrmSyncChange>();
        var other = new ConcurrentQueue<CrmSyncChange>();
        using var subscription = h.Client.Changes.Subscribe(Tenant, c =>
        {
            seen.Enqueue(c);
            return Task.CompletedTask;
        });
        using var otherSubscription = h.Client.Changes.Subscribe("tenant-b", c =>
        {
            other.Enqueue(c);
            return Task.CompletedTask;
        });
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));

        // Act
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        await h.Client.PauseAsync(Tenant, connection.Id);
        subscription.Dispose();
        await h.Client.ResumeAsync(Tenant, connection.Id);

        // Assert
        Assert.Empty(other);
        Assert.All(seen, c => Assert.Equal(connection.Id, c.ConnectionId));
        Assert.Equal(
            [CrmSyncChangeKinds.Ledger, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Runs | CrmSyncChangeKinds.Ledger, CrmSyncChangeKinds.Facts],
            seen.Select(c => c.Kinds).ToArray());
    }

    [Fact]
    public async Task AcknowledgeAlertAsync_OpenAlert_ClosesItForTheBadgeWithWhoAndWhen()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.AlertAfterConsecutiveFailures = 1);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SyncHarness.Contact("c1"));
        h.Provider.FailNextCalls(1);
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        var alert = Assert.Single(await h.Client.GetAlertsAsync(Tenant));

        // Act
        var wrongTenant = await h.Client.AcknowledgeAlertAsync("tenant-b", alert.Id, "mallory");
        var acknowledged = await h.Client.AcknowledgeAlertAsync(Tenant, alert.Id, "olivia");
        var twice = await h.Client.AcknowledgeAlertAsync(Tenant, alert.Id, "olivia");

        // Assert
        Assert.False(wrongTenant);
        Assert.True(acknowledged);
        Assert.False(twice);
        Assert.Empty(await h.Client.GetAlertsAsync(Tenant));
        var closed = Assert.Single(await h.Client.GetAlertsAsync(Tenant, openOnly: false));
        Assert.Equal(CrmSyncAlertState.Acknowledged, closed.State);
        Assert.Equal("olivia", closed.AcknowledgedBy);
        Assert.Equal(h.Time.GetUtcNow(), closed.ClosedAt);
        Assert.True((await ViewAsync(h, connection.Id)).Status.NeedsAttention);
    }
}
