using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Benchmarks.Scenarios;

/// <summary>
/// Issues 4 and 15: records per second of CrmSync (batch upsert of 100 under a proactive budget) versus a naive per-record
/// search-then-create-or-update loop, both against a HubSpot simulator with the same burst limit. Prints the ratio, the
/// 429s each side received, and how much of the limit one connection used over the whole run: the calls the simulator
/// metered against the calls its rolling limit admits in the run's duration (the first burst window included), both read
/// from the simulator.
/// </summary>
public static class HubSpotThroughputScenario
{
    private const int BurstLimit = 20;
    private static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(2);

    public static async Task<string> RunAsync(int records, CancellationToken ct)
    {
        var n = records > 0 ? records : 10_000;
        var naiveN = Math.Min(n, 100);
        var crmSync = await RunCrmSyncAsync(n, ct);
        var naive = await RunNaiveAsync(naiveN, ct);

        var sustainedCallsPerSecond = BurstLimit / BurstWindow.TotalSeconds;
        var ceiling = sustainedCallsPerSecond * 100;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"HubSpot throughput under the same simulated limit: {BurstLimit} calls / {BurstWindow.TotalSeconds:0} s rolling, search 5/s");
        report.AppendLine(CultureInfo.InvariantCulture, $"ceiling at 100 per batch: {ceiling:0} records/s (sustained)");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync: {n} records in {crmSync.Elapsed.TotalSeconds:0.00} s = {n / crmSync.Elapsed.TotalSeconds:0.0} records/s, {crmSync.Calls} calls, {crmSync.Metered} calls metered by the simulator, {crmSync.TooMany} x 429");
        report.AppendLine(CultureInfo.InvariantCulture, $"naive search-then-create/update: {naiveN} records in {naive.Elapsed.TotalSeconds:0.00} s = {naiveN / naive.Elapsed.TotalSeconds:0.0} records/s, {naive.Calls} calls, {naive.TooMany} x 429");
        report.AppendLine(CultureInfo.InvariantCulture, $"ratio CrmSync / naive: {n / crmSync.Elapsed.TotalSeconds / (naiveN / naive.Elapsed.TotalSeconds):0.0}x");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync share of the sustained rate: {n / crmSync.Elapsed.TotalSeconds / ceiling:P1}");
        report.AppendLine(CultureInfo.InvariantCulture, $"CrmSync share of the limit over the run: {crmSync.Metered} calls metered / {crmSync.Allowed} calls the simulator's limit admits in {crmSync.Elapsed.TotalSeconds:0.00} s (first burst window included) = {crmSync.Metered / (double)crmSync.Allowed:P1}");
        report.AppendLine("  (the limit admits whole bursts, so a short run that needs one more burst for its last few calls reads low: use 50,000 records or more for the steady figure)");
        return report.ToString();
    }

    private static HubSpotSimulator StartSimulator() =>
        HubSpotSimulator.Start(new HubSpotSimulatorOptions { BurstLimit = BurstLimit, BurstWindow = BurstWindow, DailyLimit = 10_000_000 });

    private static async Task<(TimeSpan Elapsed, int Calls, int TooMany, long Metered, long Allowed)> RunCrmSyncAsync(int n, CancellationToken ct)
    {
        using var simulator = StartSimulator();
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-bench-hubspot", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var counter = new StatusCounter();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.MaxRecordsPerRun = int.MaxValue;
        })
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddHubSpot(o =>
            {
                o.ClientId = "crmsync-simulator-client";
                o.ClientSecret = "crmsync-simulator-secret";
                o.ApiBaseAddress = simulator.BaseUrl;
                o.AuthorizeBaseAddress = simulator.BaseUrl;
                o.RequestBudget.BurstLimit = BurstLimit;
                o.RequestBudget.BurstWindow = BurstWindow;
            });
        services.AddHttpClient(HubSpotCrmSyncBuilderExtensions.HttpClientName).AddHttpMessageHandler(() => new CountingHandler(counter));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CrmSyncClient>();
        var credentials = new CrmCredentials { AccessToken = simulator.IssueAccessToken(), ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(30) };
        var connection = await client.ConnectAsync("bench", "hubspot", credentials, "bench", cancellationToken: ct);
        await client.ChooseStartingPointAsync("bench", connection.Id, StartingPoint.Skip, ct);
        await client.EnqueueAsync("bench", Enumerable.Range(0, n).Select(Contact).ToList(), ct);

        var meteredBefore = simulator.GetUsage().Used;
        var started = Stopwatch.GetTimestamp();
        var synced = 0;
        while (synced < n)
        {
            var run = await client.SyncNowAsync("bench", connection.Id, ct);
            synced += run.Synced;
            if (run.Outcome is not (SyncRunOutcome.Success or SyncRunOutcome.Warning) || run.Synced == 0)
            {
                throw new InvalidOperationException($"CrmSync run ended {run.Outcome}: {run.Message}");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (simulator.GetRecords("contacts").Count != n)
        {
            throw new InvalidOperationException("CrmSync did not write every contact exactly once.");
        }

        return (elapsed, counter.Calls, counter.TooMany, simulator.GetUsage().Used - meteredBefore, simulator.GetBurstAllowance(elapsed));
    }

    private static async Task<(TimeSpan Elapsed, int Calls, int TooMany)> RunNaiveAsync(int n, CancellationToken ct)
    {
        using var simulator = StartSimulator();
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", simulator.IssueAccessToken());
        var calls = 0;
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
            var email = $"c{i}@example.test";
            var properties = new Dictionary<string, string> { ["email"] = email, ["firstname"] = "Ada", ["lastname"] = $"Lovelace {i}" };
            var search = new { filterGroups = new[] { new { filters = new[] { new { propertyName = "email", @operator = "EQ", value = email } } } }, limit = 1 };
            using var found = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/crm/v3/objects/contacts/search") { Content = JsonContent.Create(search) });
            using var json = JsonDocument.Parse(await found.Content.ReadAsStringAsync(ct));
            var existing = json.RootElement.TryGetProperty("results", out var results) && results.GetArrayLength() > 0 ? results[0].GetProperty("id").GetString() : null;
            using var written = existing is null
                ? await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/crm/v3/objects/contacts") { Content = JsonContent.Create(new { properties }) })
                : await SendAsync(() => new HttpRequestMessage(HttpMethod.Patch, $"/crm/v3/objects/contacts/{existing}") { Content = JsonContent.Create(new { properties }) });
            written.EnsureSuccessStatusCode();
        }

        return (Stopwatch.GetElapsedTime(started), calls, tooMany);
    }

    private static CrmChange Contact(int i) => new(CrmObjectType.Contact, $"c{i}", new Dictionary<string, string?>
    {
        [CrmFieldNames.Email] = $"c{i}@example.test",
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = $"Lovelace {i}",
    });

    private sealed class StatusCounter
    {
        private int _calls;
        private int _tooMany;

        public int Calls => Volatile.Read(ref _calls);

        public int TooMany => Volatile.Read(ref _tooMany);

        public void Count(HttpStatusCode status)
        {
            Interlocked.Increment(ref _calls);
            if (status == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _tooMany);
            }
        }
    }

    private sealed class CountingHandler(StatusCounter counter) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            counter.Count(response.StatusCode);
            return response;
        }
    }
}
