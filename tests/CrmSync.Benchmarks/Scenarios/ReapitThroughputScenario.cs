using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Providers.OpenApi;
using CrmSync.Providers.Reapit.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 14: Reapit throughput through the OpenAPI provider as a share of Reapit's published limits (20 requests per
/// second per app, 5 concurrent per customer), read from the simulator's meters: requests it metered over the run against
/// the requests its rolling one-second limit admits in that time (<see cref="ReapitSimulator.GetBurstAllowance"/>), and
/// its 429 count. Reapit has no upsert, so every new contact costs a search by external id, a search by email (to adopt a
/// contact a negotiator typed in) and a create: the ceiling is 20 / 3 = 6.7 new contacts per second. The limits run at
/// their real values, so the default 400 contacts take about a minute.
/// </summary>
public static class ReapitThroughputScenario
{
    private const int PerSecond = 20;
    private const int Concurrent = 5;

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 400;
        using var simulator = ReapitSimulator.Start(new ReapitSimulatorOptions { RequestsPerSecond = PerSecond, ConcurrentRequestsPerCustomer = Concurrent });
        simulator.SetLatency(TimeSpan.FromMilliseconds(20));
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-reapit", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.MaxRecordsPerRun = int.MaxValue;
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddReapit(o =>
            {
                o.BaseUrl = simulator.BaseUrl;
                o.TokenUrl = simulator.TokenUrl;
                o.ClientId = simulator.ClientId;
                o.ClientSecret = simulator.ClientSecret;
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CrmSyncClient>();
        var connection = await client.ConnectAsync("bench", "reapit", new CrmCredentials { ApiKey = "SBOX" }, "bench", cancellationToken: ct);
        await client.ChooseStartingPointAsync("bench", connection.Id, StartingPoint.Skip, ct);
        await client.EnqueueAsync("bench", Enumerable.Range(0, n).Select(Contact).ToList(), ct);

        var before = simulator.Usage;
        var meteredBefore = simulator.GetUsage().Used;
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
                await Task.Delay(run.RetryAfter ?? TimeSpan.FromSeconds(1), ct);
            }
            else if (run.Outcome is not (SyncRunOutcome.Success or SyncRunOutcome.Warning))
            {
                throw new InvalidOperationException($"CrmSync run ended {run.Outcome}: {run.Message}");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var usage = simulator.Usage;
        var metered = simulator.GetUsage().Used - meteredBefore;
        var admitted = simulator.GetBurstAllowance(elapsed);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (simulator.GetRecords("contacts").Count != n)
        {
            throw new InvalidOperationException("CrmSync did not write every contact exactly once.");
        }

        var requests = usage.Requests - before.Requests;
        var rate = n / elapsed.TotalSeconds;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Reapit through the OpenAPI provider under Reapit's limits ({PerSecond} requests/s per app, {Concurrent} concurrent per customer; usage read from the simulator's meters)");
        report.AppendLine(CultureInfo.InvariantCulture, $"ceiling: a search by external id, a search by email and a create per new contact = {PerSecond / 3.0:0.0} records/s");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync: {n} new contacts in {elapsed.TotalSeconds:0.00} s = {rate:0.0} records/s, {requests} requests, {paused} pauses");
        report.AppendLine(CultureInfo.InvariantCulture, $"share of the simulated limit over the run: {metered} requests metered by the simulator / {admitted} its limit admits in {elapsed.TotalSeconds:0.00} s (first second included) = {metered / (double)admitted:P1}");
        report.AppendLine(CultureInfo.InvariantCulture, $"busiest second {usage.PeakRequestsPerSecond}/{PerSecond} = {usage.PeakShareOfLimit:P0}; peak concurrency {usage.PeakConcurrent}/{Concurrent}; 429 answers: {usage.Throttled - before.Throttled}");
        return report.ToString();
    }

    private static CrmChange Contact(int i) => new(CrmObjectType.Contact, $"c{i}", new Dictionary<string, string?>
    {
        [CrmFieldNames.Email] = $"c{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });
}
