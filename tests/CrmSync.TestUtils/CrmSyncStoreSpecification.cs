using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Xunit;

namespace CrmSync.TestUtils;

/// <summary>
/// The store specification: every behaviour of <see cref="ICrmSyncStore"/> and <see cref="ICrmImportStore"/>, written once
/// against the interfaces. Each store's test project derives one class from it (SQLite, PostgreSQL), so both dialects of
/// the relational store prove the same behaviour. Each test gets a fresh, initialized store.
/// </summary>
public abstract class CrmSyncStoreSpecification : IAsyncLifetime
{
    protected const string Tenant = "tenant-a";
    protected const string OtherTenant = "tenant-b";
    protected static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private ICrmSyncStore? _store;

    protected ICrmSyncStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected ICrmImportStore Imports => (ICrmImportStore)Store;

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    /// <summary>Creates a store over a fresh, empty database.</summary>
    protected abstract Task<ICrmSyncStore> CreateStoreAsync();

    /// <summary>Releases the store and its database.</summary>
    protected abstract Task DisposeStoreAsync(ICrmSyncStore store);

    protected static StoredConnection Connection(string tenant = Tenant, DateTimeOffset? nextSyncAt = null, DateTimeOffset? createdAt = null) => new()
    {
        TenantId = tenant,
        Id = Guid.NewGuid(),
        Provider = "inmemory",
        AccountLabel = "Acme",
        CreatedAt = createdAt ?? T0,
        State = new ConnectionState { ConnectedAt = T0, StartingPoint = StartingPoint.Skip, NextSyncAt = nextSyncAt },
    };

    protected static OutboxItem Item(StoredConnection connection, string externalId, CrmObjectType type = CrmObjectType.Contact, OutboxOrigin origin = OutboxOrigin.Change, string? key = null) => new()
    {
        TenantId = connection.TenantId,
        ConnectionId = connection.Id,
        ObjectType = type,
        ExternalId = externalId,
        ContactExternalId = type == CrmObjectType.Contact ? null : "c-of-" + externalId,
        IdempotencyKey = key ?? $"{type}:{externalId}",
        Fields = new Dictionary<string, string?> { ["email"] = externalId + "@example.test", ["note"] = null },
        Origin = origin,
        EnqueuedAt = T0,
    };

    protected static OutboxOutcome Outcome(OutboxItem item, OutboxItemState state, DateTimeOffset at, string? crmId = null, CrmProblemType? problem = null, string? error = null) =>
        new(item.Id, item.ObjectType, item.ExternalId, state, crmId, problem, error, at);

    protected async Task<StoredConnection> InsertAsync(StoredConnection connection)
    {
        await Store.InsertConnectionAsync(connection);
        return connection;
    }

    protected async Task<IReadOnlyList<OutboxItem>> EnqueueAndReadAsync(StoredConnection connection, params OutboxItem[] items)
    {
        await Store.EnqueueAsync(items);
        return await Store.GetPendingAsync(connection.Id, 10_000);
    }

    // ---- Connections ----

    [Fact]
    public async Task InsertConnectionAsync_ThenGet_RoundTripsEveryField()
    {
        // Arrange
        var connection = Connection() with
        {
            Datacenter = "eu",
            ProtectedCredentials = "protected-blob",
            Settings = new ConnectionSettings { Direction = SyncDirection.Both },
            State = new ConnectionState { ConnectedAt = T0, StartingPoint = StartingPoint.ImportExisting, ConsecutiveFailures = 2, LastError = "boom", NextSyncAt = T0.AddMinutes(5) },
        };

        // Act
        await Store.InsertConnectionAsync(connection);
        var read = await Store.GetConnectionAsync(Tenant, connection.Id);

        // Assert
        Assert.Equivalent(connection, read, strict: true);
    }

    [Fact]
    public async Task GetConnectionAsync_OtherTenant_ReturnsNull()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var read = await Store.GetConnectionAsync(OtherTenant, connection.Id);

