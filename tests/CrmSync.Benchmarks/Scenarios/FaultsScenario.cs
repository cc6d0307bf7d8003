using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 15, faults: four connections push contacts (1 in 50 with an email HubSpot rejects) to the HubSpot simulator
/// through a faulty network: 10 % of requests answer 5xx, bursts of 429 with Retry-After, 2 % hang until the client
/// gives up, 3 % lose the answer after the CRM applied the write, 3 % answer malformed JSON. Prints the faults
/// injected (counted by the injecting handler), where every record ended, duplicates in the CRM (read from the
/// simulator), and the alerts raised. Rerun: <c>dotnet run -c Release --project tests/CrmSync.Benchmarks -- faults [records]</c>.
/// </summary>
public static class FaultsScenario
{
    private const int Connections = 4;
    private const int InvalidEvery = 50;

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 20_000;
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-faults", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var simulator = HubSpotSimulator.Start(new HubSpotSimulatorOptions { BurstLimit = 100_000, DailyLimit = 100_000_000 });
        var faults = new FaultInjectingHandler(seed: 15);
        await using var services = Build(directory, simulator.BaseUrl, faults);
        var client = services.GetRequiredService<CrmSyncClient>();
        var tenants = new List<(string Tenant, Guid Connection)>();
        for (var c = 0; c < Connections; c++)
        {
            var tenant = $"bench-{c}";
            var connection = await client.ConnectAsync(tenant, "hubspot", new CrmCredentials { AccessToken = simulator.IssueAccessToken(), ExpiresAt = DateTimeOffset.UtcNow.AddHours(6) }, "bench", cancellationToken: ct);
            await client.ChooseStartingPointAsync(tenant, connection.Id, StartingPoint.Skip, ct);
            await client.EnqueueAsync(tenant, Enumerable.Range(0, n / Connections).Select(i => Contact(c, i)).ToList(), ct);
            tenants.Add((tenant, connection.Id));
        }

