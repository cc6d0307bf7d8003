using CrmSync.Samples.Portal.Crms.Harbor;
using CrmSync.Sdk;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>
/// A host on a real SQLite file with the sample portal's invented Harbor CRM: its profile file (API key in
/// <c>X-Harbor-Key</c>, cursor pages, search by external reference, email and phone) pointed at its simulator over HTTP.
/// </summary>
internal sealed class HarborHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-h";

    private HarborHarness(Action<OpenApiCrmOptions>? provider)
    {
        Directory = Path.Combine(Path.GetTempPath(), "crmsync-openapi-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Sim = HarborSimulator.Start(Time);
        Sim.RequestsPerSecond = 100_000;
        using var json = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Crms", "Harbor", "harbor.profile.json"));
        Profile = OpenApiProfile.Load(json) with { BaseUrl = Sim.BaseUrl };

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Directory, "keys")));
        services.AddCrmSync(o => o.EnableScheduler = false)
            .UseSqlite($"Data Source={Path.Combine(Directory, "crmsync.db")}")
            .AddOpenApiCrm(Profile, o =>
            {
                o.BurstLimit = 100_000;
                o.MaxRetryAttempts = 0;
                provider?.Invoke(o);
            })
            .AddAlertSink<RecordingAlertSink>();
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    public HarborSimulator Sim { get; }

    public OpenApiProfile Profile { get; }

    public ServiceProvider Services { get; }

    public string Directory { get; }

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public OpenApiCrmProvider Provider => (OpenApiCrmProvider)Services.GetServices<ICrmProvider>().Single(p => p is OpenApiCrmProvider);

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static HarborHarness Create(Action<OpenApiCrmOptions>? provider = null) => new(provider);

    /// <summary>A connection's context as the SDK hands it to the provider, with the demo account's API key.</summary>
    public CrmProviderContext Context(string? apiKey = null) =>
        new(Tenant, Guid.NewGuid(), null, new ConnectionSettings(), new StaticCredentials(new CrmCredentials { ApiKey = apiKey ?? Sim.ApiKey }));

    /// <summary>Connects the demo account with its API key and skips the initial import.</summary>
    public async Task<CrmConnection> ConnectAsync()
    {
        var connection = await Client.ConnectAsync(Tenant, "harbor", new CrmCredentials { ApiKey = Sim.ApiKey }, "Harbor demo");
        await Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection;
    }

    public static CrmRecordWrite Person(string externalId, string lastName, string? email = null, string? phone = null) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = externalId,
        ExternalIdField = "externalRef",
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = email,
            [CrmFieldNames.Phone] = phone,
        },
    };

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
