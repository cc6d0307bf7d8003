using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>
/// The short versions of the reliability suite (the long ones are scenarios in tests/CrmSync.Benchmarks): leases that
/// hold and fence, run history that survives crashes, and concurrent scheduling.
/// </summary>
public class LeaseAndSchedulingTests
{
    private static IEnumerable<CrmChange> Contacts(string prefix, int count) => Enumerable.Range(0, count).Select(i => SyncHarness.Contact($"{prefix}{i}"));

    [Fact]
    public async Task RunDueSyncsAsync_RunOnScheduleOff_NeverRunsItSoItsErrorStaysUntilSyncNow()
    {
        // Arrange: the whole run fails (Error), and a scheduled connection beside it.
        await using var h = SyncHarness.Create();
        var manual = await h.ConnectAsync(new ConnectionSettings { RunOnSchedule = false });
        var scheduled = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1") with { ConnectionId = manual.Id });
        h.Provider.FailNextCalls(1);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, manual.Id);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c2") with { ConnectionId = manual.Id });
        var before = await h.Client.GetConnectionAsync(SyncHarness.Tenant, manual.Id);

        // Act: a day of scheduler ticks.
        var ran = 0;
        for (var i = 0; i < 24 * 12; i++)
        {
            h.Time.Advance(ConnectionSettings.DefaultScheduleInterval);
            ran += await h.Client.RunDueSyncsAsync();
        }

