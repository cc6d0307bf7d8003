using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, fairness: 200 connections on one instance (the hosted scheduler, SQLite), each behind its own simulated rate
/// limit (1 call per second, 10 records per call: a ceiling of 10 records/s per connection), with and without one CRM
/// answering in 5 s. Prints the aggregate throughput as a share of the summed ceilings and the other tenants' time to
/// their first synced record (p50/p99), at the default MaxConcurrentRuns and at one slot per connection.
/// Rerun: <c>dotnet run -c Release --project tests/CrmSync.Benchmarks -- fairness [connections]</c>.
/// </summary>
public static class FairnessScenario
{
    private const int RecordsPerConnection = 50;
    private const int BatchSize = 10;
    private static readonly TimeSpan CallInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(5);

    public static async Task<string> RunAsync(int connections, CancellationToken ct)
    {
        var n = connections > 0 ? connections : 200;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"fairness: {n} connections on one instance, {RecordsPerConnection} records each, each CRM limited to 1 call/s of {BatchSize} records (ceiling {n * BatchSize / CallInterval.TotalSeconds:0} records/s summed); slow CRM answers in {SlowAnswer.TotalSeconds:0} s");
        foreach (var slots in new[] { new CrmSyncOptions().MaxConcurrentRuns, n })
        {
            foreach (var slow in new[] { false, true })
            {
                var r = await RunOnceAsync(n, slots, slow, ct);
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"MaxConcurrentRuns {slots,3}, slow tenant {(slow ? "yes" : "no "),-3}: aggregate {r.Throughput:0} records/s = {r.Throughput / (n * BatchSize / CallInterval.TotalSeconds):P0} of the summed ceilings; other tenants' first synced record p50 {r.P50:0.00} s, p99 {r.P99:0.00} s");
            }
        }

        report.AppendLine("one batch at the simulated limit takes " + CallInterval.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        report.AppendLine("rerun: dotnet run -c Release --project tests/CrmSync.Benchmarks -- fairness " + n.ToString(CultureInfo.InvariantCulture));
        return report.ToString();
    }

    private static async Task<(double Throughput, double P50, double P99)> RunOnceAsync(int n, int slots, bool slow, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-fairness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var crm = new InMemoryCrmProvider(capabilities: new CrmProviderCapabilities { MaxBatchSize = BatchSize, NativeUpsert = true }, timeProvider: TimeProvider.System);
        var nextCall = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var firstSynced = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var synced = 0;
        long started = 0;
        crm.OnBeforeWrite(async (writes, token) =>
        {
            // Each tenant's CRM takes one call per second (calls wait for their turn, as a proactive budget would make them).
            var tenant = Tenant(writes[0].ExternalId);
            var now = DateTimeOffset.UtcNow;
            var turn = nextCall.AddOrUpdate(tenant, now, (_, next) => next > now ? next : now);
            nextCall[tenant] = turn + CallInterval;
            if (turn > now)
            {
                await Task.Delay(turn - now, token);
            }

            if (slow && tenant == "t0")
            {
                await Task.Delay(SlowAnswer, token);
            }
        });
        crm.OnAfterWrite((writes, _) =>
        {
            firstSynced.TryAdd(Tenant(writes[0].ExternalId), Stopwatch.GetElapsedTime(Volatile.Read(ref started)));
            Interlocked.Add(ref synced, writes.Count);
            return Task.CompletedTask;
        });

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("crmsync-bench-fairness");
        builder.Services.AddCrmSync(o =>
        {
            o.MaxConcurrentRuns = slots;
            o.MaxConnectionsPerTick = Math.Max(slots, 50);
            o.SchedulerPollInterval = TimeSpan.FromSeconds(1);
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddInMemoryProvider(crm);
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<CrmSyncClient>();
        var ids = new List<Guid>();
        for (var t = 0; t < n; t++)
        {
            var connection = await client.ConnectAsync($"t{t}", crm.Name, crm.IssueTokens(), "bench", cancellationToken: ct);
            await client.ChooseStartingPointAsync($"t{t}", connection.Id, StartingPoint.Skip, ct);
            await client.EnqueueAsync($"t{t}", Enumerable.Range(0, RecordsPerConnection).Select(i => new CrmChange(CrmObjectType.Contact, $"t{t}-c{i}", new Dictionary<string, string?> { [CrmFieldNames.Email] = $"t{t}-c{i}@example.test", [CrmFieldNames.LastName] = "Lovelace" })).ToList(), ct);
            ids.Add(connection.Id);
        }

        // The slow tenant is due first, so a strictly sequential scheduler would put everyone behind it.
        Volatile.Write(ref started, Stopwatch.GetTimestamp());
        await host.StartAsync(ct);
        var total = n * RecordsPerConnection;
        while (Volatile.Read(ref synced) < total)
        {
            await Task.Delay(50, ct);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await host.StopAsync(ct);
        SqliteConnection.ClearAllPools();
        var others = firstSynced.Where(kv => kv.Key != "t0").Select(kv => kv.Value.TotalSeconds).Order().ToList();
        return (total / elapsed.TotalSeconds, others[(int)(others.Count * 0.5)], others[Math.Min(others.Count - 1, (int)(others.Count * 0.99))]);
    }

    private static string Tenant(string externalId) => externalId[..externalId.IndexOf('-', StringComparison.Ordinal)];
}
