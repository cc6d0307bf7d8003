using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SecretRecordingHandler = CrmSync.TestUtils.SecretRecordingHandler;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>A host on a real SQLite file in a temp folder, with the Zoho provider's datacenters pointed at a simulator over HTTP, on a fake clock.</summary>
internal sealed class ZohoHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-a";
    public static readonly Uri RedirectUri = new("https://app.example.test/crm/callback");

    private ZohoHarness(Action<ZohoSimulatorOptions>? simulator, Action<ZohoOptions>? provider, Action<CrmSyncOptions>? sync)
    {
        Directory = Path.Combine(Path.GetTempPath(), "crmsync-zoho-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var simulatorOptions = new ZohoSimulatorOptions { TimeProvider = Time, ConcurrencyLimit = 100 };
        simulator?.Invoke(simulatorOptions);
        Sim = ZohoSimulator.Start(simulatorOptions);

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Directory, "keys")));
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.ProductName = "SalesHive";
            sync?.Invoke(o);
        })
            .UseSqlite($"Data Source={Path.Combine(Directory, "crmsync.db")}")
            .AddZoho(o =>
            {
                o.ClientId = "1000.SIMCLIENT";
                o.ClientSecret = ClientSecret;
                o.MaxTransportRetries = 0;
                foreach (var (id, dc) in DataCenters)
                {
                    o.DataCenters[id].AccountsBaseAddress = Sim.GetAccountsServer(dc);
                    o.DataCenters[id].ApiBaseAddress = Sim.GetApiDomain(dc);
                }

                provider?.Invoke(o);
            })
            .AddAlertSink<RecordingAlertSink>();
        services.AddHttpClient(ZohoCrmSyncBuilderExtensions.HttpClientName).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        services.AddHttpClient(ZohoCrmSyncBuilderExtensions.AccountsHttpClientName).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The datacenter ids CrmSync stores and the simulator's regions they stand for.</summary>
    public static IReadOnlyDictionary<string, ZohoDataCenter> DataCenters { get; } = new Dictionary<string, ZohoDataCenter>
    {
        ["us"] = ZohoDataCenter.Us,
        ["eu"] = ZohoDataCenter.Eu,
        ["in"] = ZohoDataCenter.In,
        ["au"] = ZohoDataCenter.Au,
        ["jp"] = ZohoDataCenter.Jp,
    };

    /// <summary>The app's client secret the provider signs in with.</summary>
    public const string ClientSecret = "sim-client-secret";

    /// <summary>Every access and refresh token that crossed the wire.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public ZohoSimulator Sim { get; }

    public ServiceProvider Services { get; }

    public string Directory { get; }

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public ZohoCrmProvider Provider => Services.GetRequiredService<ZohoCrmProvider>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public IReadOnlyCollection<CrmSyncAlert> Alerts => Services.GetServices<ICrmSyncAlertSink>().OfType<RecordingAlertSink>().Single().Received;

    public static ZohoHarness Create(Action<ZohoSimulatorOptions>? simulator = null, Action<ZohoOptions>? provider = null, Action<CrmSyncOptions>? sync = null) =>
        new(simulator, provider, sync);

    /// <summary>Creates a connection in a datacenter and signs in through the simulator's consent page like a browser would.</summary>
    public async Task<CrmConnection> ConnectAsync(string datacenter = "us", ConnectionSettings? settings = null)
    {
        var connection = await Client.CreateConnectionAsync(Tenant, ZohoCrmProvider.ProviderName, datacenter, settings);
        var authorize = await Client.BeginSignInAsync(Tenant, connection.Id, RedirectUri);
        var query = await FollowConsentAsync(authorize);
        connection = await Client.CompleteSignInAsync(query["state"], query["code"]);
        await Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection;
    }

    public static async Task<Dictionary<string, string>> FollowConsentAsync(Uri authorize)
    {
        using var http = new HttpClient();
        var html = await http.GetStringAsync(authorize);
        var href = WebUtility.HtmlDecode(Regex.Match(html, "id=\"accept\" href=\"(?<href>[^\"]+)\"", RegexOptions.None, TimeSpan.FromSeconds(1)).Groups["href"].Value);
        return new Uri(href).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
    }

    public static CrmChange Contact(string id, string? lastName = null, string? email = null) => new(CrmObjectType.Contact, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = lastName ?? $"Lovelace {id}",
        [CrmFieldNames.Email] = email ?? $"{id}@example.test",
        [CrmFieldNames.Company] = "Analytical Engines",
    });

    public static CrmChange Activity(CrmObjectType type, string id, string contactId) => new(type, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.Subject] = $"{type} {id}",
        [CrmFieldNames.Body] = "Talked about pricing.",
        [CrmFieldNames.OccurredAt] = "2026-11-20T10:30:00Z",
        [CrmFieldNames.EndsAt] = "2026-11-20T11:00:00Z",
        [CrmFieldNames.DurationSeconds] = "330",
    })
    { ContactSourceId = contactId };

    /// <summary>Runs syncs (moving the clock to each due time) until a run completes or <paramref name="maxRuns"/> is reached.</summary>
    public async Task<List<SyncRunResult>> SyncUntilDoneAsync(Guid connectionId, int maxRuns = 20)
    {
        var runs = new List<SyncRunResult>();
        for (var i = 0; i < maxRuns; i++)
        {
            var result = await Client.SyncNowAsync(Tenant, connectionId);
            runs.Add(result);
            if (result.Outcome is SyncRunOutcome.Success or SyncRunOutcome.Warning)
            {
                break;
            }

            Time.Advance(result.RetryAfter ?? TimeSpan.FromMinutes(1));
        }

        return runs;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Sim.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

internal sealed class RecordingAlertSink : ICrmSyncAlertSink
{
    private readonly ConcurrentQueue<CrmSyncAlert> _received = new();

    public IReadOnlyCollection<CrmSyncAlert> Received => _received;

    public Task SendAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        _received.Enqueue(alert);
        return Task.CompletedTask;
    }
}