        // Assert
        Assert.Null(read);
    }

    [Fact]
    public async Task GetConnectionsAsync_SeveralTenants_ReturnsOnlyTheTenantsOldestFirst()
    {
        // Arrange
        var newer = await InsertAsync(Connection(createdAt: T0.AddMinutes(1)));
        var older = await InsertAsync(Connection(createdAt: T0));
        await InsertAsync(Connection(OtherTenant));

        // Act
        var connections = await Store.GetConnectionsAsync(Tenant);

        // Assert
        Assert.Equal([older.Id, newer.Id], connections.Select(c => c.Id));
    }

    [Fact]
    public async Task GetOutageFactsAsync_OneConnectionHadAnOutage_ReturnsOnlyIt()
    {
        // Arrange
        var down = await InsertAsync(Connection() with { State = new ConnectionState { ConnectedAt = T0, LastOutageAt = T0.AddMinutes(3) } });
        await InsertAsync(Connection(OtherTenant));

        // Act
        var facts = await Store.GetOutageFactsAsync();

        // Assert
        Assert.Equal(("inmemory", Tenant, (DateTimeOffset?)T0.AddMinutes(3)), Assert.Single(facts));
        Assert.NotEqual(Guid.Empty, down.Id);
    }

    [Fact]
    public async Task UpdateConnectionAsync_ChangesStateButNotIdentity()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var updated = await Store.UpdateConnectionAsync(Tenant, connection.Id, c => c with { Id = Guid.NewGuid(), TenantId = OtherTenant, CreatedAt = T0.AddDays(1), AccountLabel = "Renamed" });
        var read = await Store.GetConnectionAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(connection.Id, updated.Id);
        Assert.Equal("Renamed", read!.AccountLabel);
        Assert.Equal(T0, read.CreatedAt);
    }

    [Fact]
    public async Task UpdateConnectionAsync_UnknownOrOtherTenantsConnection_ThrowsKeyNotFound()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.UpdateConnectionAsync(OtherTenant, connection.Id, c => c with { AccountLabel = "stolen" }));

        // Assert
        Assert.Contains(OtherTenant, ex.Message, StringComparison.Ordinal);
        Assert.Equal("Acme", (await Store.GetConnectionAsync(Tenant, connection.Id))!.AccountLabel);
    }

    [Fact]
    public async Task UpdateConnectionAsync_ManyConcurrentReadModifyWrites_LosesNone()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() =>
            Store.UpdateConnectionAsync(Tenant, connection.Id, c => c with { State = c.State with { ConsecutiveFailures = c.State.ConsecutiveFailures + 1 } }))));

        // Assert
        Assert.Equal(12, (await Store.GetConnectionAsync(Tenant, connection.Id))!.State.ConsecutiveFailures);
    }

    // ---- Scheduling and leases ----

    [Fact]
    public async Task GetDueConnectionsAsync_MixOfDueNotDuePausedAndLeased_ReturnsDueInDueOrder()
    {
        // Arrange
        var later = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-1)));
        var earlier = await InsertAsync(Connection(OtherTenant, nextSyncAt: T0.AddMinutes(-5)));
        var never = await InsertAsync(Connection(nextSyncAt: null));
        await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(1)));
        var paused = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-9)));
        await Store.UpdateConnectionAsync(Tenant, paused.Id, c => c with { State = c.State with { PausedByUser = true } });
        var leased = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-9)));
        Assert.True(await Store.TryAcquireLeaseAsync(leased.Id, Lease("other"), T0, T0.AddMinutes(5)));

        // Act
        var due = await Store.GetDueConnectionsAsync(T0, 10);
        var firstTwo = await Store.GetDueConnectionsAsync(T0, 2);

        // Assert
        Assert.Equal([(Tenant, never.Id), (OtherTenant, earlier.Id), (Tenant, later.Id)], due);
        Assert.Equal(2, firstTwo.Count);
    }

    protected static SyncLease Lease(string owner = "instance-a", string incarnation = "process-1") => new(owner, incarnation, Guid.NewGuid().ToString("N"));

    /// <summary>Leases the connection and records the run's start, as the engine does.</summary>
    protected async Task<SyncLease> StartRunAsync(StoredConnection connection, DateTimeOffset? at = null, SyncLease? lease = null)
    {
        lease ??= Lease();
        var now = at ?? T0;
        Assert.True(await Store.TryAcquireLeaseAsync(connection.Id, lease, now, now.AddMinutes(5)));
        await Store.StartRunAsync(connection.TenantId, connection.Id, lease.Token, now);
        return lease;
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnotherInstance_RefusedUntilItLapses()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var first = await Store.TryAcquireLeaseAsync(connection.Id, Lease("a"), T0, T0.AddMinutes(5));
        var whileHeld = await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0.AddMinutes(1), T0.AddMinutes(6));
        var afterLapse = await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0.AddMinutes(6), T0.AddMinutes(11));

        // Assert
        Assert.True(first);
        Assert.False(whileHeld);
        Assert.True(afterLapse);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_SameInstanceSameProcess_IsRefused()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.TryAcquireLeaseAsync(connection.Id, Lease("a", "p1"), T0, T0.AddMinutes(5));

        // Act
        var second = await Store.TryAcquireLeaseAsync(connection.Id, Lease("a", "p1"), T0, T0.AddMinutes(5));

        // Assert
        Assert.False(second);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_LeftByAnEarlierProcessOfTheSameInstance_IsTakenBackAtOnce()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.TryAcquireLeaseAsync(connection.Id, Lease("a", "crashed-process"), T0, T0.AddMinutes(5));

        // Act
        var restarted = await Store.TryAcquireLeaseAsync(connection.Id, Lease("a", "new-process"), T0.AddSeconds(1), T0.AddMinutes(5));

        // Assert
        Assert.True(restarted);
    }

    [Fact]
    public async Task ReleaseStaleLeasesAsync_RestartedInstance_FreesOnlyItsEarlierProcessesLeasesSoTheyAreDueAgain()
    {
        // Arrange
        var mine = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-1)));
        var current = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-1)));
        var theirs = await InsertAsync(Connection(nextSyncAt: T0.AddMinutes(-1)));
        await Store.TryAcquireLeaseAsync(mine.Id, Lease("a", "crashed-process"), T0, T0.AddMinutes(5));
        await Store.TryAcquireLeaseAsync(current.Id, Lease("a", "new-process"), T0, T0.AddMinutes(5));
        await Store.TryAcquireLeaseAsync(theirs.Id, Lease("b", "crashed-process"), T0, T0.AddMinutes(5));

        // Act
        var freed = await Store.ReleaseStaleLeasesAsync("a", "new-process");
        var due = await Store.GetDueConnectionsAsync(T0.AddSeconds(1), 10);

        // Assert
        Assert.Equal(1, freed);
        Assert.Equal([mine.Id], due.Select(d => d.ConnectionId));
    }

    [Fact]
    public async Task ReleaseLeaseAsync_WithTheRunsTokenOnly_FreesTheConnection()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var lease = Lease("a");
        await Store.TryAcquireLeaseAsync(connection.Id, lease, T0, T0.AddMinutes(5));

        // Act
        await Store.ReleaseLeaseAsync(connection.Id, "not-the-token");
        var stillHeld = !await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0, T0.AddMinutes(5));
        await Store.ReleaseLeaseAsync(connection.Id, lease.Token);
        var freed = await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0, T0.AddMinutes(5));

        // Assert
        Assert.True(stillHeld);
        Assert.True(freed);
    }

    [Fact]
    public async Task RenewLeaseAsync_WhileHeld_KeepsOthersOutPastTheFirstLapse()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var lease = Lease("a");
        await Store.TryAcquireLeaseAsync(connection.Id, lease, T0, T0.AddMinutes(5));

        // Act
        var renewed = await Store.RenewLeaseAsync(connection.Id, lease.Token, T0.AddMinutes(9));
        var other = await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0.AddMinutes(6), T0.AddMinutes(11));

        // Assert
        Assert.True(renewed);
        Assert.False(other);
    }

    [Fact]
    public async Task RenewLeaseAsync_AfterAnotherRunTookTheLease_ReturnsFalse()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var old = Lease("a");
        await Store.TryAcquireLeaseAsync(connection.Id, old, T0, T0.AddMinutes(5));
        await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0.AddMinutes(6), T0.AddMinutes(11));

        // Act
        var renewed = await Store.RenewLeaseAsync(connection.Id, old.Token, T0.AddMinutes(12));

        // Assert
        Assert.False(renewed);
        Assert.False(await Store.TryAcquireLeaseAsync(connection.Id, Lease("c"), T0.AddMinutes(7), T0.AddMinutes(12)));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ManyContendersAtOnce_ExactlyOneWins()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Store.TryAcquireLeaseAsync(connection.Id, Lease("owner-" + i), T0, T0.AddMinutes(5)))));

        // Assert
        Assert.Single(wins, w => w);
    }

    // ---- Claims and fenced outcomes ----

    [Fact]
    public async Task ClaimPendingAsync_HoldingTheLease_ReturnsThePendingItemsInOrder()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "e1", CrmObjectType.Email), Item(connection, "c1"), Item(connection, "c2")]);
        var lease = await StartRunAsync(connection);

        // Act
        var firstTwo = await Store.ClaimPendingAsync(connection.Id, lease.Token, 2, T0);
        var all = await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0);

        // Assert
        Assert.Equal(["c1", "c2"], firstTwo.Select(i => i.ExternalId));
        Assert.Equal(["c1", "c2", "e1"], all.Select(i => i.ExternalId));
    }

    [Fact]
    public async Task ClaimPendingAsync_LeaseTakenByAnotherRun_ThrowsLeaseLost()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1")]);
        var old = await StartRunAsync(connection);
        await Store.TryAcquireLeaseAsync(connection.Id, Lease("b"), T0.AddMinutes(6), T0.AddMinutes(11));

        // Act
        var ex = await Assert.ThrowsAsync<CrmSyncLeaseLostException>(() => Store.ClaimPendingAsync(connection.Id, old.Token, 10, T0));

        // Assert
        Assert.Equal(connection.Id, ex.ConnectionId);
    }

    [Fact]
    public async Task CompleteAsync_RunLostItsLease_RefusesTheWholeWriteAndTheNewRunRecordsIt()
    {
        // Arrange: the old run read items, its lease lapsed, a new run took over and claimed them.
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c2")]);
        var old = await StartRunAsync(connection);
        var oldItems = await Store.ClaimPendingAsync(connection.Id, old.Token, 10, T0);
        var fresh = await StartRunAsync(connection, T0.AddMinutes(6), Lease("b"));
        var freshItems = await Store.ClaimPendingAsync(connection.Id, fresh.Token, 10, T0);

        // Act
        await Assert.ThrowsAsync<CrmSyncLeaseLostException>(() => Store.CompleteAsync(connection.Id, [.. oldItems.Select(i => Outcome(i, OutboxItemState.Synced, T0.AddMinutes(7), "crm-old"))], old.Token));
        var recorded = await Store.CompleteAsync(connection.Id, [.. freshItems.Select(i => Outcome(i, OutboxItemState.Synced, T0.AddMinutes(7), "crm-new"))], fresh.Token);

        // Assert
        Assert.Equal(2, recorded.Count);
        Assert.All(await Store.GetRecentlyProcessedAsync(Tenant, connection.Id, 10), i => Assert.Equal(("crm-new", 1), (i.CrmRecordId, i.Attempts)));
        Assert.Equal(2, (await Store.GetOutcomeCountsAsync(Tenant, connection.Id, T0)).Synced);
    }

    [Fact]
    public async Task CompleteAsync_SameItemsTwice_RecordsThemOnce()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var lease = await StartRunAsync(connection);
        await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c2")]);
        var items = await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0);
        var outcomes = items.Select(i => Outcome(i, OutboxItemState.Synced, T0, "crm-" + i.ExternalId)).ToList();

        // Act
        var first = await Store.CompleteAsync(connection.Id, outcomes, lease.Token);
        var again = await Store.CompleteAsync(connection.Id, outcomes, lease.Token);
        var unleased = await Store.CompleteAsync(connection.Id, outcomes, null);

        // Assert
        Assert.Equal((2, 0, 0), (first.Count, again.Count, unleased.Count));
        Assert.Equal(2, (await Store.GetOutcomeCountsAsync(Tenant, connection.Id, T0)).Synced);
    }

    [Fact]
    public async Task ClaimPendingAsync_ItemHeldByADirectPush_LeavesItUntilTheHoldLapses()
    {
        // Arrange: the test contact is pushed directly while a run drains the queue.
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "test") with { HeldUntil = T0.AddMinutes(5) }]);
        var lease = await StartRunAsync(connection);

        // Act
        var duringHold = await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0.AddMinutes(1));
        var afterHold = await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0.AddMinutes(5));

        // Assert: the run never takes the held item while its push may be under way; after a crash the hold lapses.
        Assert.Equal(["c1"], duringHold.Select(i => i.ExternalId));
        Assert.Equal(["c1", "test"], afterHold.Select(i => i.ExternalId));
        Assert.Equal(T0.AddMinutes(5), (await Store.GetOutboxItemAsync(connection.Id, "Contact:test"))?.HeldUntil);
    }

    [Fact]
    public async Task ReleaseHoldsAsync_DirectPushDidNotHappen_NextRunClaimsTheItem()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "test") with { HeldUntil = T0.AddMinutes(5) }]);
        var held = Assert.Single(await Store.GetPendingAsync(connection.Id, 10));
        var lease = await StartRunAsync(connection);

        // Act
        await Store.ReleaseHoldsAsync(connection.Id, [held.Id]);
        var claimed = await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0);

        // Assert
        Assert.Equal(["test"], claimed.Select(i => i.ExternalId));
        Assert.Null(claimed[0].HeldUntil);
    }

    [Fact]
    public async Task CompleteAsync_UnderALease_OnlyRecordsItemsTheRunClaimed()
    {
        // Arrange: c2 arrived after the run's claim, so another read would claim it.
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1")]);
        var lease = await StartRunAsync(connection);
        var claimed = Assert.Single(await Store.ClaimPendingAsync(connection.Id, lease.Token, 10, T0));
        var unclaimed = Assert.Single(await EnqueueAndReadAsync(connection, Item(connection, "c2")), i => i.ExternalId == "c2");

        // Act
        var recorded = await Store.CompleteAsync(connection.Id, [Outcome(claimed, OutboxItemState.Synced, T0, "crm-1"), Outcome(unclaimed, OutboxItemState.Synced, T0, "crm-2")], lease.Token);

        // Assert
        Assert.Equal(["c1"], recorded.Select(o => o.ExternalId));
        Assert.Equal("c2", Assert.Single(await Store.GetPendingAsync(connection.Id, 10)).ExternalId);
        Assert.Empty(await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, ["c2"]));
    }

    // ---- Run history ----

    [Fact]
    public async Task FinishRunAsync_AfterStart_IsHistoryWithItsOutcome()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var lease = await StartRunAsync(connection);
        var whileRunning = await Store.GetRecentRunsAsync(connection.Id, 10);
        var run = new SyncRunSummary(connection.Id, T0, T0.AddSeconds(30), SyncRunOutcome.Warning, 5, 1, 0, "1 skipped");

        // Act
        var finished = await Store.FinishRunAsync(Tenant, run, lease.Token, keep: true);

        // Assert
        Assert.Empty(whileRunning);
        Assert.True(finished);
        Assert.Equal([run], await Store.GetRecentRunsAsync(connection.Id, 10));
    }

    [Fact]
    public async Task FinishRunAsync_NothingWorthKeeping_LeavesNoHistory()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var lease = await StartRunAsync(connection);

        // Act
        var finished = await Store.FinishRunAsync(Tenant, new SyncRunSummary(connection.Id, T0, T0, SyncRunOutcome.Success, 0, 0, 0, null), lease.Token, keep: false);
        var next = await StartRunAsync(connection, T0.AddMinutes(6), Lease("b"));

        // Assert
        Assert.True(finished);
        Assert.Empty(await Store.GetRecentRunsAsync(connection.Id, 10));
        Assert.Empty(await Store.GetLogAsync(Tenant, connection.Id, 10));
        Assert.NotNull(next);
    }

    [Fact]
    public async Task StartRunAsync_PreviousRunNeverFinished_ShowsItAsInterruptedWithWhatItHadDone()
    {
        // Arrange: a run recorded 2 of 3 outcomes, then its process died.
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c2"), Item(connection, "c3")]);
        var crashed = await StartRunAsync(connection);
        var items = await Store.ClaimPendingAsync(connection.Id, crashed.Token, 10, T0);
        await Store.CompleteAsync(connection.Id, [Outcome(items[0], OutboxItemState.Synced, T0.AddSeconds(5), "crm-1"), Outcome(items[1], OutboxItemState.Failed, T0.AddSeconds(6), problem: CrmProblemType.InvalidEmail)], crashed.Token);

        // Act: the instance restarts and the next run starts.
        var next = await StartRunAsync(connection, T0.AddMinutes(1), Lease(incarnation: "process-2"));
        var lateFinish = await Store.FinishRunAsync(Tenant, new SyncRunSummary(connection.Id, T0, T0.AddMinutes(2), SyncRunOutcome.Success, 3, 0, 0, null), crashed.Token, keep: true);

        // Assert
        Assert.False(lateFinish);
        var interrupted = Assert.Single(await Store.GetRecentRunsAsync(connection.Id, 10));
        Assert.Equal((SyncRunOutcome.Interrupted, 1, 0, 1, T0, T0.AddSeconds(6)), (interrupted.Outcome, interrupted.Synced, interrupted.Skipped, interrupted.Failed, interrupted.StartedAt, interrupted.FinishedAt));
        var log = Assert.Single(await Store.GetLogAsync(Tenant, connection.Id, 10));
        Assert.Equal((SyncEventTypes.SyncInterrupted, 2, SyncLogOutcome.Warning, T0.AddMinutes(1)), (log.EventType, log.RecordsAffected, log.Outcome, log.At));
        Assert.Contains("2 records were recorded", log.Error, StringComparison.Ordinal);
        Assert.NotNull(next);
        Assert.Equal(["c3"], (await Store.ClaimPendingAsync(connection.Id, next.Token, 10, T0)).Select(i => i.ExternalId));
    }

    [Fact]
    public async Task StartRunAsync_WithoutTheLease_ThrowsLeaseLost()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var ex = await Assert.ThrowsAsync<CrmSyncLeaseLostException>(() => Store.StartRunAsync(Tenant, connection.Id, "no-lease", T0));

        // Assert
        Assert.Equal(connection.Id, ex.ConnectionId);
    }

    // ---- Outbox ----

    [Fact]
    public async Task EnqueueAsync_RepeatedIdempotencyKeys_StoresEachKeyOnceAndCountsNewOnes()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        var first = await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c2"), Item(connection, "c1")]);
        var again = await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c3")]);
        var empty = await Store.EnqueueAsync([]);

        // Assert
        Assert.Equal(2, first);
        Assert.Equal(1, again);
        Assert.Equal(0, empty);
        Assert.Equal(3, await Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task GetPendingAsync_MixedTypes_ContactsAndLeadsFirstThenActivitiesOldestFirst()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "m1", CrmObjectType.Meeting), Item(connection, "e1", CrmObjectType.Email), Item(connection, "c1"), Item(connection, "l1", CrmObjectType.Lead), Item(connection, "c2"), Item(connection, "k1", CrmObjectType.Call)]);

        // Act
        var all = await Store.GetPendingAsync(connection.Id, 100);
        var firstTwo = await Store.GetPendingAsync(connection.Id, 2);

        // Assert
        Assert.Equal(["c1", "c2", "l1", "e1", "k1", "m1"], all.Select(i => i.ExternalId));
        Assert.Equal(["c1", "c2"], firstTwo.Select(i => i.ExternalId));
    }

    [Fact]
    public async Task GetPendingAsync_RoundTripsEveryField()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var item = Item(connection, "e1", CrmObjectType.Email, OutboxOrigin.Import);

        // Act
        var read = Assert.Single(await EnqueueAndReadAsync(connection, item));

        // Assert
        Assert.True(read.Id > 0);
        Assert.Equal(item with { Id = read.Id, Fields = read.Fields }, read);
        Assert.Equal(item.Fields, read.Fields);
        Assert.Equal(OutboxItemState.Pending, read.State);
        Assert.Equal(0, read.Attempts);
    }

    [Fact]
    public async Task CompleteAsync_MixedOutcomes_RecordsEachAndTheCrmIdsOfSyncedRecords()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "c1"), Item(connection, "c2"), Item(connection, "e1", CrmObjectType.Email), Item(connection, "k1", CrmObjectType.Call));
        var (c1, c2, e1) = (items[0], items[1], items[2]);

        // Act
        await Store.CompleteAsync(connection.Id,
        [
            Outcome(c1, OutboxItemState.Synced, T0.AddSeconds(1), "crm-1"),
            Outcome(c2, OutboxItemState.Failed, T0.AddSeconds(2), problem: CrmProblemType.InvalidEmail, error: "Invalid email"),
            Outcome(e1, OutboxItemState.Skipped, T0.AddSeconds(3), error: "Contact not synced"),
        ], null);

        // Assert
        Assert.Equal("k1", Assert.Single(await Store.GetPendingAsync(connection.Id, 10)).ExternalId);
        var recent = await Store.GetRecentlyProcessedAsync(Tenant, connection.Id, 10);
        Assert.Equal(["e1", "c2", "c1"], recent.Select(i => i.ExternalId));
        Assert.Equal((OutboxItemState.Failed, CrmProblemType.InvalidEmail, "Invalid email", 1), (recent[1].State, recent[1].ProblemType, recent[1].Error, recent[1].Attempts));
        Assert.Equal(("crm-1", (DateTimeOffset?)T0.AddSeconds(1)), (recent[2].CrmRecordId, recent[2].ProcessedAt));
        var ids = await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, ["c1", "c2", "unknown"]);
        Assert.Equal(new Dictionary<string, string> { ["c1"] = "crm-1" }, ids);
    }

    [Fact]
    public async Task CompleteAsync_RecordSyncedAgainUnderANewCrmId_KeepsTheNewId()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var first = Assert.Single(await EnqueueAndReadAsync(connection, Item(connection, "c1", key: "v1")));
        await Store.CompleteAsync(connection.Id, [Outcome(first, OutboxItemState.Synced, T0, "crm-1")], null);
        var second = Assert.Single(await EnqueueAndReadAsync(connection, Item(connection, "c1", key: "v2")));

        // Act
        await Store.CompleteAsync(connection.Id, [Outcome(second, OutboxItemState.Synced, T0.AddMinutes(1), "crm-2")], null);

        // Assert
        Assert.Equal("crm-2", (await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, ["c1"]))["c1"]);
        Assert.Empty(await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Lead, ["c1"]));
        Assert.Empty(await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, []));
    }

    [Fact]
    public async Task GetCrmIdsAsync_MoreIdsThanOneQueryTakes_FindsEveryOne()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, [.. Enumerable.Range(0, 1200).Select(i => Item(connection, "c" + i))]);
        await Store.CompleteAsync(connection.Id, [.. items.Select(i => Outcome(i, OutboxItemState.Synced, T0, "crm-" + i.ExternalId))], null);

        // Act
        var ids = await Store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, [.. items.Select(i => i.ExternalId)]);

        // Assert
        Assert.Equal(1200, ids.Count);
        Assert.Equal("crm-c777", ids["c777"]);
    }

    [Fact]
    public async Task CompleteAsync_AnotherConnectionsItem_IsNotChanged()
    {
        // Arrange
        var mine = await InsertAsync(Connection());
        var theirs = await InsertAsync(Connection(OtherTenant));
        var item = Assert.Single(await EnqueueAndReadAsync(theirs, Item(theirs, "c1")));

        // Act
        await Store.CompleteAsync(mine.Id, [Outcome(item, OutboxItemState.Synced, T0, "crm-1")], null);

        // Assert
        Assert.Equal(1, await Store.CountPendingAsync(theirs.Id));
        Assert.Empty(await Store.GetCrmIdsAsync(theirs.Id, CrmObjectType.Contact, ["c1"]));
    }

    [Fact]
    public async Task RequeueFailedAsync_MovesOnlyFailedItemsBack_AndOnlyForTheTenant()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "ok"), Item(connection, "bad"));
        await Store.CompleteAsync(connection.Id, [Outcome(items[0], OutboxItemState.Synced, T0, "crm-1"), Outcome(items[1], OutboxItemState.Failed, T0, problem: CrmProblemType.InvalidEmail, error: "Invalid email")], null);

        // Act
        var otherTenant = await Store.RequeueFailedAsync(OtherTenant, connection.Id);
        var requeued = await Store.RequeueFailedAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(0, otherTenant);
        Assert.Equal(1, requeued);
        var pending = Assert.Single(await Store.GetPendingAsync(connection.Id, 10));
        Assert.Equal(("bad", null, null, null), (pending.ExternalId, pending.ProblemType, pending.Error, pending.ProcessedAt));
    }

    [Fact]
    public async Task CountPendingAsync_ByOrigin_CountsOnlyThatOrigin()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        await Store.EnqueueAsync([Item(connection, "c1"), Item(connection, "c2", origin: OutboxOrigin.Import), Item(connection, "c3", origin: OutboxOrigin.Import), Item(connection, "t", origin: OutboxOrigin.TestContact)]);

        // Act
        var all = await Store.CountPendingAsync(connection.Id);
        var imports = await Store.CountPendingAsync(connection.Id, OutboxOrigin.Import);
        var changes = await Store.CountPendingAsync(connection.Id, OutboxOrigin.Change);

        // Assert
        Assert.Equal((4, 2, 1), (all, imports, changes));
    }

    [Fact]
    public async Task GetRecentlyProcessedAsync_OtherTenant_SeesNothing()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var item = Assert.Single(await EnqueueAndReadAsync(connection, Item(connection, "c1")));
        await Store.CompleteAsync(connection.Id, [Outcome(item, OutboxItemState.Synced, T0, "crm-1")], null);

        // Act
        var theirs = await Store.GetRecentlyProcessedAsync(OtherTenant, connection.Id, 10);
        var mine = await Store.GetRecentlyProcessedAsync(Tenant, connection.Id, 10);

        // Assert
        Assert.Empty(theirs);
        Assert.Single(mine);
    }

    [Fact]
    public async Task GetOutcomeCountsAsync_SinceATime_CountsLaterOutcomesPendingItemsAndFailuresByProblem()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "old"), Item(connection, "s1"), Item(connection, "s2"), Item(connection, "k1"), Item(connection, "f1"), Item(connection, "f2"), Item(connection, "f3"), Item(connection, "p1"));
        await Store.CompleteAsync(connection.Id,
        [
            Outcome(items[0], OutboxItemState.Synced, T0.AddHours(-30), "crm-old"),
            Outcome(items[1], OutboxItemState.Synced, T0, "crm-1"),
            Outcome(items[2], OutboxItemState.Synced, T0, "crm-2"),
            Outcome(items[3], OutboxItemState.Skipped, T0),
            Outcome(items[4], OutboxItemState.Failed, T0, problem: CrmProblemType.InvalidEmail),
            Outcome(items[5], OutboxItemState.Failed, T0, problem: CrmProblemType.InvalidEmail),
            Outcome(items[6], OutboxItemState.Failed, T0),
        ], null);

        // Act
        var counts = await Store.GetOutcomeCountsAsync(Tenant, connection.Id, T0.AddHours(-24));
        var otherTenant = await Store.GetOutcomeCountsAsync(OtherTenant, connection.Id, T0.AddHours(-24));

        // Assert
        Assert.Equal((2, 1, 3, 1), (counts.Synced, counts.Skipped, counts.Failed, counts.Pending));
        Assert.Equal(2, counts.FailedByProblem[CrmProblemType.InvalidEmail.Value]);
        Assert.Equal(1, counts.FailedByProblem[CrmProblemType.Unknown.Value]);
        Assert.Equal((0, 0, 0, 0), (otherTenant.Synced, otherTenant.Skipped, otherTenant.Failed, otherTenant.Pending));
    }

    // ---- Runs, log, alerts ----

    [Fact]
    public async Task AppendRunAsync_ThenGetRecentRuns_NewestFirstWithEveryField()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var older = new SyncRunSummary(connection.Id, T0, T0.AddSeconds(5), SyncRunOutcome.Success, 10, 1, 0, null);
        var newer = new SyncRunSummary(connection.Id, T0.AddMinutes(5), T0.AddMinutes(6), SyncRunOutcome.Failed, 0, 0, 3, "CRM unavailable");

        // Act
        await Store.AppendRunAsync(Tenant, older);
        await Store.AppendRunAsync(Tenant, newer);
        var all = await Store.GetRecentRunsAsync(connection.Id, 10);
        var last = await Store.GetRecentRunsAsync(connection.Id, 1);

        // Assert
        Assert.Equal([newer, older], all);
        Assert.Equal([newer], last);
        Assert.Empty(await Store.GetRecentRunsAsync(Guid.NewGuid(), 10));
    }

    [Fact]
    public async Task AppendLogAsync_ThenGetLog_NewestFirstAndTenantScoped()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var first = new SyncLogEntry(Tenant, connection.Id, T0, SyncEventTypes.ContactSync, 5, SyncLogOutcome.Success, "crm-1");
        var second = new SyncLogEntry(Tenant, connection.Id, T0.AddSeconds(1), SyncEventTypes.SyncFailed, 0, SyncLogOutcome.Error, null, "CRM unavailable");
        var foreign = new SyncLogEntry(OtherTenant, connection.Id, T0, SyncEventTypes.ContactSync, 1, SyncLogOutcome.Success);

        // Act
        await Store.AppendLogAsync([first, second, foreign]);
        await Store.AppendLogAsync([]);
        var log = await Store.GetLogAsync(Tenant, connection.Id, 10);
        var latest = await Store.GetLogAsync(Tenant, connection.Id, 1);

        // Assert
        Assert.Equal([second, first], log);
        Assert.Equal([second], latest);
        Assert.Equal([foreign], await Store.GetLogAsync(OtherTenant, connection.Id, 10));
    }

    [Fact]
    public async Task AcknowledgeAlertsAsync_OneConnectionThenAll_LeavesOtherTenantsAlertsAlone()
    {
        // Arrange
        var a = await InsertAsync(Connection());
        var b = await InsertAsync(Connection());
        var theirs = await InsertAsync(Connection(OtherTenant));
        CrmSyncAlert Alert(StoredConnection c, DateTimeOffset at) => new()
        {
            TenantId = c.TenantId, ConnectionId = c.Id, Provider = "inmemory", CrmName = "In-memory CRM", Kind = CrmSyncAlertKind.ConsecutiveFailures,
            ConsecutiveFailures = 3, Message = "3 syncs failed", Link = new Uri("/integrations", UriKind.Relative), RaisedAt = at,
        };
        var alertA = Alert(a, T0);
        var alertB = Alert(b, T0.AddMinutes(1));
        await Store.AppendAlertAsync(alertA);
        await Store.AppendAlertAsync(alertB);
        await Store.AppendAlertAsync(Alert(theirs, T0));

        // Act
        var before = await Store.GetAlertsAsync(Tenant, openOnly: true);
        await Store.AcknowledgeAlertsAsync(Tenant, a.Id);
        var afterOne = await Store.GetAlertsAsync(Tenant, openOnly: true);
        await Store.AcknowledgeAlertsAsync(Tenant, null);
        var afterAll = await Store.GetAlertsAsync(Tenant, openOnly: true);
        var history = await Store.GetAlertsAsync(Tenant, openOnly: false);

        // Assert
        Assert.Equal([alertB, alertA], before, AlertComparer.Instance);
        Assert.Equal([alertB.Id], afterOne.Select(x => x.Id));
        Assert.Empty(afterAll);
        Assert.Equal([alertB with { State = CrmSyncAlertState.Acknowledged }, alertA with { State = CrmSyncAlertState.Acknowledged }], history, AlertComparer.Instance);
        Assert.Single(await Store.GetAlertsAsync(OtherTenant, openOnly: true));
    }

    private static CrmSyncAlert OpenAlert(StoredConnection c, DateTimeOffset at, params CrmSyncAlertRecipient[] recipients) => new()
    {
        TenantId = c.TenantId, ConnectionId = c.Id, Provider = "inmemory", CrmName = "In-memory CRM", Kind = CrmSyncAlertKind.ProviderOutage,
        Message = "The CRM is not responding", Link = new Uri("/settings/integrations", UriKind.Relative), RaisedAt = at, Recipients = recipients,
    };

    [Fact]
    public async Task ResolveAlertsAsync_ConnectionRecovered_ClosesOnlyItsOpenAlertsWithTheTime()
    {
        // Arrange
        var a = await InsertAsync(Connection());
        var b = await InsertAsync(Connection());
        var acknowledged = OpenAlert(a, T0);
        var open = OpenAlert(a, T0.AddMinutes(1), new CrmSyncAlertRecipient("u1", "Olivia Owner", "owner@example.test"));
        var other = OpenAlert(b, T0.AddMinutes(2));
        await Store.AppendAlertAsync(acknowledged);
        await Store.AppendAlertAsync(open);
        await Store.AppendAlertAsync(other);
        await Store.AcknowledgeAlertAsync(Tenant, acknowledged.Id, "olivia", T0.AddMinutes(3));

        // Act
        var resolved = await Store.ResolveAlertsAsync(Tenant, a.Id, T0.AddMinutes(4));
        var wrongTenant = await Store.ResolveAlertsAsync(OtherTenant, b.Id, T0.AddMinutes(4));
        var history = await Store.GetAlertsAsync(Tenant, openOnly: false);

        // Assert
        Assert.Equal(1, resolved);
        Assert.Equal(0, wrongTenant);
        Assert.Equal(
            [
                other,
                open with { State = CrmSyncAlertState.Resolved, ClosedAt = T0.AddMinutes(4) },
                acknowledged with { State = CrmSyncAlertState.Acknowledged, ClosedAt = T0.AddMinutes(3), AcknowledgedBy = "olivia" },
            ],
            history,
            AlertComparer.Instance);
        Assert.Equal([other.Id], (await Store.GetAlertsAsync(Tenant, openOnly: true)).Select(x => x.Id));
    }

    [Fact]
    public async Task AcknowledgeAlertAsync_OtherTenantOrClosed_ChangesNothing()
    {
        // Arrange
        var a = await InsertAsync(Connection());
        var alert = OpenAlert(a, T0);
        await Store.AppendAlertAsync(alert);

        // Act
        var foreign = await Store.AcknowledgeAlertAsync(OtherTenant, alert.Id, "mallory", T0);
        var first = await Store.AcknowledgeAlertAsync(Tenant, alert.Id, "olivia", T0.AddMinutes(1));
        var second = await Store.AcknowledgeAlertAsync(Tenant, alert.Id, "ada", T0.AddMinutes(2));

        // Assert
        Assert.False(foreign);
        Assert.True(first);
        Assert.False(second);
        var stored = Assert.Single(await Store.GetAlertsAsync(Tenant, openOnly: false));
        Assert.Equal("olivia", stored.AcknowledgedBy);
        Assert.Equal(T0.AddMinutes(1), stored.ClosedAt);
    }

    [Fact]
    public async Task GetFailedCountsAsync_FailedItems_CountsByProblemTypeAndForgetsRequeued()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "c1"), Item(connection, "c2"), Item(connection, "c3"), Item(connection, "c4"));
        await Store.CompleteAsync(connection.Id,
        [
            Outcome(items[0], OutboxItemState.Failed, T0, problem: CrmProblemType.RequiredFieldMissing, error: "Last name is required"),
            Outcome(items[1], OutboxItemState.Failed, T0, problem: CrmProblemType.RequiredFieldMissing, error: "Last name is required"),
            Outcome(items[2], OutboxItemState.Failed, T0, problem: CrmProblemType.InvalidEmail, error: "Bad email"),
            Outcome(items[3], OutboxItemState.Synced, T0, crmId: "crm-4"),
        ], null);

        // Act
        var counts = await Store.GetFailedCountsAsync(connection.Id);
        await Store.RequeueFailedAsync(Tenant, connection.Id);
        var afterRequeue = await Store.GetFailedCountsAsync(connection.Id);

        // Assert
        Assert.Equal(2, counts[CrmProblemType.RequiredFieldMissing.Value]);
        Assert.Equal(1, counts[CrmProblemType.InvalidEmail.Value]);
        Assert.Equal(2, counts.Count);
        Assert.Empty(afterRequeue);
    }

    [Fact]
    public async Task DeleteConnectionAsync_WithHistory_RemovesItsRowsOnlyAndOnlyForItsTenant()
    {
        // Arrange
        var mistake = await InsertAsync(Connection());
        var keep = await InsertAsync(Connection());
        foreach (var c in new[] { mistake, keep })
        {
            var items = await EnqueueAndReadAsync(c, Item(c, "c1"));
            await Store.CompleteAsync(c.Id, [Outcome(items[0], OutboxItemState.Synced, T0, crmId: "crm-1")], null);
            await Store.AppendRunAsync(Tenant, new SyncRunSummary(c.Id, T0, T0, SyncRunOutcome.Success, 1, 0, 0, null));
            await Store.AppendLogAsync([new SyncLogEntry(Tenant, c.Id, T0, SyncEventTypes.ContactSync, 1, SyncLogOutcome.Success)]);
            await Store.AppendAlertAsync(OpenAlert(c, T0));
        }

        // Act
        var foreign = await Store.DeleteConnectionAsync(OtherTenant, mistake.Id);
        var deleted = await Store.DeleteConnectionAsync(Tenant, mistake.Id);
        var again = await Store.DeleteConnectionAsync(Tenant, mistake.Id);

        // Assert
        Assert.False(foreign);
        Assert.True(deleted);
        Assert.False(again);
        Assert.Null(await Store.GetConnectionAsync(Tenant, mistake.Id));
        Assert.Empty(await Store.GetRecentlyProcessedAsync(Tenant, mistake.Id, 10));
        Assert.Empty(await Store.GetCrmIdsAsync(mistake.Id, CrmObjectType.Contact, ["c1"]));
        Assert.Empty(await Store.GetRecentRunsAsync(mistake.Id, 10));
        Assert.Empty(await Store.GetLogAsync(Tenant, mistake.Id, 10));
        Assert.Equal([keep.Id], (await Store.GetAlertsAsync(Tenant, openOnly: false)).Select(a => a.ConnectionId));
        Assert.NotNull(await Store.GetConnectionAsync(Tenant, keep.Id));
        Assert.Single(await Store.GetRecentlyProcessedAsync(Tenant, keep.Id, 10));
        Assert.Equal("crm-1", (await Store.GetCrmIdsAsync(keep.Id, CrmObjectType.Contact, ["c1"]))["c1"]);
    }

    /// <summary>Compares alerts by value, recipients included (records compare lists by reference).</summary>
    private sealed class AlertComparer : IEqualityComparer<CrmSyncAlert>
    {
        public static readonly AlertComparer Instance = new();

        public bool Equals(CrmSyncAlert? x, CrmSyncAlert? y) =>
            x is not null && y is not null && (x with { Recipients = [] }) == (y with { Recipients = [] }) && x.Recipients.SequenceEqual(y.Recipients);

        public int GetHashCode(CrmSyncAlert obj) => obj.Id.GetHashCode();
    }

    // ---- Small values ----

    [Fact]
    public async Task SetValueAsync_ThenGet_ReturnsTheLatestValueUntilItExpires()
    {
        // Arrange
        await Store.SetValueAsync("tenant-a:prefs", "columns", "v1", null);

        // Act
        await Store.SetValueAsync("tenant-a:prefs", "columns", "v2", T0.AddMinutes(10));
        var before = await Store.GetValueAsync("tenant-a:prefs", "columns", T0);
        var after = await Store.GetValueAsync("tenant-a:prefs", "columns", T0.AddMinutes(11));
        var otherScope = await Store.GetValueAsync("tenant-b:prefs", "columns", T0);

        // Assert
        Assert.Equal("v2", before);
        Assert.Null(after);
        Assert.Null(otherScope);
    }

    [Fact]
    public async Task TakeValueAsync_OneTimeValue_ReturnsItOnceAndNeverWhenExpired()
    {
        // Arrange
        await Store.SetValueAsync("oauth", "state-1", "payload", T0.AddMinutes(10));
        await Store.SetValueAsync("oauth", "state-2", "late", T0.AddMinutes(10));

        // Act
        var first = await Store.TakeValueAsync("oauth", "state-1", T0);
        var second = await Store.TakeValueAsync("oauth", "state-1", T0);
        var expired = await Store.TakeValueAsync("oauth", "state-2", T0.AddMinutes(11));

        // Assert
        Assert.Equal("payload", first);
        Assert.Null(second);
        Assert.Null(expired);
        Assert.Null(await Store.GetValueAsync("oauth", "state-2", T0));
    }

    [Fact]
    public async Task TakeValueAsync_ManyCallersAtOnce_ExactlyOneGetsTheValue()
    {
        // Arrange
        await Store.SetValueAsync("oauth", "state", "payload", null);

        // Act
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.TakeValueAsync("oauth", "state", T0))));

        // Assert
        Assert.Single(taken, t => t is not null);
    }

    [Fact]
    public async Task PurgeAsync_OldRows_DeletesProcessedItemsLogRunsAndExpiredValuesButKeepsPendingAndFailed()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "synced"), Item(connection, "failed"), Item(connection, "pending"), Item(connection, "recent"));
        await Store.CompleteAsync(connection.Id, [Outcome(items[0], OutboxItemState.Synced, T0, "crm-1"), Outcome(items[1], OutboxItemState.Failed, T0), Outcome(items[3], OutboxItemState.Synced, T0.AddDays(2), "crm-2")], null);
        await Store.AppendLogAsync([new(Tenant, connection.Id, T0, SyncEventTypes.ContactSync, 1, SyncLogOutcome.Success), new(Tenant, connection.Id, T0.AddDays(2), SyncEventTypes.ContactSync, 1, SyncLogOutcome.Success)]);
        await Store.AppendRunAsync(Tenant, new SyncRunSummary(connection.Id, T0, T0, SyncRunOutcome.Success, 1, 0, 0, null));
        await Store.SetValueAsync("s", "expired", "x", T0);
        await Store.SetValueAsync("s", "forever", "y", null);

        // Act
        var deleted = await Store.PurgeAsync(T0.AddDays(1));

        // Assert
        Assert.Equal(4, deleted);
        Assert.Equal(["recent", "failed"], (await Store.GetRecentlyProcessedAsync(Tenant, connection.Id, 10)).Select(i => i.ExternalId));
        Assert.Equal(1, await Store.CountPendingAsync(connection.Id));
        Assert.Single(await Store.GetLogAsync(Tenant, connection.Id, 10));
        Assert.Empty(await Store.GetRecentRunsAsync(connection.Id, 10));
        Assert.Equal("y", await Store.GetValueAsync("s", "forever", T0.AddDays(3)));
    }

    [Fact]
    public async Task GetOutboxItemAsync_ByKey_FindsItWhateverItsStateAndOnlyOnItsConnection()
    {
        // Arrange
        var connection = await InsertAsync(Connection());
        var other = await InsertAsync(Connection());
        var items = await EnqueueAndReadAsync(connection, Item(connection, "a", key: "test:1"), Item(connection, "b", key: "test:2"));
        await Store.CompleteAsync(connection.Id, [Outcome(items[1], OutboxItemState.Synced, T0, "crm-2")], null);

        // Act
        var pending = await Store.GetOutboxItemAsync(connection.Id, "test:1");
        var synced = await Store.GetOutboxItemAsync(connection.Id, "test:2");
        var elsewhere = await Store.GetOutboxItemAsync(other.Id, "test:1");

        // Assert
        Assert.Equal(("a", OutboxItemState.Pending), (pending!.ExternalId, pending.State));
        Assert.Equal(("b", OutboxItemState.Synced, "crm-2"), (synced!.ExternalId, synced.State, synced.CrmRecordId));
        Assert.Null(elsewhere);
    }

    [Fact]
    public async Task AppendTimelineAsync_ThenGet_NewestEventsOldestFirstAndTenantScoped()
    {
        // Arrange
        var connection = Guid.NewGuid();
        await Store.AppendTimelineAsync(
        [
            new(Tenant, "lead-1", T0, CrmTimelineStage.Pending, "HubSpot", connection),
            new(Tenant, "lead-1", T0.AddSeconds(1), CrmTimelineStage.Failed, "HubSpot", connection, null, "HubSpot is not responding."),
            new(Tenant, "lead-1", T0.AddMinutes(5), CrmTimelineStage.Succeeded, "HubSpot", connection, "crm-9"),
            new(Tenant, "lead-2", T0, CrmTimelineStage.Pending),
            new(OtherTenant, "lead-1", T0, CrmTimelineStage.Failed, null, null, null, "No CRM integration is configured."),
        ]);

        // Act
        var all = await Store.GetTimelineAsync(Tenant, "lead-1", 10);
        var newestTwo = await Store.GetTimelineAsync(Tenant, "lead-1", 2);

        // Assert
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Failed, CrmTimelineStage.Succeeded], all.Select(e => e.Stage));
        Assert.Equal(new CrmTimelineEvent(Tenant, "lead-1", T0.AddSeconds(1), CrmTimelineStage.Failed, "HubSpot", connection, null, "HubSpot is not responding."), all[1]);
        Assert.Equal("crm-9", all[2].CrmRecordId);
        Assert.Equal([CrmTimelineStage.Failed, CrmTimelineStage.Succeeded], newestTwo.Select(e => e.Stage));
        Assert.Null((await Store.GetTimelineAsync(Tenant, "lead-2", 10))[0].ConnectionId);
        Assert.Single(await Store.GetTimelineAsync(OtherTenant, "lead-1", 10));
    }

    [Fact]
    public async Task InitializeAsync_CalledAgain_KeepsTheData()
    {
        // Arrange
        var connection = await InsertAsync(Connection());

        // Act
        await Store.InitializeAsync();

        // Assert
        Assert.NotNull(await Store.GetConnectionAsync(Tenant, connection.Id));
    }

    // ---- Import runs ----

    protected static CrmImportRun ImportRun(Guid connectionId, string tenant = Tenant, DateTimeOffset? startedAt = null, CrmImportRunStatus status = CrmImportRunStatus.Running)
    {
        var filter = new CrmFetchFilter { Stages = ["lost"] };
        return new CrmImportRun { Id = Guid.NewGuid(), TenantId = tenant, ConnectionId = connectionId, Filter = filter, ScopeKey = filter.GetScopeKey(), StartedAt = startedAt ?? T0, Status = status, StartedBy = "manager@example.test" };
    }

    protected static CrmFetchedRecord Deal(string crmId, DateTimeOffset modifiedAt, CrmFetchObjectType type = CrmFetchObjectType.Deal) => new()
    {
        ObjectType = type,
        CrmId = crmId,
        Name = "Deal " + crmId,
        Stage = "lost",
        ModifiedAt = modifiedAt,
        CreatedAt = T0.AddDays(-10),
        Fields = new Dictionary<string, string?> { ["amount"] = "100" },
    };

    [Fact]
    public async Task InsertImportRunAsync_ThenGet_RoundTripsAndIsTenantScoped()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid()) with { Cursor = "page-2", HighWaterMark = T0.AddDays(-1) };

        // Act
        await Imports.InsertImportRunAsync(run);
        var read = await Imports.GetImportRunAsync(Tenant, run.Id);
        var foreign = await Imports.GetImportRunAsync(OtherTenant, run.Id);

        // Assert
        Assert.Equivalent(run, read);
        Assert.Null(foreign);
    }

    [Fact]
    public async Task GetImportRunsAsync_SeveralRuns_NewestFirstForTheConnectionAndTenant()
    {
        // Arrange
        var connectionId = Guid.NewGuid();
        var older = ImportRun(connectionId, startedAt: T0);
        var newer = ImportRun(connectionId, startedAt: T0.AddHours(1));
        await Imports.InsertImportRunAsync(older);
        await Imports.InsertImportRunAsync(newer);
        await Imports.InsertImportRunAsync(ImportRun(Guid.NewGuid()));
        await Imports.InsertImportRunAsync(ImportRun(connectionId, OtherTenant));

        // Act
        var runs = await Imports.GetImportRunsAsync(Tenant, connectionId, 10);
        var latest = await Imports.GetImportRunsAsync(Tenant, connectionId, 1);

        // Assert
        Assert.Equal([newer.Id, older.Id], runs.Select(r => r.Id));
        Assert.Equal([newer.Id], latest.Select(r => r.Id));
    }

    [Fact]
    public async Task GetDueImportRunsAsync_WaitingRuns_ReturnsThoseWhoseWaitIsOverInOrder()
    {
        // Arrange
        var late = ImportRun(Guid.NewGuid()) with { Status = CrmImportRunStatus.Waiting, ResumeAt = T0.AddMinutes(-1) };
        var early = ImportRun(Guid.NewGuid(), OtherTenant) with { Status = CrmImportRunStatus.Waiting, ResumeAt = T0.AddMinutes(-5) };
        await Imports.InsertImportRunAsync(late);
        await Imports.InsertImportRunAsync(early);
        await Imports.InsertImportRunAsync(ImportRun(Guid.NewGuid()) with { Status = CrmImportRunStatus.Waiting, ResumeAt = T0.AddMinutes(1) });
        await Imports.InsertImportRunAsync(ImportRun(Guid.NewGuid()) with { Status = CrmImportRunStatus.Running, ResumeAt = T0.AddMinutes(-9) });

        // Act
        var due = await Imports.GetDueImportRunsAsync(T0, 10);

        // Assert
        Assert.Equal([(OtherTenant, early.Id), (Tenant, late.Id)], due);
    }

    [Fact]
    public async Task UpdateImportRunAsync_ChangesProgressButNotIdentity()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);

        // Act
        var updated = await Imports.UpdateImportRunAsync(Tenant, run.Id, r => r with { Id = Guid.NewGuid(), ConnectionId = Guid.NewGuid(), ScopeKey = "other", StartedAt = T0.AddDays(1), Status = CrmImportRunStatus.Completed, FinishedAt = T0.AddMinutes(3) });
        var missing = await Assert.ThrowsAsync<KeyNotFoundException>(() => Imports.UpdateImportRunAsync(OtherTenant, run.Id, r => r));

        // Assert
        Assert.Equal((run.Id, run.ConnectionId, run.ScopeKey, run.StartedAt, CrmImportRunStatus.Completed), (updated.Id, updated.ConnectionId, updated.ScopeKey, updated.StartedAt, updated.Status));
        Assert.Equivalent(updated, await Imports.GetImportRunAsync(Tenant, run.Id));
        Assert.Contains(run.Id.ToString(), missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveImportPageAsync_NewChangedSameAndRejectedRecords_CountsEachAndMovesTheRun()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);
        var (first, _) = await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-3)), Deal("b", T0.AddDays(-3)), Deal("r", T0.AddDays(-3))], "page-2", T0);
        var rejectedId = (await Imports.GetInboxAsync(Tenant, new CrmInboxQuery())).Single(i => i.Record.CrmId == "r").Id;
        await Imports.DecideInboxItemsAsync(Tenant, null, [rejectedId], CrmInboxItemState.Rejected, "manager", T0);

        // Act
        var (second, result) = await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-1)), Deal("b", T0.AddDays(-3)), Deal("r", T0.AddDays(-1)), Deal("c", T0.AddDays(-2))], null, T0.AddMinutes(1));

        // Assert
        Assert.Equal((3L, 1, "page-2"), (first.Added, first.Pages, first.Cursor));
        Assert.Equal(new CrmInboxAddResult(1, 1, 1, 1), result);
        Assert.Equal((2, 7L, 4L, 1L, 1L, 1L, (string?)null, (DateTimeOffset?)T0.AddDays(-1)), (second.Pages, second.Fetched, second.Added, second.Updated, second.Unchanged, second.PreviouslyRejected, second.Cursor, second.HighWaterMark));
        Assert.Equivalent(second, await Imports.GetImportRunAsync(Tenant, run.Id));
        var items = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { State = null });
        Assert.Equal(4, items.Count);
        var a = items.Single(i => i.Record.CrmId == "a");
        Assert.Equal((T0.AddDays(-1), T0, T0.AddMinutes(1), (Guid?)run.Id), (a.Record.ModifiedAt, a.FirstSeenAt, a.FetchedAt, a.RunId));
        Assert.Equal(T0.AddDays(-3), items.Single(i => i.Record.CrmId == "r").Record.ModifiedAt);
    }

    [Fact]
    public async Task SaveImportPageAsync_SameRecordTwiceInOnePage_AddsItOnceAndKeepsTheNewerVersion()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);

        // Act
        var (_, result) = await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-3)), Deal("a", T0.AddDays(-1)), Deal("a", T0.AddDays(-2))], null, T0);

        // Assert
        Assert.Equal(new CrmInboxAddResult(1, 1, 1, 0), result);
        Assert.Equal(T0.AddDays(-1), Assert.Single(await Imports.GetInboxAsync(Tenant, new CrmInboxQuery())).Record.ModifiedAt);
    }

    [Fact]
    public async Task SaveImportPageAsync_UnknownRunOrNullRecord_ThrowsAndStoresNothing()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);

        // Act
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Imports.SaveImportPageAsync(OtherTenant, run.Id, [Deal("a", T0)], null, T0));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0), null!], null, T0));

        // Assert
        Assert.Equal(new CrmInboxCounts(0, 0, 0, 0), await Imports.CountInboxAsync(Tenant, null));
        Assert.Equal(0, (await Imports.GetImportRunAsync(Tenant, run.Id))!.Pages);
    }

    [Fact]
    public async Task SaveImportPageAsync_ApprovedDeliveredRecordChanges_IsUndeliveredAgainAsAnUpdate()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);
        await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-3))], null, T0);
        var item = Assert.Single(await Imports.GetInboxAsync(Tenant, new CrmInboxQuery()));
        await Imports.DecideInboxItemsAsync(Tenant, null, [item.Id], CrmInboxItemState.Approved, "manager", T0);
        await Imports.MarkDeliveredAsync(Tenant, [(item.Id, item.Record.ModifiedAt)], T0);
        var deliveredFirst = await Imports.GetUndeliveredAsync(Tenant, null, 10);

        // Act
        await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-1))], null, T0.AddHours(1));
        var undelivered = await Imports.GetUndeliveredAsync(Tenant, null, 10);

        // Assert
        Assert.Empty(deliveredFirst);
        var again = Assert.Single(undelivered);
        Assert.Equal((CrmInboxItemState.Approved, true, (DateTimeOffset?)null, T0.AddDays(-1)), (again.State, again.DeliveredBefore, again.DeliveredAt, again.Record.ModifiedAt));
    }

    [Fact]
    public async Task MarkDeliveredAsync_ANewerVersionArrivedMeanwhile_LeavesItUndelivered()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);
        await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-3)), Deal("b", T0.AddDays(-3))], null, T0);
        var items = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery());
        await Imports.DecideInboxItemsAsync(Tenant, null, null, CrmInboxItemState.Approved, "manager", T0);
        var read = await Imports.GetUndeliveredAsync(Tenant, null, 10);
        await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0.AddDays(-1))], null, T0.AddMinutes(1));

        // Act
        await Imports.MarkDeliveredAsync(OtherTenant, [.. read.Select(i => (i.Id, i.Record.ModifiedAt))], T0.AddMinutes(2));
        var afterForeign = await Imports.GetUndeliveredAsync(Tenant, null, 10);
        await Imports.MarkDeliveredAsync(Tenant, [.. read.Select(i => (i.Id, i.Record.ModifiedAt))], T0.AddMinutes(2));
        await Imports.MarkDeliveredAsync(Tenant, [], T0.AddMinutes(2));

        // Assert
        Assert.Equal(2, afterForeign.Count);
        var left = Assert.Single(await Imports.GetUndeliveredAsync(Tenant, null, 10));
        Assert.Equal(items.Single(i => i.Record.CrmId == "a").Id, left.Id);
        Assert.Equal(new CrmInboxCounts(0, 2, 0, 1), await Imports.CountInboxAsync(Tenant, null));
    }

    [Fact]
    public async Task GetHighWaterMarkAsync_OnlyCompletedRunsOfTheScopeCount()
    {
        // Arrange
        var connectionId = Guid.NewGuid();
        var completed = ImportRun(connectionId) with { Status = CrmImportRunStatus.Completed, HighWaterMark = T0.AddDays(-2) };
        var newerCompleted = ImportRun(connectionId) with { Status = CrmImportRunStatus.Completed, HighWaterMark = T0.AddDays(-1) };
        var running = ImportRun(connectionId) with { HighWaterMark = T0 };
        var otherScope = ImportRun(connectionId) with { ScopeKey = "other-scope", Status = CrmImportRunStatus.Completed, HighWaterMark = T0.AddDays(1) };
        foreach (var r in new[] { completed, newerCompleted, running, otherScope })
        {
            await Imports.InsertImportRunAsync(r);
        }

        // Act
        var mark = await Imports.GetHighWaterMarkAsync(Tenant, connectionId, completed.ScopeKey);
        var none = await Imports.GetHighWaterMarkAsync(Tenant, connectionId, "never-run");
        var foreign = await Imports.GetHighWaterMarkAsync(OtherTenant, connectionId, completed.ScopeKey);

        // Assert
        Assert.Equal(T0.AddDays(-1), mark);
        Assert.Null(none);
        Assert.Null(foreign);
    }

    [Fact]
    public async Task GetInboxAsync_KeysetPagingAndFilters_ReturnEveryMatchingItemOnceInIdOrder()
    {
        // Arrange
        var connectionA = Guid.NewGuid();
        var connectionB = Guid.NewGuid();
        var runA = ImportRun(connectionA);
        var runB = ImportRun(connectionB);
        var foreign = ImportRun(Guid.NewGuid(), OtherTenant);
        await Imports.InsertImportRunAsync(runA);
        await Imports.InsertImportRunAsync(runB);
        await Imports.InsertImportRunAsync(foreign);
        await Imports.SaveImportPageAsync(Tenant, runA.Id, [.. Enumerable.Range(0, 5).Select(i => Deal("a" + i, T0)), Deal("p1", T0, CrmFetchObjectType.Contact)], null, T0);
        await Imports.SaveImportPageAsync(Tenant, runB.Id, [Deal("b0", T0)], null, T0);
        await Imports.SaveImportPageAsync(OtherTenant, foreign.Id, [Deal("x0", T0)], null, T0);

        // Act
        var pages = new List<CrmInboxItem>();
        long after = 0;
        while (true)
        {
            var page = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { AfterId = after, Limit = 2 });
            if (page.Count == 0)
            {
                break;
            }

            pages.AddRange(page);
            after = page[^1].Id;
        }

        var onlyB = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { ConnectionId = connectionB });
        var contacts = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { ObjectType = CrmFetchObjectType.Contact });
        var approved = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { State = CrmInboxItemState.Approved });

        // Assert
        Assert.Equal(7, pages.Count);
        Assert.Equal(pages.Select(p => p.Id).Order(), pages.Select(p => p.Id));
        Assert.All(pages, p => Assert.Equal(Tenant, p.TenantId));
        Assert.Equal("b0", Assert.Single(onlyB).Record.CrmId);
        Assert.Equal("p1", Assert.Single(contacts).Record.CrmId);
        Assert.Empty(approved);
    }

    [Fact]
    public async Task DecideInboxItemsAsync_DecidesPendingItemsOnceAndOnlyTheTenants()
    {
        // Arrange
        var connectionId = Guid.NewGuid();
        var run = ImportRun(connectionId);
        await Imports.InsertImportRunAsync(run);
        await Imports.SaveImportPageAsync(Tenant, run.Id, [Deal("a", T0), Deal("b", T0), Deal("c", T0)], null, T0);
        var ids = (await Imports.GetInboxAsync(Tenant, new CrmInboxQuery())).Select(i => i.Id).ToList();

        // Act
        var foreign = await Imports.DecideInboxItemsAsync(OtherTenant, null, ids, CrmInboxItemState.Approved, "intruder", T0);
        var approved = await Imports.DecideInboxItemsAsync(Tenant, connectionId, [ids[0], ids[0]], CrmInboxItemState.Approved, "manager", T0.AddMinutes(1));
        var again = await Imports.DecideInboxItemsAsync(Tenant, null, [ids[0]], CrmInboxItemState.Rejected, "manager", T0.AddMinutes(2));
        var otherConnection = await Imports.DecideInboxItemsAsync(Tenant, Guid.NewGuid(), null, CrmInboxItemState.Rejected, "manager", T0.AddMinutes(2));
        var rest = await Imports.DecideInboxItemsAsync(Tenant, null, null, CrmInboxItemState.Rejected, "manager", T0.AddMinutes(3));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Imports.DecideInboxItemsAsync(Tenant, null, null, CrmInboxItemState.Pending, "manager", T0));

        // Assert
        Assert.Equal((0, 1, 0, 0, 2), (foreign, approved, again, otherConnection, rest));
        var first = (await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { State = CrmInboxItemState.Approved })).Single();
        Assert.Equal(("manager", (DateTimeOffset?)T0.AddMinutes(1)), (first.DecidedBy, first.DecidedAt));
        Assert.Equal(new CrmInboxCounts(0, 1, 2, 1), await Imports.CountInboxAsync(Tenant, null));
        Assert.Equal(new CrmInboxCounts(0, 1, 2, 1), await Imports.CountInboxAsync(Tenant, connectionId));
        Assert.Equal(new CrmInboxCounts(0, 0, 0, 0), await Imports.CountInboxAsync(Tenant, Guid.NewGuid()));
    }

    [Fact]
    public async Task DecideInboxItemsAsync_MoreItemsThanOneStatementTakes_DecidesEveryOne()
    {
        // Arrange
        var run = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(run);
        await Imports.SaveImportPageAsync(Tenant, run.Id, [.. Enumerable.Range(0, 1100).Select(i => Deal("d" + i, T0))], null, T0);
        var ids = new List<long>();
        long after = 0;
        IReadOnlyList<CrmInboxItem> page;
        while ((page = await Imports.GetInboxAsync(Tenant, new CrmInboxQuery { AfterId = after, Limit = 500 })).Count > 0)
        {
            ids.AddRange(page.Select(i => i.Id));
            after = page[^1].Id;
        }

        // Act
        var decided = await Imports.DecideInboxItemsAsync(Tenant, null, ids, CrmInboxItemState.Approved, "manager", T0);

        // Assert
        Assert.Equal(1100, decided);
        Assert.Equal(new CrmInboxCounts(0, 1100, 0, 1100), await Imports.CountInboxAsync(Tenant, null));
    }

    [Fact]
    public async Task GetUndeliveredAsync_ByConnectionAndLimit_ReturnsApprovedUndeliveredInIdOrder()
    {
        // Arrange
        var connectionA = Guid.NewGuid();
        var runA = ImportRun(connectionA);
        var runB = ImportRun(Guid.NewGuid());
        await Imports.InsertImportRunAsync(runA);
        await Imports.InsertImportRunAsync(runB);
        await Imports.SaveImportPageAsync(Tenant, runA.Id, [Deal("a1", T0), Deal("a2", T0), Deal("a3", T0)], null, T0);
        await Imports.SaveImportPageAsync(Tenant, runB.Id, [Deal("b1", T0)], null, T0);
        await Imports.DecideInboxItemsAsync(Tenant, null, null, CrmInboxItemState.Approved, "manager", T0);

        // Act
        var forA = await Imports.GetUndeliveredAsync(Tenant, connectionA, 2);
        var all = await Imports.GetUndeliveredAsync(Tenant, null, 10);
        var foreign = await Imports.GetUndeliveredAsync(OtherTenant, null, 10);

        // Assert
        Assert.Equal(["a1", "a2"], forA.Select(i => i.Record.CrmId));
        Assert.Equal(4, all.Count);
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task GetTenantsAwaitingDeliveryAsync_ApprovedUndeliveredSettledItems_ReturnsEachTenantOnce()
    {
        // Arrange
        var runA = ImportRun(Guid.NewGuid());
        var runB = ImportRun(Guid.NewGuid(), OtherTenant);
        await Imports.InsertImportRunAsync(runA);
        await Imports.InsertImportRunAsync(runB);
        await Imports.SaveImportPageAsync(Tenant, runA.Id, [Deal("a1", T0), Deal("a2", T0)], null, T0);
        await Imports.SaveImportPageAsync(OtherTenant, runB.Id, [Deal("b1", T0)], null, T0);
        await Imports.DecideInboxItemsAsync(Tenant, null, null, CrmInboxItemState.Approved, "manager", T0.AddMinutes(1));
        await Imports.DecideInboxItemsAsync(OtherTenant, null, null, CrmInboxItemState.Approved, "manager", T0.AddMinutes(10));

        // Act
        var settled = await Imports.GetTenantsAwaitingDeliveryAsync(T0.AddMinutes(5), 10);
        var later = await Imports.GetTenantsAwaitingDeliveryAsync(T0.AddMinutes(20), 10);

        // Assert
        Assert.Equal([Tenant], settled);
        Assert.Equal([Tenant, OtherTenant], later.Order(StringComparer.Ordinal));
    }

    // ---- Lead sources ----

    protected static LeadSourceIntegration LeadSource(string tenant = Tenant, DateTimeOffset? createdAt = null) => new()
    {
        TenantId = tenant,
        Id = Guid.NewGuid(),
        Name = "Partner leads",
        ExpectedSourceValue = "partner-x",
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
    };

    [Fact]
    public async Task InsertLeadSourceAsync_ThenGetAndList_RoundTripsOldestFirstAndTenantScoped()
    {
        // Arrange
        var newer = LeadSource(createdAt: T0.AddMinutes(1)) with { Setup = new LeadSourceSetupTracker { TestLeadReceivedAt = T0, LastReceivedSourceValue = "partner-x" } };
        var older = LeadSource();
        await Imports.InsertLeadSourceAsync(newer);
        await Imports.InsertLeadSourceAsync(older);
        await Imports.InsertLeadSourceAsync(LeadSource(OtherTenant));

        // Act
        var read = await Imports.GetLeadSourceAsync(Tenant, newer.Id);
        var foreign = await Imports.GetLeadSourceAsync(OtherTenant, newer.Id);
        var list = await Imports.GetLeadSourcesAsync(Tenant);

        // Assert
        Assert.Equivalent(newer, read);
        Assert.Null(foreign);
        Assert.Equal([older.Id, newer.Id], list.Select(l => l.Id));
    }

    [Fact]
    public async Task UpdateLeadSourceAsync_FailedSync_IsDueForRetryOnceItsTimeComes()
    {
        // Arrange
        var integration = LeadSource();
        await Imports.InsertLeadSourceAsync(integration);

        // Act
        var updated = await Imports.UpdateLeadSourceAsync(Tenant, integration.Id, l => l with { Id = Guid.NewGuid(), TenantId = OtherTenant, Status = LeadSourceStatus.FailedSync, FailedAttempts = 1, NextRetryAt = T0.AddMinutes(5) });
        var notYet = await Imports.GetLeadSourcesDueForRetryAsync(T0, 10);
        var due = await Imports.GetLeadSourcesDueForRetryAsync(T0.AddMinutes(5), 10);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Imports.UpdateLeadSourceAsync(OtherTenant, integration.Id, l => l));

        // Assert
        Assert.Equal((integration.Id, Tenant), (updated.Id, updated.TenantId));
        Assert.Empty(notYet);
        Assert.Equal(1, Assert.Single(due).FailedAttempts);
    }
}
