using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.PostgreSql;
using CrmSync.Sdk.Testing;
using CrmSync.TestUtils;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, fairness: 200 connections on one instance (the hosted scheduler, SQLite), each behind its own simulated rate
/// limit (1 call per second, 10 records per call: a ceiling of 10 records/s per connection), with and without one CRM
/// answering in 5 s. Prints the aggregate throughput as a share of the summed ceilings and the other tenants' time to
/// their first synced record (p50/p99), at the default MaxConcurrentRuns and at one slot per connection; then the same
/// on one PostgreSQL store shared by 1, 2 and 3 instances (hosts with their own scheduler and instance id).
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
                var directory = NewDirectory();
                var r = await RunOnceAsync(n, slots, slow, 1, directory, b => b.UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}"), ct);
                SqliteConnection.ClearAllPools();
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"SQLite, 1 instance, MaxConcurrentRuns {slots,3}, slow tenant {(slow ? "yes" : "no "),-3}: {Describe(r, n)}");
            }
        }

        await using var postgres = await PostgresInstance.StartAsync();
        foreach (var instances in new[] { 1, 2, 3 })
        {
            foreach (var slow in new[] { false, true })
            {
                var connectionString = await CreateDatabaseAsync(postgres, ct);
                var r = await RunOnceAsync(n, n, slow, instances, NewDirectory(), b => b.UsePostgreSql(connectionString), ct);
                NpgsqlConnection.ClearAllPools();
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"PostgreSQL, {instances} instance{(instances == 1 ? " " : "s")}, MaxConcurrentRuns {n,3} each, slow tenant {(slow ? "yes" : "no "),-3}: {Describe(r, n)}; records synced per instance {string.Join(" / ", r.SyncedPerInstance)}, connections written by two runs at once {r.Overlaps.Count}{(r.Overlaps.Count == 0 ? "" : " (" + string.Join(", ", r.Overlaps) + ")")}");
            }
        }

        report.AppendLine("one batch at the simulated limit takes " + CallInterval.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        report.AppendLine("rerun: dotnet run -c Release --project tests/CrmSync.Benchmarks -- fairness " + n.ToString(CultureInfo.InvariantCulture));
        return report.ToString();
    }

    private static string Describe(Result r, int n) =>
        string.Create(CultureInfo.InvariantCulture, $"aggregate {r.Throughput:0} records/s = {r.Throughput / (n * BatchSize / CallInterval.TotalSeconds):P0} of the summed ceilings (the other {n - 1}: {r.OthersThroughput / ((n - 1) * BatchSize / CallInterval.TotalSeconds):P0} of theirs, to their last record); other tenants' first synced record p50 {r.P50:0.00} s, p99 {r.P99:0.00} s");

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-fairness", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static async Task<string> CreateDatabaseAsync(PostgresInstance postgres, CancellationToken ct)
    {
        var database = "crmsync_fairness_" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = new NpgsqlConnection(postgres.ConnectionString);
        await admin.OpenAsync(ct);
        await using var create = admin.CreateCommand();
        create.CommandText = $"CREATE DATABASE {database}";
        await create.ExecuteNonQueryAsync(ct);
        return new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database, MaxPoolSize = 30 }.ConnectionString;
    }

    private sealed record Result(double Throughput, double OthersThroughput, double P50, double P99, IReadOnlyList<int> SyncedPerInstance, IReadOnlyCollection<string> Overlaps);

    private static async Task<Result> RunOnceAsync(int n, int slots, bool slow, int instances, string directory, Action<ICrmSyncBuilder> store, CancellationToken ct)
    {
        var crm = new InMemoryCrmProvider(capabilities: new CrmProviderCapabilities { MaxBatchSize = BatchSize, NativeUpsert = true }, timeProvider: TimeProvider.System);
        var nextCall = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var firstSynced = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var lastSynced = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var synced = 0;
        long started = 0;
        var inFlight = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var overlaps = new ConcurrentBag<string>();
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
            var at = Stopwatch.GetElapsedTime(Volatile.Read(ref started));
            firstSynced.TryAdd(Tenant(writes[0].ExternalId), at);
            lastSynced[Tenant(writes[0].ExternalId)] = at;
            Interlocked.Add(ref synced, writes.Count);
            return Task.CompletedTask;
        });

        var hosts = new List<IHost>();
        var runs = new List<int[]>();
        for (var i = 0; i < instances; i++)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("crmsync-bench-fairness");
            var crmSync = builder.Services.AddCrmSync(o =>
            {
                o.InstanceId = $"instance-{i + 1}";
                o.MaxConcurrentRuns = slots;
                o.MaxConnectionsPerTick = Math.Max(slots, 50);
                o.SchedulerPollInterval = TimeSpan.FromSeconds(1);
            });
            store(crmSync);
            var count = new int[1];
            runs.Add(count);
            builder.Services.AddSingleton(crm);
            crmSync.AddProvider(new CountingProvider(crm, $"instance-{i + 1}", count, inFlight, overlaps));
            hosts.Add(builder.Build());
        }

        try
        {
            var client = hosts[0].Services.GetRequiredService<CrmSyncClient>();
            for (var t = 0; t < n; t++)
            {
                var connection = await client.ConnectAsync($"t{t}", crm.Name, crm.IssueTokens(), "bench", cancellationToken: ct);
                await client.ChooseStartingPointAsync($"t{t}", connection.Id, StartingPoint.Skip, ct);
                await client.EnqueueAsync($"t{t}", Enumerable.Range(0, RecordsPerConnection).Select(i => new CrmChange(CrmObjectType.Contact, $"t{t}-c{i}", new Dictionary<string, string?> { [CrmFieldNames.Email] = $"t{t}-c{i}@example.test", [CrmFieldNames.LastName] = "Lovelace" })).ToList(), ct);
            }

            // The slow tenant is due first, so a strictly sequential scheduler would put everyone behind it.
            Volatile.Write(ref started, Stopwatch.GetTimestamp());
            await Task.WhenAll(hosts.Select(h => h.StartAsync(ct)));
            var total = n * RecordsPerConnection;
            while (Volatile.Read(ref synced) < total)
            {
                await Task.Delay(50, ct);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            await Task.WhenAll(hosts.Select(h => h.StopAsync(ct)));
            var others = firstSynced.Where(kv => kv.Key != "t0").Select(kv => kv.Value.TotalSeconds).Order().ToList();
            var othersDone = lastSynced.Where(kv => kv.Key != "t0").Max(kv => kv.Value);
            return new Result(total / elapsed.TotalSeconds, (n - 1) * RecordsPerConnection / othersDone.TotalSeconds, others[(int)(others.Count * 0.5)], others[Math.Min(others.Count - 1, (int)(others.Count * 0.99))], runs.Select(r => r[0]).ToList(), overlaps.ToArray());
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    private static string Tenant(string externalId) => externalId[..externalId.IndexOf('-', StringComparison.Ordinal)];

    /// <summary>
    /// The shared simulated CRM as one instance sees it: counts the records this instance wrote, and notes a write to a
    /// tenant while another write to it is in flight (two runs working one connection at once).
    /// </summary>
    private sealed class CountingProvider(InMemoryCrmProvider crm, string instance, int[] count, ConcurrentDictionary<string, string> inFlight, ConcurrentBag<string> overlaps) : ICrmProvider
    {
        public string Name => crm.Name;

        public string DisplayName => crm.DisplayName;

        public CrmProviderCapabilities Capabilities => crm.Capabilities;

        public async Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
        {
            var tenant = Tenant(records[0].ExternalId);
            if (!inFlight.TryAdd(tenant, instance))
            {
                overlaps.Add($"{tenant} by {instance} while {inFlight.GetValueOrDefault(tenant)} wrote");
                var results = await crm.UpsertAsync(context, records, cancellationToken);
                Interlocked.Add(ref count[0], results.Count(r => r.Succeeded));
                return results;
            }

            try
            {
                var results = await crm.UpsertAsync(context, records, cancellationToken);
                Interlocked.Add(ref count[0], results.Count(r => r.Succeeded));
                return results;
            }
            finally
            {
                inFlight.TryRemove(tenant, out _);
            }
        }

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) => crm.GetUsersAsync(context, cancellationToken);

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => crm.GetRecordLink(context, objectType, crmRecordId);
    }
}
