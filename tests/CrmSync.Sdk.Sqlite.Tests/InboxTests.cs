using CrmSync.Sdk;
using static CrmSync.Sdk.Sqlite.Tests.ImportFixtures;

namespace CrmSync.Sdk.Sqlite.Tests;

public class InboxTests
{
    [Fact]
    public async Task ApproveAsync_Member_IsDeniedAndNothingReachesTheHost()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(3));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var ids = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant)).Select(i => i.Id).ToList();

        // Act
        var approve = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.Imports.ApproveAsync(Member, SyncHarness.Tenant, ids));
        var approveAll = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.Imports.ApproveAllAsync(Member, SyncHarness.Tenant));
        var reject = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.Imports.RejectAllAsync(Owner, SyncHarness.Tenant));
        var read = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.Imports.GetInboxAsync(Member, SyncHarness.Tenant));

        // Assert
        Assert.Contains("manager", approve.RequiredRoles);
        Assert.Contains("admin", approveAll.RequiredRoles);
        Assert.Equal("olga-owner", reject.UserId);
        Assert.NotNull(read);
        Assert.False(h.Imports.CanApprove(Member));
        Assert.False(h.Imports.CanApprove(Owner));
        Assert.True(h.Imports.CanApprove(Admin));
        Assert.Equal(3, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
        Assert.Empty(sink.Deliveries);
    }

    [Fact]
    public async Task ApproveAsync_Manager_DeliversOnlyTheApprovedItemsToTheSink()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(4));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var items = await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant);

        // Act
        var result = await h.Imports.ApproveAsync(Manager, SyncHarness.Tenant, [items[0].Id, items[2].Id]);

        // Assert
        Assert.Equal(new CrmInboxDecisionResult(2, 2, null), result);
        var delivered = sink.Records;
        Assert.Equal(["deal-0001", "deal-0003"], delivered.Select(r => r.Record.CrmId));
        Assert.All(delivered, r => Assert.Equal("mia-manager", r.ApprovedBy));
        Assert.All(delivered, r => Assert.False(r.IsUpdate));
        Assert.All(delivered, r => Assert.Equal(h.Provider.Name, r.Provider));
        Assert.Equal(new CrmInboxCounts(2, 2, 0, 0), await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant));
        var approved = await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { State = CrmInboxItemState.Approved });
        Assert.All(approved, i => Assert.NotNull(i.DeliveredAt));
    }

    [Fact]
    public async Task ApproveAllAsync_Admin_DeliversEveryPendingItemInSinkSizedBatches()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(o => o.Import.SinkBatchSize = 4, importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(10));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Act
        var result = await h.Imports.ApproveAllAsync(Admin, SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(10, result.Decided);
        Assert.Equal(10, result.Delivered);
        Assert.Equal([4, 4, 2], sink.Deliveries.Select(d => d.Records.Count));
        Assert.Equal(10, sink.Records.Select(r => r.ItemId).Distinct().Count());
    }

    [Fact]
    public async Task ApproveAsync_NoSinkRegistered_ThrowsBeforeDeciding()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(1));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Act
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant));

        // Assert
        Assert.Contains("AddImportSink", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
    }

    [Fact]
    public async Task ApproveAsync_SinkFails_ItemsStayApprovedAndTheNextDeliveryRetriesThem()
    {
        // Arrange
        var sink = new RecordingImportSink { FailNext = 1 };
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(3));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Act
        var failed = await h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant);
        var countsAfterFailure = await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant);
        var retried = await h.Imports.DeliverApprovedAsync(SyncHarness.Tenant);

        // Assert
        Assert.Equal(3, failed.Decided);
        Assert.Equal(0, failed.Delivered);
        Assert.Contains("host database is down", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Equal(new CrmInboxCounts(0, 3, 0, 3), countsAfterFailure);
        Assert.Equal(3, retried.Delivered);
        Assert.Equal(3, sink.Records.Count);
        Assert.Equal(0, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).AwaitingDelivery);
    }

    [Fact]
    public async Task StartImportAsync_NewRecords_PublishesAnInboxChangeForItsTenantAndConnection()
    {
        // Arrange
        await using var h = SyncHarness.Create(importSink: new RecordingImportSink());
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(2));
        var seen = new System.Collections.Concurrent.ConcurrentQueue<CrmSyncChange>();
        var other = new System.Collections.Concurrent.ConcurrentQueue<CrmSyncChange>();
        using var subscription = h.Client.Changes.Subscribe(SyncHarness.Tenant, c =>
        {
            seen.Enqueue(c);
            return Task.CompletedTask;
        });
        using var otherSubscription = h.Client.Changes.Subscribe("tenant-b", c =>
        {
            other.Enqueue(c);
            return Task.CompletedTask;
        });

        // Act
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var afterImport = seen.ToArray();
        var ids = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant)).Select(i => i.Id).ToList();
        await h.Imports.ApproveAsync(Manager, SyncHarness.Tenant, ids);

        // Assert
        Assert.Equal(2, run.Added);
        var imported = Assert.Single(afterImport);
        Assert.Equal(connection.Id, imported.ConnectionId);
        Assert.True(imported.Kinds.HasFlag(CrmSyncChangeKinds.Inbox));
        Assert.Contains(seen.Skip(afterImport.Length), c => c.Kinds.HasFlag(CrmSyncChangeKinds.Inbox));
        Assert.Empty(other);
    }

    [Fact]
    public async Task StartImportAsync_SameImportRunTwice_NeverDuplicatesInboxItems()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        h.Provider.FetchPageSize = 4;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(9));

        // Act
        var first = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals, incremental: false);
        var second = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals, incremental: false);
        var third = await h.Imports.StartImportAsync(Admin, SyncHarness.Tenant, connection.Id, LostDeals with { OwnerIds = ["owner-1"] }, incremental: false);

        // Assert
        Assert.Equal(9, first.Added);
        Assert.Equal(0, second.Added);
        Assert.Equal(9, second.Unchanged);
        Assert.Equal(0, third.Added);
        var items = await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { State = null, Limit = 100 });
        Assert.Equal(9, items.Count);
    }

    [Fact]
    public async Task RejectAsync_RecordChangesInCrmAndIsImportedAgain_IsNeverProposedAgain()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(3));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var rejectedId = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant)).Single(i => i.Record.CrmId == "deal-0002").Id;

        // Act
        var rejected = await h.Imports.RejectAsync(Admin, SyncHarness.Tenant, [rejectedId]);
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Provider.Modify(CrmFetchObjectType.Deal, "deal-0002", d => d with { Name = "Deal 2, edited" });
        var again = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals, incremental: false);
        var approveAll = await h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant);

        // Assert
        Assert.Equal(1, rejected.Decided);
        Assert.Equal(1, again.PreviouslyRejected);
        Assert.Equal(0, again.Added);
        Assert.DoesNotContain(await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant), i => i.Record.CrmId == "deal-0002");
        Assert.Equal(2, approveAll.Decided);
        Assert.DoesNotContain(sink.Records, r => r.Record.CrmId == "deal-0002");
        var stillRejected = Assert.Single(await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { State = CrmInboxItemState.Rejected }));
        Assert.Equal("ada-admin", stillRejected.DecidedBy);
        Assert.Equal("Deal 2", stillRejected.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_ApprovedRecordChangesInCrm_DeliversTheNewVersionAsAnUpdate()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(2));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        await h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant);
        h.Time.Advance(TimeSpan.FromHours(2));
        h.Provider.Modify(CrmFetchObjectType.Deal, "deal-0001", d => d with { Stage = "closedlost-budget" });

        // Act
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var delivery = await h.Imports.DeliverApprovedAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(1, run.Updated);
        Assert.Equal(1, delivery.Delivered);
        var update = sink.Records[^1];
        Assert.True(update.IsUpdate);
        Assert.Equal("closedlost-budget", update.Record.Stage);
        Assert.Equal(0, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
    }

    [Fact]
    public async Task GetInboxAsync_TwoTenants_EachSeesAndDecidesOnlyItsOwnItems()
    {
        // Arrange
        var sink = new RecordingImportSink();
        await using var h = SyncHarness.Create(importSink: sink);
        var a = await h.ConnectFetchAsync("tenant-a");
        var b = await h.ConnectFetchAsync("tenant-b");
        h.Provider.Seed(Deals(3));
        await h.Imports.StartImportAsync(Manager, "tenant-a", a.Id, LostDeals);
        await h.Imports.StartImportAsync(Manager, "tenant-b", b.Id, LostDeals);
        var aIds = (await h.Imports.GetInboxAsync(Manager, "tenant-a")).Select(i => i.Id).ToList();
        var bIds = (await h.Imports.GetInboxAsync(Manager, "tenant-b")).Select(i => i.Id).ToList();

        // Act: tenant B's manager tries tenant A's item ids.
        var crossTenant = await h.Imports.ApproveAsync(Manager, "tenant-b", aIds);
        var rejectB = await h.Imports.RejectAllAsync(Manager, "tenant-b");

        // Assert
        Assert.Equal(3, aIds.Count);
        Assert.Empty(aIds.Intersect(bIds));
        Assert.Equal(0, crossTenant.Decided);
        Assert.Empty(sink.Deliveries);
        Assert.Equal(3, rejectB.Decided);
        Assert.Equal(new CrmInboxCounts(3, 0, 0, 0), await h.Imports.CountInboxAsync(Manager, "tenant-a"));
        Assert.Equal(new CrmInboxCounts(0, 0, 3, 0), await h.Imports.CountInboxAsync(Manager, "tenant-b"));
        Assert.All(await h.Imports.GetInboxAsync(Manager, "tenant-a"), i => Assert.Equal("tenant-a", i.TenantId));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Imports.StartImportAsync(Manager, "tenant-b", a.Id, LostDeals));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Imports.GetImportRunsAsync(Manager, "tenant-b", a.Id));
    }

    [Fact]
    public async Task GetInboxAsync_KeysetPaging_ReturnsEveryItemOnceInIdOrder()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(7));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Act
        var seen = new List<long>();
        var query = new CrmInboxQuery { Limit = 3 };
        while (true)
        {
            var page = await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, query);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(i => i.Id));
            query = query with { AfterId = page[^1].Id };
        }

        // Assert
        Assert.Equal(7, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(7, seen.Distinct().Count());
    }
}