        // The faults start once the connections exist: they are about the sync, not the set-up.
        faults.Enabled = true;
        var engine = services.GetRequiredService<SyncEngine>();
        var store = services.GetRequiredService<ICrmSyncStore>();
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(10))
        {
            var pending = 0;
            foreach (var (_, connection) in tenants)
            {
                pending += await store.CountPendingAsync(connection, null, ct);
            }

            if (pending == 0)
            {
                break;
            }

            if (await engine.RunDueAsync(ct) == 0)
            {
                await Task.Delay(100, ct);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        faults.Enabled = false;
        var database = $"Data Source={Path.Combine(directory, "crmsync.db")}";
        var contacts = simulator.GetRecords("contacts");
        var emails = contacts.Select(r => r.Properties.GetValueOrDefault("email")).Where(e => e is not null).ToList();
        var distinct = emails.Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var invalid = Enumerable.Range(0, n / Connections).Count(i => i % InvalidEvery == InvalidEvery - 1) * Connections;
        var valid = (n / Connections * Connections) - invalid;
        var synced = await ScalarAsync(database, "SELECT COUNT(*) FROM crmsync_outbox WHERE state = 1", ct);
        var failed = await ScalarAsync(database, "SELECT COUNT(*) FROM crmsync_outbox WHERE state = 3", ct);
        var failedWithoutType = await ScalarAsync(database, "SELECT COUNT(*) FROM crmsync_outbox WHERE state = 3 AND (problem_type IS NULL OR problem_type = '')", ct);
        var failedValid = await ScalarAsync(database, "SELECT COUNT(*) FROM crmsync_outbox WHERE state = 3 AND fields NOT LIKE '%not-an-email%'", ct);
        var notFinal = await ScalarAsync(database, "SELECT COUNT(*) FROM crmsync_outbox WHERE state NOT IN (1, 2, 3)", ct);
        var problemTypes = await GroupAsync(database, "SELECT problem_type, COUNT(*) FROM crmsync_outbox WHERE state = 3 GROUP BY problem_type ORDER BY 2 DESC", ct);
        var alerts = 0;
        foreach (var (tenant, _) in tenants)
        {
            alerts += (await client.GetAlertsAsync(tenant, openOnly: false, ct)).Count;
        }

        SqliteConnection.ClearAllPools();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"faults: {n} contacts on {Connections} connections (1 in {InvalidEvery} with an invalid email: {invalid}), HubSpot simulator behind a faulty network, SQLite store");
        report.AppendLine(CultureInfo.InvariantCulture, $"requests {faults.Requests}: 5xx {faults.ServerErrors}, 429 {faults.Throttled} (in {faults.Bursts} bursts), hung {faults.Hung}, answer lost after the write {faults.Lost}, malformed JSON {faults.Malformed}");
        report.AppendLine(CultureInfo.InvariantCulture, $"done in {elapsed.TotalSeconds:0.0} s; outbox: {synced} synced, {failed} in the failure ledger ({failedWithoutType} without a problem type, {failedValid} with a valid email), {notFinal} without a final outcome");
        report.AppendLine(CultureInfo.InvariantCulture, $"failure ledger by problem type: {(problemTypes.Count == 0 ? "none" : string.Join(", ", problemTypes.Select(p => $"{p.Key} {p.Value}")))}");
        report.AppendLine(CultureInfo.InvariantCulture, $"CRM contacts: {contacts.Count} (distinct emails {distinct}) -> lost {valid - distinct}, duplicates {contacts.Count - distinct}");
        report.AppendLine(CultureInfo.InvariantCulture, $"alerts raised: {alerts} (the only real failures are the {invalid} invalid emails, which a connection that keeps syncing does not alert on)");
        report.AppendLine("rerun: dotnet run -c Release --project tests/CrmSync.Benchmarks -- faults " + n.ToString(CultureInfo.InvariantCulture));
        return report.ToString();
    }

    private static ServiceProvider Build(string directory, Uri simulatorUrl, FaultInjectingHandler faults)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("crmsync-bench-faults");

        // Under the resilience handler, where the network is: the provider's retries see the faults as they would in production.
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => faults));
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.DefaultRetryDelay = TimeSpan.FromSeconds(1);
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddHubSpot(o =>
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
        [CrmFieldNames.Email] = i % InvalidEvery == InvalidEvery - 1 ? $"c{connection}-{i}-not-an-email" : $"c{connection}-{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });

    private static async Task<long> ScalarAsync(string database, string sql, CancellationToken ct)
    {
        await using var db = new SqliteConnection(database);
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task<List<KeyValuePair<string, long>>> GroupAsync(string database, string sql, CancellationToken ct)
    {
        await using var db = new SqliteConnection(database);
        await db.OpenAsync(ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        var result = new List<KeyValuePair<string, long>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new(reader.IsDBNull(0) ? "(none)" : reader.GetString(0), reader.GetInt64(1)));
        }

        return result;
    }

    /// <summary>The network between CrmSync and the CRM, failing on purpose; counts what it did.</summary>
    private sealed class FaultInjectingHandler(int seed) : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();
        private int _burstLeft;

        public bool Enabled { get; set; }

        public int Requests;
        public int ServerErrors;
        public int Throttled;
        public int Bursts;
        public int Hung;
        public int Lost;
        public int Malformed;

        protected override void Dispose(bool disposing)
        {
            // Shared by every client the factory builds; the scenario owns it.
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!Enabled)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            Interlocked.Increment(ref Requests);
            double roll;
            bool throttle;
            lock (_gate)
            {
                roll = _random.NextDouble();
                if (_burstLeft == 0 && roll < 0.02)
                {
                    _burstLeft = 5;
                    Bursts++;
                }

                throttle = _burstLeft > 0;
                if (throttle)
                {
                    _burstLeft--;
                }
            }

            if (throttle)
            {
                Interlocked.Increment(ref Throttled);
                var limited = Json(request, HttpStatusCode.TooManyRequests, """{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"00000000-0000-0000-0000-000000000429","policyName":"SECONDLY"}""");
                limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return limited;
            }

            if (roll < 0.12)
            {
                Interlocked.Increment(ref ServerErrors);
                return Json(request, roll < 0.07 ? HttpStatusCode.BadGateway : HttpStatusCode.ServiceUnavailable, """{"status":"error","message":"internal error","correlationId":"00000000-0000-0000-0000-000000000503","category":"INTERNAL_ERROR"}""");
            }

            if (roll < 0.14)
            {
                // Hangs until the client's attempt timeout gives up on it.
                Interlocked.Increment(ref Hung);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (roll < 0.17)
            {
                // The CRM applied the write; the answer never arrives.
                Interlocked.Increment(ref Lost);
                response.Dispose();
                throw new HttpRequestException("The connection was reset before the answer arrived (injected).", new IOException("Connection reset by peer"));
            }

            if (roll < 0.20 && response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json")
            {
                Interlocked.Increment(ref Malformed);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var broken = Json(request, response.StatusCode, body[..(body.Length / 2)]);
                response.Dispose();
                return broken;
            }

            return response;
        }

        private static HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request };
    }
}
