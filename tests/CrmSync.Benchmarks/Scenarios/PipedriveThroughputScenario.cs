using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Providers.Pipedrive;
using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 5: Pipedrive throughput as a share of its limits. Pipedrive has no batch and no upsert, so every new person costs
/// an exact-match search (its own burst window: 10 per window) and a create. The ceiling is therefore one record per
/// search slot. The simulator and the provider share Growth-plan limits (40 requests and 10 searches per window) with the
/// 2-second window compressed to 0.2 s so the run takes seconds; figures are reported per real window too.
/// </summary>
public static class PipedriveThroughputScenario
{
    private const int BurstLimit = 40;
    private const int SearchBurstLimit = 10;
    private const int SearchCost = 20;
    private const int CreateCost = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RealWindow = TimeSpan.FromSeconds(2);

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 1_000;
        var dailyBudget = Math.Max(60_000L, n * 30L);
        using var simulator = PipedriveSimulator.Start(new PipedriveSimulatorOptions
        {
            BurstLimit = BurstLimit,
            SearchBurstLimit = SearchBurstLimit,
            BurstWindow = Window,
            DailyTokenBudget = dailyBudget,
        });
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-pipedrive", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.MaxRecordsPerRun = int.MaxValue;
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddPipedrive(o =>
            {
                o.ApiBaseAddress = simulator.BaseUrl;
                o.OAuthBaseAddress = simulator.BaseUrl;
                o.RequestBudget.BurstLimit = BurstLimit;
                o.SearchBurstLimit = SearchBurstLimit;
                o.RequestBudget.BurstWindow = Window;
                o.MaxConcurrency = 8;
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CrmSyncClient>();
        var connection = await client.ConnectAsync("bench", PipedriveCrmProvider.ProviderName, new CrmCredentials { ApiKey = simulator.ApiToken, InstanceUrl = simulator.BaseUrl.ToString() }, "bench", cancellationToken: ct);
        await client.ChooseStartingPointAsync("bench", connection.Id, StartingPoint.Skip, ct);
        await client.EnqueueAsync("bench", Enumerable.Range(0, n).Select(Contact).ToList(), ct);

        var requestsBefore = simulator.RequestCount;
        var usageBefore = simulator.GetUsage();
        var started = Stopwatch.GetTimestamp();
        var synced = 0;
        var paused = 0;
        while (synced < n)
        {
            var run = await client.SyncNowAsync("bench", connection.Id, ct);
            synced += run.Synced;
            if (run.Outcome == SyncRunOutcome.RateLimited)
            {
                paused++;
                await Task.Delay(run.RetryAfter ?? Window, ct);
            }
            else if (run.Outcome is not (SyncRunOutcome.Success or SyncRunOutcome.Warning))
            {
                throw new InvalidOperationException($"CrmSync run ended {run.Outcome}: {run.Message}");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var requests = simulator.RequestCount - requestsBefore;
        var usage = simulator.GetUsage();
        var tokens = usage.Used - usageBefore.Used;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (simulator.GetRecords("persons").Count != n)
        {
            throw new InvalidOperationException("CrmSync did not write every person exactly once.");
        }

        var rate = n / elapsed.TotalSeconds;
        var ceiling = SearchBurstLimit / Window.TotalSeconds;
        var allowed = SearchBurstLimit * (1 + (elapsed.TotalSeconds / Window.TotalSeconds));
        var perRecord = SearchCost + CreateCost;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Pipedrive throughput under Growth-plan limits ({BurstLimit} requests and {SearchBurstLimit} searches per window; 2 s window compressed to {Window.TotalSeconds:0.0} s)");
        report.AppendLine(CultureInfo.InvariantCulture, $"ceiling: one new person per search slot = {ceiling:0} records/s here, {SearchBurstLimit / RealWindow.TotalSeconds:0} records/s with the real 2 s window");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync: {n} new persons in {elapsed.TotalSeconds:0.00} s = {rate:0.0} records/s ({rate * Window.TotalSeconds / RealWindow.TotalSeconds:0.00} records/s at the real window), {requests} requests, {paused} pauses");
        report.AppendLine(CultureInfo.InvariantCulture, $"share of the burst ceiling: {rate / ceiling:P0} sustained; {n / allowed:P0} of what the windows allowed in that time (first window included)");
        report.AppendLine(CultureInfo.InvariantCulture, $"metered by the simulator: {tokens} {usage.Unit} for {requests} requests; daily token budget: {tokens} tokens used = {(double)tokens / n:0.0} per record ({perRecord} = search {SearchCost} + create {CreateCost}, plus the one-off field setup); a Growth seat's 60,000 tokens a day cover {60_000 / perRecord} new records");
        return report.ToString();
    }

    private static CrmChange Contact(int i) => new(CrmObjectType.Contact, $"c{i}", new Dictionary<string, string?>
    {
        [CrmFieldNames.Email] = $"c{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });
}
