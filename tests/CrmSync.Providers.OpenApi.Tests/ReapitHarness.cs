using System.Collections.Concurrent;
using CrmSync.Providers.Reapit.Simulator;
using CrmSync.Sdk;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>A host on a real SQLite file in a temp folder, with the Reapit profile pointed at the Reapit simulator over HTTP, on a fake clock.</summary>
internal sealed class ReapitHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-a";
    public const string Customer = "SBOX";

    private ReapitHarness(Action<ReapitSimulatorOptions>? simulator, Action<OpenApiCrmOptions>? provider, OpenApiProfile? profile, Action<CrmSyncOptions>? sync)
    {
        Directory = Path.Combine(Path.GetTempPath(), "crmsync-openapi-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var simulatorOptions = new ReapitSimulatorOptions { TimeProvider = Time, RequestsPerSecond = 100_000, ConcurrentRequestsPerCustomer = 100 };
        simulator?.Invoke(simulatorOptions);
        Sim = ReapitSimulator.Start(simulatorOptions);

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
            .AddOpenApiCrm(profile ?? OpenApiProfiles.Reapit, o =>
            {
                o.BaseUrl = Sim.BaseUrl;
                o.TokenUrl = Sim.TokenUrl;
                o.AuthorizeUrl = Sim.AuthorizeUrl;
                o.ClientId = Sim.ClientId;
                o.ClientSecret = Sim.ClientSecret;
                o.BurstLimit = 100_000;
                o.MaxRetryAttempts = 0;
                provider?.Invoke(o);
            })
            .AddAlertSink<RecordingAlertSink>();
        var name = (profile ?? OpenApiProfiles.Reapit).Name;
        services.AddHttpClient("CrmSync.OpenApi." + name).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        services.AddHttpClient("CrmSync.OpenApi.OAuth." + name).AddHttpMessageHandler(() => new SecretRecordingHandler(Secrets));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Every bearer token and Basic client credential that crossed the wire (API and token clients).</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public ReapitSimulator Sim { get; }

    public ServiceProvider Services { get; }

    public string Directory { get; }

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public OpenApiCrmProvider Provider => (OpenApiCrmProvider)Services.GetServices<ICrmProvider>().Single(p => p is OpenApiCrmProvider);

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public IReadOnlyCollection<CrmSyncAlert> Alerts => Services.GetServices<ICrmSyncAlertSink>().OfType<RecordingAlertSink>().Single().Received;

    public static ReapitHarness Create(Action<ReapitSimulatorOptions>? simulator = null, Action<OpenApiCrmOptions>? provider = null, OpenApiProfile? profile = null, Action<CrmSyncOptions>? sync = null) =>
        new(simulator, provider, profile, sync);

    /// <summary>Connects the sandbox customer (client credentials) and skips the initial import.</summary>
    public async Task<CrmConnection> ConnectAsync(ConnectionSettings? settings = null, string customer = Customer)
    {
        var credentials = new CrmCredentials { ApiKey = customer };
        var connection = await Client.ConnectAsync(Tenant, "reapit", credentials, customer, settings: settings);
        await Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection;
    }

    public static CrmChange Contact(string id, string? lastName = null) => new(CrmObjectType.Contact, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = lastName ?? $"Lovelace {id}",
        [CrmFieldNames.Email] = $"{id}@example.test",
        [CrmFieldNames.Phone] = "+447700900123",
    });

    public static CrmChange Activity(CrmObjectType type, string id, string contactId) => new(type, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.Subject] = $"{type} {id}",
        [CrmFieldNames.Body] = "Talked about the valuation.",
        [CrmFieldNames.OccurredAt] = "2026-11-20T10:30:00Z",
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
            // A file still held open by the OS: the temp folder is cleaned up later.
        }
    }
}
