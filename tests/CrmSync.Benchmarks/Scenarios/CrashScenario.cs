using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.PostgreSql;
using CrmSync.TestUtils;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, crash: worker processes share one store (SQLite, then PostgreSQL) and push 10,000 contacts to a HubSpot
/// simulator running in its own process, while the driver SIGKILLs a random worker at random moments (20 rounds) and restarts it under the
/// same instance id. Prints lost and duplicate CRM records, records without a final outcome, double-counted outcomes
/// (run history against the outbox), interrupted runs, and how long each restart took to resume the killed worker's
/// connection. Rerun: <c>dotnet run -c Release --project tests/CrmSync.Benchmarks -- crash [records]</c>.
/// </summary>
public static class CrashScenario
{
    private const string Tenant = "bench";
    private const int Connections = 4;
    private const int Workers = 3;
    private const int Rounds = 20;
    private const int RequestLatencyMs = 2500;

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 10_000;
        var report = new StringBuilder();
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        report.Append(await RunOnAsync(Store.Sqlite($"Data Source={Path.Combine(directory, "crmsync.db")}"), Path.Combine(directory, "sqlite"), n, ct));
        SqliteConnection.ClearAllPools();

        await using var postgres = await PostgresInstance.StartAsync();
        var database = "crmsync_crash_" + Guid.NewGuid().ToString("N")[..8];
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString))
        {
            await admin.OpenAsync(ct);
            await using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {database}";
            await create.ExecuteNonQueryAsync(ct);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString;
        report.AppendLine();
        report.Append(await RunOnAsync(Store.PostgreSql(connectionString), Path.Combine(directory, "postgresql"), n, ct));
        NpgsqlConnection.ClearAllPools();
        report.AppendLine("rerun: dotnet run -c Release --project tests/CrmSync.Benchmarks -- crash " + n.ToString(CultureInfo.InvariantCulture));
        return report.ToString();
    }

    private static async Task<string> RunOnAsync(Store database, string directory, int n, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        using var simulator = ChildProcess.Start(["--crash-simulator"]);
        var hello = (await simulator.ReadLineAsync(ct)).Split(' ');
        var (simulatorUrl, token) = (new Uri(hello[0]), hello[1]);

        // Connections and the outbox, written by the driver before any worker starts.
        await using (var setup = Build(directory, database, simulatorUrl, "driver"))
        {
            var client = setup.GetRequiredService<CrmSyncClient>();
            for (var c = 0; c < Connections; c++)
            {
                var connection = await client.ConnectAsync($"{Tenant}-{c}", "hubspot", new CrmCredentials { AccessToken = token, ExpiresAt = DateTimeOffset.UtcNow.AddHours(6) }, "bench", cancellationToken: ct);
                await client.ChooseStartingPointAsync($"{Tenant}-{c}", connection.Id, StartingPoint.Skip, ct);
                await client.EnqueueAsync($"{Tenant}-{c}", Enumerable.Range(0, n / Connections).Select(i => Contact(c, i)).ToList(), ct);
            }
        }

        var workers = Enumerable.Range(1, Workers).Select(w => StartWorker(directory, database, simulatorUrl, $"worker-{w}")).ToArray();
        var random = new Random(15);
        var resumes = new List<double>();
        var backAtWork = new List<double>();
        var started = Stopwatch.GetTimestamp();
        var kills = 0;
        var killedBeforeOutcome = 0;

        // Kills whose connections have not yet recorded their next outcome: measured while the next kills go on, so that
        // all 20 rounds fit in the work (waiting for each outcome before the next kill ended the work after 9 to 16 kills).
        var awaitingOutcome = new List<(int Worker, long KilledAt, List<string> Held, Dictionary<string, long> Before)>();

        async Task PollOutcomesAsync()
        {
            if (awaitingOutcome.Count == 0)
            {
                return;
            }

            var now = await SyncedPerConnectionAsync(database, ct);
            var pending = await PendingPerConnectionAsync(database, ct);
            foreach (var kill in awaitingOutcome.ToList())
            {
                kill.Held.RemoveAll(c => now.GetValueOrDefault(c) > kill.Before.GetValueOrDefault(c) || pending.GetValueOrDefault(c) == 0);
                if (kill.Held.Count == 0)
                {
                    resumes.Add(Stopwatch.GetElapsedTime(kill.KilledAt).TotalSeconds);
                    awaitingOutcome.Remove(kill);
                }
            }
        }

        for (var round = 0; round < Rounds && await PendingAsync(database, ct) > 0; round++)
        {
            var nextKill = Stopwatch.GetTimestamp() + (long)(random.Next(500, 2500) / 1000d * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < nextKill)
            {
                await Task.Delay(50, ct);
                await PollOutcomesAsync();
            }

            var w = random.Next(Workers);
            var instanceId = $"worker-{w + 1}";
            var held = await LeasedByAsync(database, instanceId, ct);
            var before = await SyncedPerConnectionAsync(database, ct);
            var runsBefore = await LatestRunPerConnectionAsync(database, ct);
            workers[w].Kill();
            kills++;
            var killedAt = Stopwatch.GetTimestamp();
            workers[w] = StartWorker(directory, database, simulatorUrl, instanceId);

            // This worker's earlier kill whose outcome is still outstanding now measures two kills: leave it out.
            killedBeforeOutcome += awaitingOutcome.RemoveAll(k => k.Worker == w);
            if (held.Count == 0)
            {
                continue;
            }

            // Back at work when every connection the killed worker held has a new run (the restarted process took its lease
            // back); resumed when each has recorded a new outcome, one CRM answer later (or has nothing left).
            awaitingOutcome.Add((w, killedAt, held.ToList(), before));
            var notStarted = held.ToList();
            while (notStarted.Count > 0 && Stopwatch.GetElapsedTime(killedAt) < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(50, ct);
                var pending = await PendingPerConnectionAsync(database, ct);
                var runs = await LatestRunPerConnectionAsync(database, ct);
                notStarted.RemoveAll(c => runs.GetValueOrDefault(c) > runsBefore.GetValueOrDefault(c) || pending.GetValueOrDefault(c) == 0);
                await PollOutcomesAsync();
            }

            backAtWork.Add(Stopwatch.GetElapsedTime(killedAt).TotalSeconds);
        }

        while (awaitingOutcome.Count > 0 && await PendingAsync(database, ct) > 0)
        {
            await Task.Delay(50, ct);
            await PollOutcomesAsync();
        }

        while (await PendingAsync(database, ct) > 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(15))
        {
            await Task.Delay(200, ct);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        foreach (var worker in workers)
        {
            worker.Kill();
        }

        await simulator.WriteLineAsync("count");
        var counts = (await simulator.ReadLineAsync(ct)).Split(' ').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var (crmRecords, distinctEmails) = (counts[0], counts[1]);
        var outbox = await ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("outbox")}", ct);
        var synced = await ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("outbox")} WHERE state = 1", ct);
        var notFinal = await ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("outbox")} WHERE state NOT IN (1, 2, 3)", ct);
        var runSynced = await ScalarAsync(database, $"SELECT COALESCE(SUM(synced), 0) FROM {database.Table("runs")}", ct);
        var interrupted = await ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("runs")} WHERE outcome = {(int)SyncRunOutcome.Interrupted} AND {database.NotRunning}", ct);
        var interruptedLog = await ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("log")} WHERE event_type = '{SyncEventTypes.SyncInterrupted}'", ct);

        resumes.Sort();
        backAtWork.Sort();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"crash on {database.Name}: {Workers} worker processes on one store, HubSpot simulator in its own process ({RequestLatencyMs} ms per request), {n} contacts on {Connections} connections, lease 10 s");
        report.AppendLine(CultureInfo.InvariantCulture, $"SIGKILLs: {kills} (random worker, every 0.5-2.5 s), all work done in {elapsed.TotalSeconds:0.0} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"CRM records: {crmRecords} (distinct emails {distinctEmails}) -> lost {n - distinctEmails}, duplicates {crmRecords - distinctEmails}");
        report.AppendLine(CultureInfo.InvariantCulture, $"outbox: {outbox} items, {synced} synced, {notFinal} without a final outcome");
        report.AppendLine(CultureInfo.InvariantCulture, $"run history: {runSynced} synced across runs (double-counted: {runSynced - synced}); {interrupted} runs closed as interrupted, {interruptedLog} sync_interrupted log entries");
        report.AppendLine(CultureInfo.InvariantCulture, $"kills mid-run (holding a lease): {backAtWork.Count}; the restarted worker is back at work (a new run on every connection it held) in: median {Percentile(backAtWork, 0.5):0.00} s, max {(backAtWork.Count == 0 ? 0 : backAtWork[^1]):0.00} s (process start included)");
        report.AppendLine(CultureInfo.InvariantCulture, $"  and records its next outcome (its provider's first calls and one {RequestLatencyMs} ms CRM answer each later) in: median {Percentile(resumes, 0.5):0.00} s, max {(resumes.Count == 0 ? 0 : resumes[^1]):0.00} s ({resumes.Count} measured; {killedBeforeOutcome} left out because the same worker was killed again first)");
        return report.ToString();
    }

    /// <summary>The simulator process: prints its address and an access token, then answers "count" with records and distinct emails.</summary>
    public static async Task<int> SimulatorAsync()
    {
        using var simulator = HubSpotSimulator.Start(new HubSpotSimulatorOptions { BurstLimit = 100_000, DailyLimit = 100_000_000 });

        // A busy CRM answers a batch of 100 in 2.5 s; a faster one would have the 10,000 records done before 20 kills.
        simulator.SetLatency(TimeSpan.FromMilliseconds(RequestLatencyMs));
        Console.WriteLine($"{simulator.BaseUrl} {simulator.IssueAccessToken()}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == "count")
            {
                var contacts = simulator.GetRecords("contacts");
                var emails = contacts.Select(r => r.Properties.GetValueOrDefault("email")).Distinct(StringComparer.OrdinalIgnoreCase).Count();
                Console.WriteLine($"{contacts.Count} {emails}");
            }
        }

        return 0;
    }

    /// <summary>A worker process: runs due connections on the shared store until killed.</summary>
    public static async Task<int> WorkerAsync(string directory, string store, string connectionString, Uri simulatorUrl, string instanceId)
    {
        await using var services = Build(directory, Store.Parse(store, connectionString), simulatorUrl, instanceId);
        var engine = services.GetRequiredService<SyncEngine>();
        while (true)
        {
            if (await engine.RunDueAsync(CancellationToken.None) == 0)
            {
                await Task.Delay(100);
            }
        }
    }

    private static ChildProcess StartWorker(string directory, Store database, Uri simulatorUrl, string instanceId) =>
        ChildProcess.Start(["--crash-worker", directory, database.Name, database.ConnectionString, simulatorUrl.ToString(), instanceId]);

    private static ServiceProvider Build(string directory, Store database, Uri simulatorUrl, string instanceId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("crmsync-bench-crash");
        var builder = services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.InstanceId = instanceId;
            o.LeaseDuration = TimeSpan.FromSeconds(10);
            o.MaxRecordsPerRun = 500;
        });
        database.Use(builder);
        builder.AddHubSpot(o =>
            {
                o.ClientId = "crmsync-simulator-client";
                o.ClientSecret = "crmsync-simulator-secret";
                o.ApiBaseAddress = simulatorUrl;
                o.AuthorizeBaseAddress = simulatorUrl;
                o.RequestBudget.BurstLimit = 100_000;
            });
        return services.BuildServiceProvider();
    }

    private static CrmChange Contact(int connection, int i) => new(CrmObjectType.Contact, $"c{connection}-{i}", new Dictionary<string, string?>
    {
        [CrmFieldNames.Email] = $"c{connection}-{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

    private static Task<long> PendingAsync(Store database, CancellationToken ct) => ScalarAsync(database, $"SELECT COUNT(*) FROM {database.Table("outbox")} WHERE state = 0", ct);

    private static async Task<long> ScalarAsync(Store database, string sql, CancellationToken ct)
    {
        await using var db = database.Open();
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> LeasedByAsync(Store database, string instanceId, CancellationToken ct)
    {
        await using var db = database.Open();
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT id FROM {database.Table("connections")} WHERE lease_owner = @owner";
        var owner = cmd.CreateParameter();
        owner.ParameterName = "@owner";
        owner.Value = instanceId;
        cmd.Parameters.Add(owner);
        var result = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return result;
    }

    private static Task<Dictionary<string, long>> SyncedPerConnectionAsync(Store database, CancellationToken ct) =>
        PerConnectionAsync(database, $"SELECT connection_id, COUNT(*) FROM {database.Table("outbox")} WHERE state <> 0 GROUP BY connection_id", ct);

    private static Task<Dictionary<string, long>> LatestRunPerConnectionAsync(Store database, CancellationToken ct) =>
        PerConnectionAsync(database, $"SELECT connection_id, MAX(id) FROM {database.Table("runs")} GROUP BY connection_id", ct);

    private static Task<Dictionary<string, long>> PendingPerConnectionAsync(Store database, CancellationToken ct) =>
        PerConnectionAsync(database, $"SELECT connection_id, COUNT(*) FROM {database.Table("outbox")} WHERE state = 0 GROUP BY connection_id", ct);

    private static async Task<Dictionary<string, long>> PerConnectionAsync(Store database, string sql, CancellationToken ct)
    {
        await using var db = database.Open();
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>The store the workers share, and how the driver reads it behind the SDK's back.</summary>
    private sealed record Store(string Name, string ConnectionString)
    {
        public static Store Sqlite(string connectionString) => new("sqlite", connectionString);

        public static Store PostgreSql(string connectionString) => new("postgresql", connectionString);

        public static Store Parse(string name, string connectionString) => name switch
        {
            "sqlite" => Sqlite(connectionString),
            "postgresql" => PostgreSql(connectionString),
            _ => throw new ArgumentException($"Unknown store '{name}'.", nameof(name)),
        };

        public string NotRunning => Name == "sqlite" ? "running = 0" : "NOT running";

        public string Table(string name) => Name == "sqlite" ? "crmsync_" + name : "crmsync." + name;

        public DbConnection Open() => Name == "sqlite" ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

        public void Use(ICrmSyncBuilder builder)
        {
            if (Name == "sqlite")
            {
                builder.UseSqlite(ConnectionString);
            }
            else
            {
                builder.UsePostgreSql(ConnectionString);
            }
        }
    }
}

/// <summary>This benchmark executable started again in another mode, killed with SIGKILL when the driver says so.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public static ChildProcess Start(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start " + host));
    }

    public async Task<string> ReadLineAsync(CancellationToken ct) =>
        await _process.StandardOutput.ReadLineAsync(ct) ?? throw new InvalidOperationException("The child process ended.");

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>SIGKILL on Linux: no finally blocks, no flushes, no lease release.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
