using CrmSync.Sdk;
using static CrmSync.Sdk.Sqlite.Tests.ImportFixtures;

namespace CrmSync.Sdk.Sqlite.Tests;

public class ImportTests
{
    [Fact]
    public async Task StartImportAsync_StageOwnerAndDateFilters_ImportsOnlyMatchingRecords()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed([
            Deal(1, stage: "closedlost", owner: "owner-1", createdDay: 5),
            Deal(2, stage: "closedlost", owner: "owner-2", createdDay: 5),
            Deal(3, stage: "lost-to-competitor", owner: "owner-1", createdDay: 5),
            Deal(4, stage: "closedlost", owner: "owner-1", createdDay: 20),
            Deal(5, stage: "closedwon", status: CrmDealStatus.ClosedWon, owner: "owner-1", createdDay: 5),
            Contact(6),
        ]);
        var filter = LostDeals with
        {
            Stages = ["CLOSEDLOST"],
            OwnerIds = ["owner-1"],
            CreatedFrom = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedBefore = new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero),
        };

        // Act
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        var item = Assert.Single(await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant));
        Assert.Equal("deal-0001", item.Record.CrmId);
        Assert.Equal("Company 1", item.Record.Company?.Name);
    }

    [Fact]
    public async Task StartImportAsync_ClosedWonOptedIn_ImportsWonAndLostButNotOpenDeals()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed([Deal(1), Deal(2, status: CrmDealStatus.ClosedWon, stage: "closedwon"), Deal(3, status: CrmDealStatus.Open, stage: "proposal")]);

        // Act
        var lostOnly = await h.Imports.PreviewImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals with { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] });

        // Assert
        Assert.Equal(1, lostOnly.Count);
        Assert.Equal(2, run.Added);
        var ids = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant)).Select(i => i.Record.CrmId).Order().ToList();
        Assert.Equal(["deal-0001", "deal-0002"], ids);
    }

    [Fact]
    public async Task StartImportAsync_SeveralPages_ReadsEveryRecordExactlyOnce()
    {
        // Arrange: 35 deals, pages of 10 → 4 page requests.
        await using var h = SyncHarness.Create(o => o.Import.PageSize = 50);
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(35));

        // Act
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Fetched);
        Assert.Equal(35, run.Added);
        Assert.Equal(4, h.Provider.FetchCallCount);
        Assert.All(h.Provider.FetchRequests, r => Assert.Equal(10, r.PageSize));
        Assert.Equal(4, h.Provider.FetchRequests.Select(r => r.Cursor ?? "<first>").Distinct().Count());
        var items = await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { Limit = 100 });
        Assert.Equal(Enumerable.Range(1, 35).Select(n => $"deal-{n:D4}"), items.Select(i => i.Record.CrmId).Order());
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_FetchesOnlyRecordsChangedSinceTheFirst()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(25));
        var first = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromDays(60));
        h.Provider.Modify(CrmFetchObjectType.Deal, "deal-0003", d => d with { Name = "Deal 3 (renamed)" });
        h.Provider.Modify(CrmFetchObjectType.Deal, "deal-0017");
        var requestsBefore = h.Provider.FetchCallCount;

        // Act
        var preview = await h.Imports.PreviewImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var second = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(first.HighWaterMark, preview.IncrementalSince);
        Assert.Equal(h.Time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(2, second.Updated);
        Assert.Equal(0, second.Added);
        Assert.Equal(3, second.Fetched);
        Assert.Equal(1, second.Unchanged);
        var secondRequests = h.Provider.FetchRequests.Skip(requestsBefore).ToList();
        Assert.All(secondRequests, r => Assert.Equal(first.HighWaterMark, r.Filter.ModifiedSince));
        var renamed = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == "deal-0003");
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_FullReimportAfterIncremental_ReadsEverythingAgainWithoutDuplicates()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(12));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Act
        var full = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals, incremental: false);

        // Assert
        Assert.Null(full.EffectiveModifiedSince);
        Assert.Equal(12, full.Fetched);
        Assert.Equal(12, full.Unchanged);
        Assert.Equal(0, full.Added);
        Assert.Equal(12, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
    }

    [Fact]
    public async Task StartImportAsync_429OnThirdPage_ParksRunAndResumeReadsTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: pages of 10 over 35 deals; the third page request is throttled for two minutes (longer than the inline wait).
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(10));
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(35));
        h.Provider.RateLimitFetchPage(3, TimeSpan.FromMinutes(2));

        // Act
        var parked = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var tooEarly = await h.Imports.ResumeImportAsync(Manager, SyncHarness.Tenant, parked.Id);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await h.Imports.ResumeDueImportsAsync();
        var done = await h.Imports.GetImportRunAsync(Manager, SyncHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(20, parked.Added);
        Assert.Equal(h.Time.GetUtcNow(), parked.ResumeAt);
        Assert.Contains("rate limit", parked.Error, StringComparison.Ordinal);
        Assert.Equal(CrmImportRunStatus.Waiting, tooEarly.Status);
        Assert.Equal(1, resumed);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        var cursors = h.Provider.FetchRequests.Select(r => r.Cursor).ToList();
        Assert.Equal(5, cursors.Count);
        Assert.Null(cursors[0]);
        Assert.Equal(cursors[2], cursors[3]);
        Assert.Equal(4, cursors.Distinct().Count());
        var ids = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(35, ids.Distinct().Count());
        Assert.Equal(35, ids.Count);
    }

    [Fact]
    public async Task StartImportAsync_Short429MidPaging_WaitsInProcessAndAsksForTheSamePage()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(30));
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(25));
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromSeconds(5));

        // Act: the import waits on the fake clock; move the clock until it finishes.
        var import = h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        while (!import.IsCompleted)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        var run = await import;

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(1, run.Waits);
        Assert.Equal(25, run.Added);
        var cursors = h.Provider.FetchRequests.Select(r => r.Cursor).ToList();
        Assert.Equal(4, cursors.Count);
        Assert.Equal(cursors[1], cursors[2]);
    }

    [Fact]
    public async Task StartImportAsync_SendOnlyConnection_RefusesAndNeverReadsTheCrm()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.Seed(Deals(3));

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals));
        var preview = await Assert.ThrowsAsync<CrmValidationException>(() => h.Imports.PreviewImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals));

        // Assert
        Assert.Contains("send-only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("send-only", preview.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.FetchCallCount);
        Assert.Empty(h.Provider.FetchRequests);
    }

    [Fact]
    public async Task ResumeImportAsync_ConnectionSwitchedToSendOnlyWhileWaiting_FailsTheRunWithoutReading()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.Zero);
        h.Provider.FetchPageSize = 5;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(12));
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(1));
        var parked = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        await h.Client.UpdateSettingsAsync(SyncHarness.Tenant, connection.Id, s => s with { Direction = SyncDirection.Send });
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var calls = h.Provider.FetchCallCount;

        // Act
        var run = await h.Imports.ResumeImportAsync(Manager, SyncHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Failed, run.Status);
        Assert.Contains("send-only", run.Error, StringComparison.Ordinal);
        Assert.Equal(calls, h.Provider.FetchCallCount);
    }

    [Fact]
    public async Task SyncNowAsync_FetchOnlyConnection_NeverWritesToTheCrm()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();

        // Act
        var enqueued = await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(new EnqueueResult(0, 0, 1), enqueued);
        Assert.False(run.Ran);
        Assert.Equal(0, h.Provider.CallCount);
        Assert.Empty(h.Provider.Records);
    }

    [Fact]
    public async Task PreviewImportAsync_Filter_ReturnsCountAndSampleAndLeavesInboxEmpty()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.Import.PreviewSampleSize = 3);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(8));

        // Act
        var preview = await h.Imports.PreviewImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(8, preview.Count);
        Assert.True(preview.IsExact);
        Assert.Null(preview.IncrementalSince);
        Assert.Equal(["deal-0001", "deal-0002", "deal-0003"], preview.Sample.Select(r => r.CrmId));
        Assert.Equal(0, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
    }

    [Fact]
    public async Task StartImportAsync_Member_IsDeniedAndNothingIsRead()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(2));

        // Act
        var ex = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.Imports.StartImportAsync(Member, SyncHarness.Tenant, connection.Id, LostDeals));

        // Assert
        Assert.Equal("max-member", ex.UserId);
        Assert.Equal(0, h.Provider.FetchCallCount);
    }

    [Fact]
    public async Task StartImportAsync_CrmRevokesMidImport_FailsRunAndMarksConnectionRevoked()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(3));
        h.Provider.Revoke("invalid_grant: the refresh token was revoked");

        // Act
        var run = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Failed, run.Status);
        Assert.Contains("invalid_grant", run.Error, StringComparison.Ordinal);
        var after = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Revoked, after.Status.Status);
        Assert.True(after.Capabilities.CanFetch);
    }

    [Fact]
    public async Task StartImportAsync_InvalidFilter_NamesTheProblem()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectFetchAsync();

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals with { DealStatuses = [] }));

        // Assert
        Assert.Equal("DealStatuses", Assert.Single(ex.Errors).Path);
    }
}
