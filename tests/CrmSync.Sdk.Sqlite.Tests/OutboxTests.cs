using CrmSync.Sdk;
using CrmSync.Sdk.Storage;

namespace CrmSync.Sdk.Sqlite.Tests;

public class OutboxTests
{
    [Fact]
    public async Task EnqueueAsync_SameChangeTwice_StoresOnceAndCreatesOneCrmRecord()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var first = await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        var second = await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(new EnqueueResult(1, 0, 0), first);
        Assert.Equal(new EnqueueResult(0, 1, 0), second);
        Assert.Equal(1, run.Synced);
        Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
    }

    [Fact]
    public async Task EnqueueAsync_SameRecordWithDifferentKeys_UpsertsOneCrmRecord()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();

        // Act: two updates of one contact, in one batch and then in a later run.
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1", "One"), SyncHarness.Contact("c1", "Two")]);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1", "Three"));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        var record = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal("Three", record.Fields[CrmFieldNames.LastName]);
    }

    [Fact]
    public async Task SyncNowAsync_TimeoutHidSuccessfulWrite_RetryYieldsExactlyOneRecord()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.LoseNextResponses(1);

        // Act
        var lost = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var retried = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, lost.Outcome);
        Assert.Equal(1, retried.Synced);
        var record = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal(2, record.WriteCount);
        Assert.Equal(0, (await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id)).State.ConsecutiveFailures);
    }

    [Fact]
    public async Task SyncNowAsync_ProcessStoppedMidBatch_LosesNothingAndDuplicatesNothingAfterRestart()
    {
        // Arrange: 250 contacts in batches of 100; the process dies after the CRM took batch 2 but before CrmSync recorded it.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, Enumerable.Range(0, 250).Select(i => SyncHarness.Contact($"c{i}")).ToList());
        using var kill = new CancellationTokenSource();
        var writes = 0;
        h.Provider.OnAfterWrite((_, _) =>
        {
            if (++writes == 2)
            {
                kill.Cancel();
                kill.Token.ThrowIfCancellationRequested();
            }

            return Task.CompletedTask;
        });

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id, kill.Token));
        h.Provider.OnAfterWrite(null);

        // A crashed instance (another one: its own restart would take the lease back at once) never releases its lease.
        await h.RestartAsync();
        var now = h.Time.GetUtcNow();
        Assert.True(await h.Store.TryAcquireLeaseAsync(connection.Id, new SyncLease("crashed-instance", "p1", "t1"), now, now.AddMinutes(5)));
        var whileLeased = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(6));
        var afterLease = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.False(whileLeased.Ran);
        Assert.Equal(150, afterLease.Synced);
        Assert.Equal(250, h.Provider.GetRecords(CrmObjectType.Contact).Count);
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id));
        var summary = await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id);
        Assert.Equal(250, summary.Synced);
    }

    [Fact]
    public async Task EnqueueAsync_AcceptedThenRestart_ChangeIsStillThere()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));

        // Act
        await h.RestartAsync();
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(1, run.Synced);
    }

    [Fact]
    public async Task SyncNowAsync_ContactsAndActivities_PushesContactsFirstAndAssociatesActivities()
    {
        // Arrange: the activity is accepted before its contact.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Activity(CrmObjectType.Call, "call-1", "c1"));
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(2, run.Synced);
        var contact = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal(contact.Id, Assert.Single(h.Provider.GetRecords(CrmObjectType.Call)).ContactId);
    }

    [Fact]
    public async Task SyncNowAsync_ActivityWhoseContactIsNotSynced_IsSkippedWithReason()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Activity(CrmObjectType.Email, "email-1", "unknown-contact"));

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var activity = await h.Client.GetRecentActivityAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal(1, run.Skipped);
        var row = Assert.Single(activity);
        Assert.Equal(SyncActivityOutcome.Skipped, row.Outcome);
        Assert.Equal("email_sync", row.EventType);
        Assert.Contains("not synced", row.Error, StringComparison.Ordinal);
        Assert.Empty(h.Provider.GetRecords(CrmObjectType.Email));
    }

    [Fact]
    public async Task EnqueueAsync_ActivityWithoutContact_IsRejectedNamingTheChange()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync();
        var bad = new CrmChange(CrmObjectType.Meeting, "m-1", new Dictionary<string, string?>());

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("ok"), bad]));

        // Assert: nothing of the batch was accepted.
        Assert.Contains("'m-1'", ex.Message, StringComparison.Ordinal);
        var connection = (await h.Client.GetConnectionsAsync(SyncHarness.Tenant)).Single();
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task SyncNowAsync_ProviderBatchSize_IsNeverExceeded()
    {
        // Arrange
        await using var h = SyncHarness.Create(capabilities: new CrmProviderCapabilities { MaxBatchSize = 7, NativeUpsert = true });
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, Enumerable.Range(0, 30).Select(i => SyncHarness.Contact($"c{i}")).ToList());

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert: the in-memory CRM rejects oversize batches, so 30 synced proves the cap held.
        Assert.Equal(30, run.Synced);
        Assert.Equal(5, h.Provider.CallCount);
    }

    [Fact]
    public async Task ProgressObserver_RecordPushed_SeesPendingThenSucceeded()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("good"), SyncHarness.Contact("bad", lastName: null)]);

        // Act
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        var good = h.Progress.Events.Where(e => e.SourceId == "good").Select(e => e.Stage).ToList();
        Assert.Equal([RecordSyncStage.Pending, RecordSyncStage.Succeeded], good);
        var bad = h.Progress.Events.Last(e => e.SourceId == "bad");
        Assert.Equal(RecordSyncStage.Failed, bad.Stage);
        Assert.Equal("Required field 'lastName' is missing.", bad.Reason);
    }

    [Fact]
    public async Task SyncLog_AfterRuns_HasTypedEventsNewestFirst()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1"), SyncHarness.Contact("c2")]);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Activity(CrmObjectType.Meeting, "m1", "c1"));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Act
        var log = await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, limit: 2);

        // Assert
        Assert.Equal(2, log.Count);
        Assert.Equal(("meeting_sync", 1, SyncLogOutcome.Success), (log[0].EventType, log[0].RecordsAffected, log[0].Outcome));
        Assert.NotNull(log[0].CrmRecordId);
        Assert.Equal(("contact_sync", 2, SyncLogOutcome.Success), (log[1].EventType, log[1].RecordsAffected, log[1].Outcome));
    }

    [Fact]
    public async Task Store_OtherTenant_CannotSeeConnection()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();

        // Act + Assert
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.GetConnectionAsync("tenant-b", connection.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.SyncNowAsync("tenant-b", connection.Id));
        Assert.Empty(await h.Client.GetConnectionsAsync("tenant-b"));
        Assert.Equal(new EnqueueResult(0, 0, 1), await h.Client.EnqueueAsync("tenant-b", SyncHarness.Contact("x")));
    }
}

