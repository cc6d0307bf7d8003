using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Sdk;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SecretRecordingHandler = CrmSync.TestUtils.SecretRecordingHandler;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>A host on a real SQLite file in a temp folder, with the Pipedrive provider pointed at a simulator over HTTP, on a fake clock.</summary>
internal sealed class PipedriveHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-a";
    public static readonly Uri RedirectUri = new("https://app.example.test/crm/callback");

    private PipedriveHarness(Action<PipedriveSimulatorOptions>? simulator, Action<PipedriveOptions>? provider, Action<CrmSyncOptions>? sync)
    {
        Directory = Path.Combine(Path.GetTempPath(), "crmsync-pipedrive-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var simulatorOptions = new PipedriveSimulatorOptions { TimeProvider = Time, BurstLimit = 100_000, SearchBurstLimit = 100_000 };
        simulator?.Invoke(simulatorOptions);
        Sim = PipedriveSimulator.Start(simulatorOptions);

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
            .AddPipedrive(o =>
            {
                o.ApiBaseAddress = Sim.BaseUrl;
                o.OAuthBaseAddress = Sim.BaseUrl;
                o.ClientId = "sim-client-id";
                o.ClientSecret = ClientSecret;
                o.RequestBudget.BurstLimit = 100_000;
                o.SearchBurstLimit = 100_000;
                o.MaxTransportRetries = 0;
                provider?.Invoke(o);
            })
            .AddAlertSink<RecordingAlertSink>();
        services.AddHttpClient(PipedriveCrmSyncBuilderExtensions.HttpClientName).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        services.AddHttpClient(PipedriveCrmSyncBuilderExtensions.OAuthHttpClientName).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>The app's client secret the provider signs in with.</summary>
    public const string ClientSecret = "sim-client-secret";

    /// <summary>Every access and refresh token that crossed the wire.</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public PipedriveSimulator Sim { get; }

    public ServiceProvider Services { get; }

    public string Directory { get; }

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public PipedriveCrmProvider Provider => Services.GetRequiredService<PipedriveCrmProvider>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public IReadOnlyCollection<CrmSyncAlert> Alerts => Services.GetServices<ICrmSyncAlertSink>().OfType<RecordingAlertSink>().Single().Received;

    public static PipedriveHarness Create(Action<PipedriveSimulatorOptions>? simulator = null, Action<PipedriveOptions>? provider = null, Action<CrmSyncOptions>? sync = null) =>
        new(simulator, provider, sync);

    /// <summary>Connects with the simulator's API token and skips the initial import.</summary>
    public async Task<CrmConnection> ConnectWithApiTokenAsync(ConnectionSettings? settings = null)
    {
        var connection = await Client.ConnectAsync(Tenant, PipedriveCrmProvider.ProviderName, new CrmCredentials { ApiKey = Sim.ApiToken, InstanceUrl = Sim.BaseUrl.ToString() }, "Acme", settings: settings);
        await Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection;
    }

    /// <summary>Signs in through the simulator's OAuth pages like a browser would, and skips the initial import.</summary>
    public async Task<CrmConnection> ConnectWithOAuthAsync(ConnectionSettings? settings = null)
    {
        var connection = await Client.CreateConnectionAsync(Tenant, PipedriveCrmProvider.ProviderName, settings: settings);
        var authorize = await Client.BeginSignInAsync(Tenant, connection.Id, RedirectUri);
        var (code, state) = await FollowConsentAsync(authorize, "allow");
        connection = await Client.CompleteSignInAsync(state, code);
        await Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection;
    }

    public static async Task<(string Code, string State)> FollowConsentAsync(Uri authorize, string linkId)
    {
        using var http = new HttpClient();
        var html = await http.GetStringAsync(authorize);
        var href = WebUtility.HtmlDecode(LinkPattern(linkId).Match(html).Groups["href"].Value);
        var query = new Uri(href).Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return (query["code"], query["state"]);
    }

    public static CrmChange Contact(string id, string? name = null) => new(CrmObjectType.Contact, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = name ?? $"Lovelace {id}",
        [CrmFieldNames.Email] = $"{id}@example.test",
        [CrmFieldNames.Phone] = "+358401234567",
    });

    public static CrmChange Activity(CrmObjectType type, string id, string contactId) => new(type, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.Subject] = $"{type} {id}",
        [CrmFieldNames.Body] = "Talked about pricing.",
        [CrmFieldNames.OccurredAt] = "2026-11-20T10:30:00Z",
        [CrmFieldNames.DurationSeconds] = "330",
    })
    { ContactSourceId = contactId };

    /// <summary>Runs syncs (moving the clock to each due time) until nothing is pending or <paramref name="maxRuns"/> is reached.</summary>
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

    private static Regex LinkPattern(string id) => new($"id=\"{id}\" href=\"(?<href>[^\"]+)\"", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
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

/// <summary>Credentials for provider-level contract tests: the current set, and a refresh through the provider that counts calls.</summary>
internal sealed class TestCredentials(CrmCredentials initial, Func<CrmCredentials, Task<CrmCredentials>>? refresh = null) : ICrmCredentialAccessor
{
    private CrmCredentials _current = initial;
    private int _refreshes;

    public int Refreshes => Volatile.Read(ref _refreshes);

    public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _current));

    public async Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _refreshes);
        if (refresh is null)
        {
            throw new CrmAuthRevokedException("Rejected.", "pipedrive");
        }

        var fresh = await refresh(rejected);
        Volatile.Write(ref _current, fresh);
        return fresh;
    }
}
