using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CrmSync.Providers.Zoho;
using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issue 5: records per second of CrmSync (upsert of 100 by the external-id field, inside the request budget) versus the
/// naive per-record loop of the product note (search, then create or update), both against a Zoho simulator with the same
/// limit: 10 calls per second and 10 concurrent calls. Also prints the API credits each side spends per 1,000 records.
/// </summary>
public static class ZohoThroughputScenario
{
    private const int CallsPerSecond = 10;
    private static readonly Uri Redirect = new("https://bench.example.test/callback");

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 2_000;
        var naiveN = Math.Min(n, 50);
        var crmSync = await RunCrmSyncAsync(n, ct);
        var naive = await RunNaiveAsync(naiveN, ct);
        var crmRate = n / crmSync.Elapsed.TotalSeconds;
        var naiveRate = naiveN / naive.Elapsed.TotalSeconds;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Zoho CRM throughput under the same simulated limit: {CallsPerSecond} calls/s, 10 concurrent");
        report.AppendLine(CultureInfo.InvariantCulture, $"ceiling at 100 per upsert: {CallsPerSecond * 100} records/s; naive ceiling (search + write per record): {CallsPerSecond / 2.0:0.0} records/s");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync: {n} records in {crmSync.Elapsed.TotalSeconds:0.00} s = {crmRate:0.0} records/s, {crmSync.Calls} calls, {crmSync.Credits} credits metered by the simulator ({crmSync.Credits * 1000.0 / n:0} per 1,000 records), {crmSync.Paused} pauses");
        report.AppendLine(CultureInfo.InvariantCulture, $"naive search-then-create/update: {naiveN} records in {naive.Elapsed.TotalSeconds:0.00} s = {naiveRate:0.0} records/s, {naive.Calls} calls, {naive.Calls * 1000 / naiveN} credits per 1,000 records, {naive.TooMany} x 429");
        report.AppendLine(CultureInfo.InvariantCulture, $"ratio CrmSync / naive: {crmRate / naiveRate:0.0}x; CrmSync at {crmRate / (CallsPerSecond * 100):P0} of the sustained ceiling (the first second's full window included)");
        return report.ToString();
    }

    private static ZohoSimulator StartSimulator() =>
        // The naive client writes External_Id directly, so the org has it; CrmSync then only checks for it once.
        ZohoSimulator.Start(new ZohoSimulatorOptions { BurstLimit = CallsPerSecond, BurstWindow = TimeSpan.FromSeconds(1), DailyCreditLimit = 10_000_000, ExternalIdFieldExists = true });

    private static async Task<(TimeSpan Elapsed, long Calls, long Credits, int Paused)> RunCrmSyncAsync(int n, CancellationToken ct)
    {
        using var simulator = StartSimulator();
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-zoho", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.MaxRecordsPerRun = int.MaxValue;
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddZoho(o =>
            {
                o.ClientId = "1000.SIMCLIENT";
                o.ClientSecret = "sim-client-secret";
                o.DataCenters["us"].AccountsBaseAddress = simulator.GetAccountsServer(ZohoDataCenter.Us);
                o.DataCenters["us"].ApiBaseAddress = simulator.GetApiDomain(ZohoDataCenter.Us);
                o.RequestBudget.BurstLimit = CallsPerSecond;
                o.RequestBudget.BurstWindow = TimeSpan.FromSeconds(1);
            });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CrmSyncClient>();
        var connection = await client.CreateConnectionAsync("bench", ZohoCrmProvider.ProviderName, "us", cancellationToken: ct);
        var (code, state) = await ConsentAsync(await client.BeginSignInAsync("bench", connection.Id, Redirect, ct), ct);
        await client.CompleteSignInAsync(state, code, ct);
        await client.ChooseStartingPointAsync("bench", connection.Id, StartingPoint.Skip, ct);
        await client.EnqueueAsync("bench", Enumerable.Range(0, n).Select(Contact).ToList(), ct);

        // Sign-in happens long before a sync: let its calls leave the simulator's rate window before measuring.
        await Task.Delay(TimeSpan.FromSeconds(1.1), ct);
        var before = simulator.RequestCount;
        var creditsBefore = simulator.GetUsage().Used;
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
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (simulator.GetRecords("Contacts").Count != n)
        {
            throw new InvalidOperationException("CrmSync did not write every contact exactly once.");
        }

        var calls = simulator.RequestCount - before;
        // Credits as the simulator metered them: a write of 100 records costs 10, a COQL page by its LIMIT, anything else 1.
        return (elapsed, calls, simulator.GetUsage().Used - creditsBefore, paused);
    }

    private static async Task<(TimeSpan Elapsed, long Calls, int TooMany)> RunNaiveAsync(int n, CancellationToken ct)
    {
        using var simulator = StartSimulator();
        using var http = new HttpClient();
        var accounts = simulator.GetAccountsServer(ZohoDataCenter.Us).ToString().TrimEnd('/');
        var authorize = new Uri($"{accounts}/oauth/v2/auth?client_id=1000.SIMCLIENT&response_type=code&redirect_uri={Uri.EscapeDataString(Redirect.ToString())}&scope=ZohoCRM.modules.ALL&state=s");
        var (code, _) = await ConsentAsync(authorize, ct);
        using var token = await http.PostAsync(new Uri($"{accounts}/oauth/v2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["redirect_uri"] = Redirect.ToString(),
            ["code"] = code,
        }), ct);
        var tokens = await token.Content.ReadFromJsonAsync<Dictionary<string, object>>(ct);
        var api = tokens!["api_domain"].ToString()!.TrimEnd('/');
        http.DefaultRequestHeaders.Add("Authorization", "Zoho-oauthtoken " + tokens["access_token"]);
        long calls = 0;
        var tooMany = 0;

        async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create)
        {
            while (true)
            {
                calls++;
                var response = await http.SendAsync(create(), ct);
                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    return response;
                }

                tooMany++;
                response.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < n; i++)
        {
            var record = new Dictionary<string, string> { ["External_Id"] = $"c{i}", ["Email"] = $"c{i}@example.test", ["First_Name"] = "Ada", ["Last_Name"] = $"Lovelace {i}" };
            using var found = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"{api}/crm/v8/Contacts/search?criteria={Uri.EscapeDataString($"(External_Id:equals:c{i})")}"));
            if (found.StatusCode == HttpStatusCode.NoContent)
            {
                using var created = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"{api}/crm/v8/Contacts") { Content = JsonContent.Create(new { data = new[] { record } }) });
                created.EnsureSuccessStatusCode();
            }
            else
            {
                var body = await found.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
                var id = body.GetProperty("data")[0].GetProperty("id").GetString();
                using var updated = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"{api}/crm/v8/Contacts/{id}") { Content = JsonContent.Create(new { data = new[] { record } }) });
                updated.EnsureSuccessStatusCode();
            }
        }

        return (Stopwatch.GetElapsedTime(started), calls, tooMany);
    }

    private static async Task<(string Code, string State)> ConsentAsync(Uri authorize, CancellationToken ct)
    {
        using var http = new HttpClient();
        var html = await http.GetStringAsync(authorize, ct);
        var start = html.IndexOf("id=\"accept\" href=\"", StringComparison.Ordinal) + "id=\"accept\" href=\"".Length;
        var href = WebUtility.HtmlDecode(html[start..html.IndexOf('"', start)]);
        var query = new Uri(href).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return (query["code"], query["state"]);
    }

    private static CrmChange Contact(int i) => new(CrmObjectType.Contact, $"c{i}", new Dictionary<string, string?>
    {
        [CrmFieldNames.Email] = $"c{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });
}