public class OutboxBatchingTests
{
    [Fact]
    public async Task SyncNowAsync_InterleavedActivityTypes_AreSentInFullBatchesPerType()
    {
        // Arrange: emails, calls and meetings accepted interleaved, as a host produces them.
        await using var h = SyncHarness.Create(capabilities: new CrmProviderCapabilities { MaxBatchSize = 10, NativeUpsert = true });
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        var activities = new List<CrmChange>();
        for (var i = 0; i < 10; i++)
        {
            activities.Add(SyncHarness.Activity(CrmObjectType.Email, $"e{i}", "c1"));
            activities.Add(SyncHarness.Activity(CrmObjectType.Call, $"k{i}", "c1"));
            activities.Add(SyncHarness.Activity(CrmObjectType.Meeting, $"m{i}", "c1"));
        }

        await h.Client.EnqueueAsync(SyncHarness.Tenant, activities);

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert: one call for the contact and one full call per activity type.
        Assert.Equal(31, run.Synced);
        Assert.Equal(4, h.Provider.CallCount);
    }
}

public class ConcurrentBatchTests
{
    [Fact]
    public async Task SyncNowAsync_ConcurrentBatches_PushEveryRecordOnceAndOverlapCalls()
    {
        // Arrange: a CRM that takes a while per call and allows three batches at once.
        await using var h = SyncHarness.Create(capabilities: new CrmProviderCapabilities { MaxBatchSize = 10, MaxConcurrentBatches = 3, NativeUpsert = true });
        var connection = await h.ConnectAsync();
        var inFlight = 0;
        var maxInFlight = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Provider.OnBeforeWrite(async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (now == 3)
            {
                release.TrySetResult();
            }

            await release.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, ct);
            Interlocked.Decrement(ref inFlight);
        });

        // The same contact twice (an update behind a create) must never be written by two batches at once.
        var changes = Enumerable.Range(0, 60).Select(i => SyncHarness.Contact($"c{i}")).Append(SyncHarness.Contact("c7", "Updated")).ToList();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, changes);

        // Act
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(61, run.Synced);
        Assert.Equal(3, maxInFlight);
        Assert.Equal(60, h.Provider.GetRecords(CrmObjectType.Contact).Count);
        Assert.Equal("Updated", h.Provider.Find(CrmObjectType.Contact, "c7")!.Fields[CrmFieldNames.LastName]);
        Assert.All(h.Provider.GetRecords(CrmObjectType.Contact), r => Assert.Equal(1, r.WriteCount));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        do
        {
            seen = Volatile.Read(ref target);
            if (value <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref target, value, seen) != seen);
    }
}
