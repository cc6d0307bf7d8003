using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.Sqlite.Tests;

public class CredentialAndHostingTests
{
    [Fact]
    public async Task CredentialsGetAsync_Expired_RefreshesOnceFor20ConcurrentCalls()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Time.Advance(TimeSpan.FromMinutes(31));
        var stored = await h.Store.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        var context = h.Services.GetRequiredService<CrmContextFactory>().Create(stored!, h.Provider);

        // Act
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => context.Credentials.GetAsync())));

        // Assert
        Assert.Equal(1, h.Provider.RefreshCount);
        Assert.Single(all.Select(c => c.AccessToken).Distinct());
        Assert.Contains(await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id), e => e.EventType == "auth_refresh");
    }

    [Fact]
    public async Task CredentialsRefreshAsync_ConcurrentRejections_RefreshOnce()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var stored = await h.Store.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        var contexts = Enumerable.Range(0, 20).Select(_ => h.Services.GetRequiredService<CrmContextFactory>().Create(stored!, h.Provider)).ToList();
        var rejected = await contexts[0].Credentials.GetAsync();

        // Act: twenty callers got a 401 for the same token at once.
        await Task.WhenAll(contexts.Select(c => Task.Run(() => c.Credentials.RefreshAsync(rejected))));

        // Assert
        Assert.Equal(1, h.Provider.RefreshCount);
    }

    [Fact]
    public async Task SyncNowAsync_RefreshRefusedAsRevoked_EndsRevoked()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Time.Advance(TimeSpan.FromHours(1));
        h.Provider.Revoke("invalid_grant: refresh token revoked");

        // Act
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Revoked, view.Status.Status);
        Assert.Single(h.Alerts.Received);
    }

    [Fact]
    public async Task Scheduler_TimerElapses_SyncsDueConnectionsWithoutSleeping()
    {
        // Arrange
        var directory = Path.Combine(Path.GetTempPath(), "crmsync-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var provider = new InMemoryCrmProvider(timeProvider: time);
        var synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new RecordingObserver { OnEvent = p => { if (p.Stage == RecordSyncStage.Succeeded) { synced.TrySetResult(); } return Task.CompletedTask; } };
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddCrmSync(o => o.SchedulerPollInterval = TimeSpan.FromSeconds(15))
            .UseSqlite($"Data Source={Path.Combine(directory, "crmsync.db")}")
            .AddInMemoryProvider(provider);
        builder.Services.AddSingleton<ICrmSyncProgressObserver>(observer);
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<CrmSyncClient>();
        var connection = await client.ConnectAsync("t", "inmemory", provider.IssueTokens());
        await client.ChooseStartingPointAsync("t", connection.Id, StartingPoint.Skip);

        // Act
        await client.EnqueueAsync("t", SyncHarness.Contact("c1"));
        for (var i = 0; i < 200 && !synced.Task.IsCompleted; i++)
        {
            // Each advance releases the scheduler's Task.Delay; the loop ends as soon as a record synced.
            time.Advance(TimeSpan.FromSeconds(15));
            await Task.WhenAny(synced.Task, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System));
        }

        // Assert
        await synced.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        Assert.Single(provider.GetRecords(CrmObjectType.Contact));
        await host.StopAsync();
    }

    [Fact]
    public async Task AddCrmSync_InvalidOptions_FailsOnStartNamingTheOption()
    {
        // Arrange
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddCrmSync(o =>
        {
            o.AlertAfterConsecutiveFailures = 0;
            o.Status.AmberSuccessRate = 0.99;
            o.Status.GreenSuccessRate = 0.5;
        }).UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))}.db");
        using var host = builder.Build();

        // Act
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        // Assert
        Assert.Contains(ex.Failures, f => f.Contains("AlertAfterConsecutiveFailures", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("AmberSuccessRate", StringComparison.Ordinal));
    }

    [Fact]
    public void UseSqlite_MemoryDatabase_IsRejectedWithReason()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => new SqliteCrmSyncStore("Data Source=:memory:"));

        // Assert
        Assert.Contains("needs a file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_Twice_IsIdempotentAndRecordsVersion()
    {
        // Arrange
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db");
        var first = new SqliteCrmSyncStore($"Data Source={path}");
        var second = new SqliteCrmSyncStore($"Data Source={path}");

        // Act
        await first.InitializeAsync();
        await second.InitializeAsync();
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), MAX(version) FROM crmsync_schema";
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();

        // Assert
        Assert.Equal(SqliteSchema.LatestVersion, reader.GetInt32(0));
        Assert.Equal(SqliteSchema.LatestVersion, reader.GetInt32(1));
    }

    [Fact]
    public async Task PurgeAsync_OldProcessedItems_KeepsPendingAndFailed()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("ok"), SyncHarness.Contact("bad", lastName: null)]);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("later"));

        // Act
        h.Time.Advance(TimeSpan.FromDays(31));
        await h.Store.PurgeAsync(h.Time.GetUtcNow().AddDays(-30));
        var counts = await h.Store.GetOutcomeCountsAsync(SyncHarness.Tenant, connection.Id, DateTimeOffset.MinValue);

        // Assert
        Assert.Equal((0, 1, 1), (counts.Synced, counts.Failed, counts.Pending));
    }
}

public class ProviderRegistrationTests
{
    private sealed class FactoryMadeProvider(string name) : InMemoryCrmProviderWrapper(name);

    private class InMemoryCrmProviderWrapper(string name) : ICrmProvider
    {
        private readonly InMemoryCrmProvider _inner = new(name);

        public string Name => _inner.Name;

        public string DisplayName => _inner.DisplayName;

        public CrmProviderCapabilities Capabilities => _inner.Capabilities;

        public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default) => _inner.UpsertAsync(context, records, cancellationToken);

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) => _inner.GetUsersAsync(context, cancellationToken);

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => _inner.GetRecordLink(context, objectType, crmRecordId);
    }

    [Fact]
    public void AddProvider_TypeAlreadyRegisteredByFactory_IsStillAProviderOnce()
    {
        // Arrange: provider packages register their own factory for the concrete type first.
        var services = new ServiceCollection();
        services.AddSingleton(_ => new FactoryMadeProvider("factory-made"));
        var builder = services.AddCrmSync().UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))}.db");

        // Act
        builder.AddProvider<FactoryMadeProvider>();
        builder.AddProvider<FactoryMadeProvider>();
        using var sp = services.BuildServiceProvider();

        // Assert
        var provider = Assert.Single(sp.GetServices<ICrmProvider>());
        Assert.Equal("factory-made", provider.Name);
        Assert.Contains(sp.GetRequiredService<CrmSyncClient>().Providers, p => p.Name == "factory-made");
    }
}