        var afterTicks = await h.Client.GetConnectionAsync(SyncHarness.Tenant, manual.Id);
        var waiting = (await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, manual.Id)).WaitingOrSkipped;
        var syncNow = await h.Client.SyncNowAsync(SyncHarness.Tenant, manual.Id);

        // Assert
        Assert.True(ran > 0, "the scheduler ran the scheduled connection");
        Assert.Equal(ConnectionStatus.Error, afterTicks.Status.Status);
        Assert.Equal(StatusReasonKind.SyncFailed, afterTicks.Status.ReasonKind);
        Assert.Equal(before.State.LastRunAt, afterTicks.State.LastRunAt);
        Assert.Equal(2, waiting);
        Assert.True(syncNow.Ran);
        Assert.Equal(2, syncNow.Synced);
        Assert.Equal(ConnectionStatus.Active, (await h.Client.GetConnectionAsync(SyncHarness.Tenant, manual.Id)).Status.Status);
        Assert.Equal(ConnectionStatus.Active, (await h.Client.GetConnectionAsync(SyncHarness.Tenant, scheduled.Id)).Status.Status);
    }

    [Fact]
    public async Task SyncNowAsync_RunLongerThanItsLease_RenewsItAndASecondInstanceIsRefused()
    {
        // Arrange: 3 batches; the CRM takes 4 minutes per batch, so the run lasts 12 minutes against a 5-minute lease.
        await using var h = SyncHarness.Create(o => o.LeaseDuration = TimeSpan.FromMinutes(5));
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [.. Contacts("c", 300)]);
        var secondInstance = new List<bool>();
        h.Provider.OnBeforeWrite(async (_, _) =>
        {
            h.Time.Advance(TimeSpan.FromMinutes(4));
            var now = h.Time.GetUtcNow();
            secondInstance.Add(await h.Store.TryAcquireLeaseAsync(connection.Id, new SyncLease("instance-b", "process-b", Guid.NewGuid().ToString("N")), now, now.AddMinutes(5)));
        });

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(300, run.Synced);
        Assert.Equal([false, false, false], secondInstance);
        Assert.All(h.Provider.GetRecords(CrmObjectType.Contact), r => Assert.Equal(1, r.WriteCount));
    }

    [Fact]
    public async Task SyncNowAsync_LeaseTakenOverMidBatch_StopsBeforeTheNextBatchAndItsLateOutcomesAreRefused()
    {
        // Arrange: while the first batch is at the CRM, the run's lease goes to another instance (as after a missed heartbeat).
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [.. Contacts("c", 250)]);
        var instanceId = h.Services.GetRequiredService<IOptions<CrmSyncOptions>>().Value.InstanceId;
        var other = new SyncLease("instance-b", "process-b", "token-b");
        var batches = 0;
        h.Provider.OnBeforeWrite(async (_, _) =>
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                await h.Store.ReleaseStaleLeasesAsync(instanceId, "not-this-process");
                var now = h.Time.GetUtcNow();
                Assert.True(await h.Store.TryAcquireLeaseAsync(connection.Id, other, now, now.AddMinutes(5)));
            }
        });

        // Act
        var lost = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var pendingAfterLoss = await h.Store.CountPendingAsync(connection.Id);
        await h.Store.ReleaseLeaseAsync(connection.Id, other.Token);
        var next = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal((SyncRunOutcome.Interrupted, 0), (lost.Outcome, lost.Synced));
        Assert.Equal(250, pendingAfterLoss);
        Assert.Equal(1 + 3, batches);
        Assert.Equal(250, next.Synced);
        Assert.Equal(250, (await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id)).Synced);
        var log = await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 10);
        Assert.Contains(log, e => e.EventType == SyncEventTypes.SyncInterrupted && e.RecordsAffected == 0);
    }

    [Fact]
    public async Task SyncNowAsync_RestartedAfterACrashMidRun_TakesBackItsLeaseAtOnceAndShowsTheCrashedRunAsInterrupted()
    {
        // Arrange: a run was stopped while its second of three batches was at the CRM (1 batch recorded); then a process
        // of this instance died holding the lease, with a run that had claimed the rest but recorded nothing.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [.. Contacts("c", 300)]);
        using var kill = new CancellationTokenSource();
        var batches = 0;
        h.Provider.OnAfterWrite((_, _) =>
        {
            if (Interlocked.Increment(ref batches) == 2)
            {
                kill.Cancel();
            }

            return Task.CompletedTask;
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id, kill.Token));
        h.Provider.OnAfterWrite(null);
        var instanceId = h.Services.GetRequiredService<IOptions<CrmSyncOptions>>().Value.InstanceId;
        var now = h.Time.GetUtcNow();
        Assert.True(await h.Store.TryAcquireLeaseAsync(connection.Id, new SyncLease(instanceId, "killed-process", "killed-run"), now, now.AddMinutes(5)));
        await h.Store.StartRunAsync(SyncHarness.Tenant, connection.Id, "killed-run", now);
        Assert.Equal(200, (await h.Store.ClaimPendingAsync(connection.Id, "killed-run", 500, now)).Count);

        // Act: the same instance restarts (new process) without any time passing.
        await h.RestartAsync();
        var resumed = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.True(resumed.Ran);
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id));
        Assert.Equal(300, h.Provider.GetRecords(CrmObjectType.Contact).Count);
        Assert.Equal(300, (await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id)).Synced);
        var interrupted = (await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 20)).Where(e => e.EventType == SyncEventTypes.SyncInterrupted).ToList();
        Assert.Equal([0, 100], interrupted.Select(e => e.RecordsAffected).Order());
        Assert.All(interrupted, e => Assert.Equal(SyncLogOutcome.Warning, e.Outcome));
        Assert.Contains("100 records were recorded before it stopped", interrupted.Single(e => e.RecordsAffected == 100).Error, StringComparison.Ordinal);
        Assert.Equal(2, (await h.Store.GetRecentRunsAsync(connection.Id, 10)).Count(r => r.Outcome == SyncRunOutcome.Interrupted));
    }

    [Fact]
    public async Task RunDueAsync_OneTenantsCrmHangs_OtherTenantsSyncMeanwhileInDueOrder()
    {
        // Arrange: the slow tenant is due first; its CRM does not answer until released.
        await using var h = SyncHarness.Create(o => o.MaxConcurrentRuns = 4);
        var slow = await h.ConnectAsync(tenant: "slow-tenant");
        var fast = new List<CrmConnection>();
        for (var i = 0; i < 5; i++)
        {
            fast.Add(await h.ConnectAsync(tenant: $"tenant-{i}"));
        }

        await h.Client.EnqueueAsync("slow-tenant", [.. Contacts("slow-", 10)]);
        foreach (var c in fast)
        {
            await h.Client.EnqueueAsync(c.TenantId, [.. Contacts(c.TenantId + "-", 10)]);
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastSynced = 0;
        h.Provider.OnBeforeWrite((writes, _) => writes[0].ExternalId.StartsWith("slow-", StringComparison.Ordinal) ? release.Task : Task.CompletedTask);
        h.Provider.OnAfterWrite((writes, _) =>
        {
            if (!writes[0].ExternalId.StartsWith("slow-", StringComparison.Ordinal) && Interlocked.Add(ref fastSynced, writes.Count) == 50)
            {
                othersDone.SetResult();
            }

            return Task.CompletedTask;
        });
        var engine = h.Services.GetRequiredService<SyncEngine>();

        // Act
        var tick = engine.RunDueAsync(CancellationToken.None);
        await othersDone.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var slowDoneBeforeRelease = await h.Store.CountPendingAsync(slow.Id) == 0;
        release.SetResult();
        var ran = await tick;

        // Assert
        Assert.False(slowDoneBeforeRelease);
        Assert.Equal(6, ran);
        Assert.Equal(60, h.Provider.GetRecords(CrmObjectType.Contact).Count);
    }
}
