using CrmSync.Sdk;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CrmSync.Sdk.Sqlite.Tests.ImportFixtures;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>The hosted scheduler's import work: parked runs resume after their wait, failed deliveries are retried.</summary>
public class SchedulerImportTests
{
    private static CrmSyncScheduler Scheduler(SyncHarness h) => h.Services.GetServices<IHostedService>().OfType<CrmSyncScheduler>().Single();

    private static CrmSyncOptions Options(SyncHarness h) => h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CrmSyncOptions>>().CurrentValue;

    [Fact]
    public async Task TickAsync_RunParkedByLong429_ResumesOnlyAfterTheWaitAndImportsEveryRecordExactlyOnce()
    {
        // Arrange: 35 deals in pages of 10; the third page request gets a 429 asking for five minutes (longer than the inline wait).
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(10));
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(35));
        h.Provider.RateLimitFetchPage(3, TimeSpan.FromMinutes(5));
        var parked = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var scheduler = Scheduler(h);

        // Act
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var beforeTheWait = await h.Imports.GetImportRunAsync(Manager, SyncHarness.Tenant, parked.Id);
        var callsBeforeTheWait = h.Provider.FetchCallCount;
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var done = await h.Imports.GetImportRunAsync(Manager, SyncHarness.Tenant, parked.Id);
        await scheduler.TickAsync(Options(h), CancellationToken.None);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(CrmImportRunStatus.Waiting, beforeTheWait.Status);
        Assert.Equal(3, callsBeforeTheWait);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        Assert.Equal(5, h.Provider.FetchCallCount);
        var cursors = h.Provider.FetchRequests.Select(r => r.Cursor).ToList();
        Assert.Equal(cursors[2], cursors[3]);
        var ids = (await h.Imports.GetInboxAsync(Manager, SyncHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(Enumerable.Range(1, 35).Select(n => $"deal-{n:D4}"), ids.Order());
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 16);
    }

    [Fact]
    public async Task ExecuteAsync_HostedSchedulerRunning_ResumesTheParkedRunOnItsOwnAfterTheWait()
    {
        // Arrange
        await using var h = SyncHarness.Create(o =>
        {
            o.EnableScheduler = true;
            o.SchedulerPollInterval = TimeSpan.FromSeconds(15);
            o.Import.MaxInlineRetryWait = TimeSpan.Zero;
        });
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(25));
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(2));
        var parked = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var scheduler = Scheduler(h);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var resumedLog = WaitForLogAsync(h, eventId: 16, timeout.Token);

        // Act: the scheduler waits on the fake clock; move it on until a tick has resumed the run.
        await scheduler.StartAsync(CancellationToken.None);
        while (!resumedLog.IsCompleted)
        {
            h.Time.Advance(TimeSpan.FromSeconds(15));
            await Task.Yield();
        }

        await resumedLog;
        await scheduler.StopAsync(CancellationToken.None);
        var done = await h.Imports.GetImportRunAsync(Manager, SyncHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(25, done.Added);
        Assert.Equal(25, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).Pending);
        Assert.Equal(4, h.Provider.FetchCallCount);
    }

    [Fact]
    public async Task TickAsync_SinkFailedOnApproval_RetriesTheDeliveryAfterTheDelayAndDeliversEachItemOnce()
    {
        // Arrange
        var sink = new RecordingImportSink { FailNext = 1 };
        await using var h = SyncHarness.Create(o => o.Import.DeliveryRetryDelay = TimeSpan.FromMinutes(1), importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(3));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var approval = await h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant);
        var scheduler = Scheduler(h);

        // Act
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var deliveriesBeforeTheDelay = sink.Deliveries.Count;
        h.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        await scheduler.TickAsync(Options(h), CancellationToken.None);

        // Assert
        Assert.Equal(0, approval.Delivered);
        Assert.NotNull(approval.DeliveryError);
        Assert.Equal(0, deliveriesBeforeTheDelay);
        Assert.Equal(["deal-0001", "deal-0002", "deal-0003"], sink.Records.Select(r => r.Record.CrmId).Order());
        Assert.Equal(new CrmInboxCounts(0, 3, 0, 0), await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant));
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 18);
    }

    [Fact]
    public async Task TickAsync_SinkStillFailing_LogsAndKeepsTheItemsForTheNextTick()
    {
        // Arrange
        var sink = new RecordingImportSink { FailNext = 2 };
        await using var h = SyncHarness.Create(importSink: sink);
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(2));
        await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        await h.Imports.ApproveAllAsync(Manager, SyncHarness.Tenant);
        var scheduler = Scheduler(h);
        h.Time.Advance(TimeSpan.FromMinutes(2));

        // Act
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var afterFailedRetry = await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant);
        await scheduler.TickAsync(Options(h), CancellationToken.None);

        // Assert
        Assert.Equal(2, afterFailedRetry.AwaitingDelivery);
        var warning = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 19);
        Assert.Contains("host database is down", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, sink.Records.Count);
        Assert.Equal(0, (await h.Imports.CountInboxAsync(Manager, SyncHarness.Tenant)).AwaitingDelivery);
    }

    [Fact]
    public async Task TickAsync_OneRunCannotBeResumed_ResumesTheOtherRunAndStillRetriesDeliveries()
    {
        // Arrange: two tenants each with a parked run; tenant B's run row is unreadable. Tenant A also has an undelivered approval.
        var sink = new RecordingImportSink { FailNext = 1 };
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.Zero, importSink: sink);
        h.Provider.FetchPageSize = 5;
        var a = await h.ConnectFetchAsync("tenant-a");
        var b = await h.ConnectFetchAsync("tenant-b");
        h.Provider.Seed([Contact(1), Contact(2)]);
        await h.Imports.StartImportAsync(Manager, "tenant-a", a.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact });
        await h.Imports.ApproveAllAsync(Manager, "tenant-a");
        h.Provider.Seed(Deals(12));
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(1));
        var runA = await h.Imports.StartImportAsync(Manager, "tenant-a", a.Id, LostDeals);
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(1));
        var runB = await h.Imports.StartImportAsync(Manager, "tenant-b", b.Id, LostDeals);
        await CorruptRunAsync(h, runB.Id);
        h.Time.Advance(TimeSpan.FromMinutes(2));

        // Act
        await Scheduler(h).TickAsync(Options(h), CancellationToken.None);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, runA.Status);
        Assert.Equal(CrmImportRunStatus.Waiting, runB.Status);
        var doneA = await h.Imports.GetImportRunAsync(Manager, "tenant-a", runA.Id);
        Assert.Equal(CrmImportRunStatus.Completed, doneA.Status);
        Assert.Equal(12, doneA.Added);
        var failure = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 15);
        Assert.Contains(runB.Id.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.Equal(["contact-1", "contact-2"], sink.Records.Select(r => r.Record.CrmId).Order());
    }

    [Fact]
    public async Task TickAsync_TwoInstancesTickTogether_ResumeTheDueRunOnceBetweenThem()
    {
        // Arrange: a second host instance on the same database file and CRM.
        await using var h = SyncHarness.Create(o => o.Import.MaxInlineRetryWait = TimeSpan.Zero);
        h.Provider.FetchPageSize = 10;
        var connection = await h.ConnectFetchAsync();
        h.Provider.Seed(Deals(30));
        h.Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(1));
        var parked = await h.Imports.StartImportAsync(Manager, SyncHarness.Tenant, connection.Id, LostDeals);
        var first = Scheduler(h);
        var firstServices = h.Services;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await using var second = await SecondInstanceAsync(h);

        // Act
        await Task.WhenAll(
            first.TickAsync(Options(h), CancellationToken.None),
            second.GetServices<IHostedService>().OfType<CrmSyncScheduler>().Single().TickAsync(Options(h), CancellationToken.None));
        var done = await firstServices.GetRequiredService<CrmImportClient>().GetImportRunAsync(Manager, SyncHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(30, done.Fetched);
        Assert.Equal(30, done.Added);
        Assert.Equal(0, done.Unchanged);
        Assert.Equal(4, h.Provider.FetchCallCount);
    }

    [Fact]
    public async Task TickAsync_LeadSourceRetryDue_CallsTheHandlerOnceAndReturnsTheIntegrationToActive()
    {
        // Arrange
        var handler = new RecordingLeadSourceRetryHandler();
        await using var h = SyncHarness.Create(leadSourceRetries: handler);
        var integration = await ActiveLeadSourceAsync(h);
        await h.LeadSources.ReportSyncAsync(SyncHarness.Tenant, integration.Id, succeeded: false, "503 from the partner API");
        var scheduler = Scheduler(h);

        // Act
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var callsBeforeDue = handler.Calls.Count;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var after = await h.LeadSources.GetAsync(SyncHarness.Tenant, integration.Id);

        // Assert
        Assert.Equal(0, callsBeforeDue);
        Assert.Equal(integration.Id, Assert.Single(handler.Calls).Id);
        Assert.Equal(LeadSourceStatus.Active, after.Status);
        Assert.Equal(0, after.FailedAttempts);
        Assert.Null(after.NextRetryAt);
        Assert.Equal(h.Time.GetUtcNow(), after.LastSyncAt);
    }

    [Fact]
    public async Task TickAsync_LeadSourceRetryFailsAgain_StaysInFailedSyncWithADoubledDelay()
    {
        // Arrange
        var handler = new RecordingLeadSourceRetryHandler { FailNext = 1 };
        await using var h = SyncHarness.Create(leadSourceRetries: handler);
        var integration = await ActiveLeadSourceAsync(h);
        await h.LeadSources.ReportSyncAsync(SyncHarness.Tenant, integration.Id, succeeded: false, "503 from the partner API");
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var scheduler = Scheduler(h);

        // Act
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var failedAgain = await h.LeadSources.GetAsync(SyncHarness.Tenant, integration.Id);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await scheduler.TickAsync(Options(h), CancellationToken.None);
        var callsBeforeTheLongerDelay = handler.Calls.Count;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await scheduler.TickAsync(Options(h), CancellationToken.None);

        // Assert
        Assert.Equal(LeadSourceStatus.FailedSync, failedAgain.Status);
        Assert.Equal(2, failedAgain.FailedAttempts);
        Assert.Contains("partner API still down", failedAgain.LastError, StringComparison.Ordinal);
        Assert.Equal(failedAgain.UpdatedAt + TimeSpan.FromMinutes(2), failedAgain.NextRetryAt);
        Assert.Equal(1, callsBeforeTheLongerDelay);
        Assert.Equal(2, handler.Calls.Count);
        Assert.Equal(LeadSourceStatus.Active, (await h.LeadSources.GetAsync(SyncHarness.Tenant, integration.Id)).Status);
    }

    private static async Task<LeadSourceIntegration> ActiveLeadSourceAsync(SyncHarness h)
    {
        var created = await h.LeadSources.CreateAsync(Manager, SyncHarness.Tenant, "Acme Leads", "acme");
        await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "acme");
        return (await h.LeadSources.CompleteSetupAsync(Manager, SyncHarness.Tenant, created.Id)).Integration;
    }

    private static async Task<ServiceProvider> SecondInstanceAsync(SyncHarness h)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(h.Time);
        services.AddFakeLogging();
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.PersistKeysToFileSystem(services.AddDataProtection(), new DirectoryInfo(Path.Combine(h.Directory, "keys")));
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.Import.MaxInlineRetryWait = TimeSpan.Zero;
        }).UseSqlite($"Data Source={h.DatabasePath}").AddInMemoryProvider(h.Provider);
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<CrmSync.Sdk.Storage.ICrmSyncStore>().InitializeAsync();
        return sp;
    }

    private static async Task CorruptRunAsync(SyncHarness h, Guid runId)
    {
        await using var db = new SqliteConnection($"Data Source={h.DatabasePath}");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE crmsync_import_runs SET data = 'not a run' WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", runId.ToString());
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private static async Task WaitForLogAsync(SyncHarness h, int eventId, CancellationToken cancellationToken)
    {
        await foreach (var record in h.Logs.GetLogsAsync(cancellationToken))
        {
            if (record.Id.Id == eventId)
            {
                return;
            }
        }
    }
}

internal sealed class RecordingLeadSourceRetryHandler : ICrmLeadSourceRetryHandler
{
    public System.Collections.Concurrent.ConcurrentQueue<LeadSourceIntegration> Calls { get; } = new();

    public int FailNext { get; set; }

    public Task RetryAsync(LeadSourceIntegration integration, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(integration);
        if (FailNext > 0)
        {
            FailNext--;
            throw new HttpRequestException("The partner API still down (503).");
        }

        return Task.CompletedTask;
    }
}
