using System.Collections.Concurrent;
using CrmSync.Sdk;
using CrmSync.Sdk.Sqlite;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>A host-like setup on a real SQLite file: the provider instance plays the CRM and survives "restarts".</summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    public const string Tenant = "tenant-a";

    private SyncHarness(string directory, FakeTimeProvider time, InMemoryCrmProvider provider, Action<CrmSyncOptions>? configure, IHostRecordSource? source, ICrmImportSink? importSink = null, ICrmLeadSourceRetryHandler? leadSourceRetries = null)
    {
        ImportSink = importSink;
        LeadSourceRetries = leadSourceRetries;
        Directory = directory;
        Time = time;
        Provider = provider;
        Configure = configure;
        Source = source;
        Services = Build();
    }

    public string Directory { get; }

    public string DatabasePath => Path.Combine(Directory, "crmsync.db");

    public FakeTimeProvider Time { get; }

    public InMemoryCrmProvider Provider { get; }

    public RecordingAlertSink Alerts { get; } = new();

    public RecordingObserver Progress { get; } = new();

    public OwnerRecipients Recipients { get; } = new();

    public ServiceProvider Services { get; private set; }

    public CrmSyncClient Client => Services.GetRequiredService<CrmSyncClient>();

    public ICrmSyncStore Store => Services.GetRequiredService<ICrmSyncStore>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    private Action<CrmSyncOptions>? Configure { get; }

    private IHostRecordSource? Source { get; }

    private ICrmImportSink? ImportSink { get; }

    private ICrmLeadSourceRetryHandler? LeadSourceRetries { get; }

    public CrmImportClient Imports => Services.GetRequiredService<CrmImportClient>();

    public CrmLeadSourceClient LeadSources => Services.GetRequiredService<CrmLeadSourceClient>();

    public static SyncHarness Create(Action<CrmSyncOptions>? configure = null, CrmProviderCapabilities? capabilities = null, IHostRecordSource? source = null, ICrmImportSink? importSink = null, ICrmLeadSourceRetryHandler? leadSourceRetries = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        return new SyncHarness(directory, time, new InMemoryCrmProvider(capabilities: capabilities, timeProvider: time), configure, source, importSink, leadSourceRetries);
    }

    /// <summary>Simulates a process restart: a new container on the same database file, keys and CRM.</summary>
    public async Task RestartAsync()
    {
        await Services.DisposeAsync();
        Services = Build();
    }

    public async Task<CrmConnection> ConnectAsync(ConnectionSettings? settings = null, string tenant = Tenant, StartingPoint startingPoint = StartingPoint.Skip)
    {
        var connection = await Client.ConnectAsync(tenant, Provider.Name, Provider.IssueTokens(), "Acme (test)", settings: settings);
        await Client.ChooseStartingPointAsync(tenant, connection.Id, startingPoint);
        return await Client.GetConnectionAsync(tenant, connection.Id);
    }

    public static CrmChange Contact(string id, string? lastName = "Lovelace", string? email = null) => new(CrmObjectType.Contact, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = "Ada",
        [CrmFieldNames.LastName] = lastName,
        [CrmFieldNames.Email] = email ?? $"{id}@example.test",
    });

    public static CrmChange Activity(CrmObjectType type, string id, string contactId) => new(type, id, new Dictionary<string, string?>
    {
        [CrmFieldNames.Subject] = $"{type} {id}",
    })
    { ContactSourceId = contactId };

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
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

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = false);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Directory, "keys")));
        var builder = services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            o.BaseAddress = new Uri("https://app.example.test/");
            Configure?.Invoke(o);
        })
            .UseSqlite($"Data Source={DatabasePath}")
            .AddInMemoryProvider(Provider);
        services.AddSingleton<ICrmSyncAlertSink>(Alerts);
        services.AddSingleton<ICrmSyncAlertRecipients>(Recipients);
        services.AddSingleton<ICrmSyncProgressObserver>(Progress);
        if (Source is not null)
        {
            services.AddSingleton(Source);
        }

        if (ImportSink is not null)
        {
            builder.AddImportSink(ImportSink);
        }

        if (LeadSourceRetries is not null)
        {
            builder.AddLeadSourceRetryHandler(LeadSourceRetries);
        }

        _ = builder;
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

internal sealed class RecordingAlertSink : ICrmSyncAlertSink
{
    public ConcurrentQueue<CrmSyncAlert> Received { get; } = new();

    public Task SendAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        Received.Enqueue(alert);
        return Task.CompletedTask;
    }
}

internal sealed class OwnerRecipients : ICrmSyncAlertRecipients
{
    public Task<IReadOnlyList<CrmSyncAlertRecipient>> GetRecipientsAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CrmSyncAlertRecipient>>([new($"owner-of-{alert.TenantId}", "Olivia Owner", "owner@example.test")]);
}

internal sealed class RecordingObserver : ICrmSyncProgressObserver
{
    public ConcurrentQueue<RecordSyncProgress> Events { get; } = new();

    public Func<RecordSyncProgress, Task>? OnEvent { get; set; }

    public Task OnProgressAsync(RecordSyncProgress progress, CancellationToken cancellationToken = default)
    {
        Events.Enqueue(progress);
        return OnEvent?.Invoke(progress) ?? Task.CompletedTask;
    }
}

internal sealed class ListRecordSource(params CrmChange[] changes) : IHostRecordSource
{
    public async IAsyncEnumerable<CrmChange> GetExistingContactsAsync(string tenantId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var change in changes)
        {
            await Task.Yield();
            yield return change;
        }
    }
}
