using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, overlap: two instances on one store schedule the same connection, with a lease (10 s) shorter than the run
/// (2,000 records, 100 per call, 1.1 s per call: about 22 s). The CRM counts writes per record: a record written twice
/// is what a search-then-create CRM turns into a duplicate. Prints records written twice, the most calls in flight at
/// once for the connection (2 would mean both instances worked it), and outcomes counted against records.
/// Rerun: <c>dotnet run -c Release --project tests/CrmSync.Benchmarks -- overlap [records]</c>.
/// </summary>
public static class OverlapScenario
{
    private const string Tenant = "bench";

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 2_000;
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-overlap", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var crm = new InMemoryCrmProvider(timeProvider: TimeProvider.System) { Latency = TimeSpan.FromMilliseconds(1100) };
        var inFlight = 0;
        var maxInFlight = 0;
        crm.OnBeforeWrite((_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref maxInFlight)) && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
            {
            }

            return Task.CompletedTask;
        });
        crm.OnAfterWrite((_, _) =>
        {
            Interlocked.Decrement(ref inFlight);
            return Task.CompletedTask;
        });

        await using var a = Build(directory, crm, "instance-a");
        await using var b = Build(directory, crm, "instance-b");
        var client = a.GetRequiredService<CrmSyncClient>();
        var connection = await client.ConnectAsync(Tenant, crm.Name, crm.IssueTokens(), "bench", cancellationToken: ct);
        await client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip, ct);
        await client.EnqueueAsync(Tenant, Enumerable.Range(0, n).Select(i => new CrmChange(CrmObjectType.Contact, $"c{i}", new Dictionary<string, string?> { [CrmFieldNames.Email] = $"c{i}@example.test", [CrmFieldNames.LastName] = "Lovelace" })).ToList(), ct);

        // Both instances poll for due work every 100 ms, as two schedulers would; the connection is due at once.
        var started = Stopwatch.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var runsA = 0;
        var runsB = 0;
        var loops = new[] { PollAsync(a, () => runsA++, stop.Token), PollAsync(b, () => runsB++, stop.Token) };
        while (await a.GetRequiredService<CrmSync.Sdk.Storage.ICrmSyncStore>().CountPendingAsync(connection.Id, null, ct) > 0)
        {
            await Task.Delay(200, ct);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);

        // Keep polling past another lease duration: a lapsed lease would let the other instance start over now.
        await Task.Delay(TimeSpan.FromSeconds(12), ct);
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var writtenTwice = crm.GetRecords(CrmObjectType.Contact).Count(r => r.WriteCount > 1);
        var summary = await client.GetLast24HoursAsync(Tenant, connection.Id, ct);
        var runs = await a.GetRequiredService<CrmSync.Sdk.Storage.ICrmSyncStore>().GetRecentRunsAsync(connection.Id, 1000, ct);
        SqliteConnection.ClearAllPools();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"overlap: 2 instances on one store, lease 10 s, one connection with {n} records at 100 per call and 1.1 s per call");
        report.AppendLine(CultureInfo.InvariantCulture, $"all records synced in {elapsed.TotalSeconds:0.0} s; runs that did work: instance A {runsA}, instance B {runsB}");
        report.AppendLine(CultureInfo.InvariantCulture, $"records written twice: {writtenTwice} of {crm.GetRecords(CrmObjectType.Contact).Count}; most CRM calls in flight for the connection at once: {maxInFlight}");
        report.AppendLine(CultureInfo.InvariantCulture, $"outcomes: {summary.Synced} synced in the last 24 h, {runs.Sum(r => r.Synced)} synced across {runs.Count} runs -> double-counted {summary.Synced - n} / {runs.Sum(r => r.Synced) - n}");
        report.AppendLine("rerun: dotnet run -c Release --project tests/CrmSync.Benchmarks -- overlap " + n.ToString(CultureInfo.InvariantCulture));
        return report.ToString();
    }

    private static async Task PollAsync(ServiceProvider instance, Action ran, CancellationToken stop)
    {
        var engine = instance.GetRequiredService<SyncEngine>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await engine.RunDueAsync(stop) > 0)
                {
                    ran();
                }

                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static ServiceProvider Build(string directory, InMemoryCrmProvider crm, string instanceId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("crmsync-bench-overlap");
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.InstanceId = instanceId;
            o.LeaseDuration = TimeSpan.FromSeconds(10);
            o.MaxRecordsPerRun = int.MaxValue;
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddInMemoryProvider(crm);
        return services.BuildServiceProvider();
    }
}
