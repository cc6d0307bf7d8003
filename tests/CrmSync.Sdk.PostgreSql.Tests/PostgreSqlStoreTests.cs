using CrmSync.Sdk;
using CrmSync.Sdk.PostgreSql;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.PostgreSql.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStoreTests(PostgresServer server) : IDisposable
{
    private const string Tenant = "tenant-a";
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "crmsync-pg-keys-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _instances = [];

    private static CrmChange Contact(string id) => new(CrmObjectType.Contact, id, new Dictionary<string, string?> { ["email"] = $"{id}@example.test", ["lastName"] = "Hopper" });

    /// <summary>One host instance: its own container, sharing the PostgreSQL store, the keys and the CRM.</summary>
    private CrmSyncClient Instance(InMemoryCrmProvider crm)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(_keys)).SetApplicationName("crmsync-tests");
        // Each instance stands for its own host, so each has its own instance id (hosts on one machine from one folder must set it).
        var instanceId = $"host-{_instances.Count + 1}";
        services.AddCrmSync(o => { o.EnableScheduler = false; o.InstanceId = instanceId; }).UsePostgreSql(server.ConnectionString, _schema).AddInMemoryProvider(crm);
        var sp = services.BuildServiceProvider();
        _instances.Add(sp);
        return sp.GetRequiredService<CrmSyncClient>();
    }

    private async Task<Guid> ConnectAsync(CrmSyncClient client, InMemoryCrmProvider crm)
    {
        var connection = await client.ConnectAsync(Tenant, crm.Name, crm.IssueTokens(), "Acme");
        await client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);
        return connection.Id;
    }

    [Fact]
    public async Task WorkflowStep_LeadSynced_TimelineAndTestContactWorkOnPostgreSql()
    {
        // Arrange
        var crm = new InMemoryCrmProvider(timeProvider: _time);
        var client = Instance(crm);
        var id = await ConnectAsync(client, crm);
        await client.EnqueueAsync(Tenant, Enumerable.Range(0, 50).Select(i => Contact($"c{i}")).ToList());
        var step = _instances[^1].GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var test = await client.SendTestContactAsync(Tenant, id);
        var result = await step.RunAsync(new CrmSyncStepRequest
        {
            TenantId = Tenant,
            LeadId = "lead-1",
            Lead = new Dictionary<string, string?> { ["name"] = "Grace Hopper", ["callStatus"] = "answered" },
            SyncFields = new Dictionary<string, string> { ["lead_status"] = "{{callStatus}}" },
        });

        // Assert
        Assert.True(test.Created);
        Assert.True(result.Succeeded);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Succeeded], (await step.GetTimelineAsync(Tenant, "lead-1")).Select(e => e.Stage));
        Assert.Equal(id, result.Timeline[1].ConnectionId);
        Assert.Equal(50, await _instances[^1].GetRequiredService<ICrmSyncStore>().CountPendingAsync(id));
    }

    [Fact]
    public async Task SyncNowAsync_TwoInstancesAtOnce_EachRecordPushedOnce()
    {
        // Arrange: the CRM is slow, so both instances try to run the same connection at the same time.
        var crm = new InMemoryCrmProvider(timeProvider: TimeProvider.System) { Latency = TimeSpan.FromMilliseconds(20) };
        var first = Instance(crm);
        var second = Instance(crm);
        var id = await ConnectAsync(first, crm);
        await first.EnqueueAsync(Tenant, Enumerable.Range(0, 300).Select(i => Contact($"c{i}")).ToList());

        // Act
        var runs = await Task.WhenAll(first.SyncNowAsync(Tenant, id), second.SyncNowAsync(Tenant, id));

        // Assert
        Assert.Single(runs, r => r.Ran);
        Assert.Contains(runs, r => !r.Ran && r.Message!.Contains("already running", StringComparison.Ordinal));
        Assert.Equal(300, runs.Sum(r => r.Synced));
        Assert.All(crm.GetRecords(CrmObjectType.Contact), r => Assert.Equal(1, r.WriteCount));
    }

    [Fact]
    public async Task SyncNowAsync_InstanceCrashedHoldingLease_OtherInstanceTakesOverAfterLeaseLapses()
    {
        // Arrange
        var crm = new InMemoryCrmProvider(timeProvider: _time);
        var survivor = Instance(crm);
        var id = await ConnectAsync(survivor, crm);
        await survivor.EnqueueAsync(Tenant, Contact("c1"));
        var store = _instances[0].GetRequiredService<ICrmSyncStore>();
        Assert.True(await store.TryAcquireLeaseAsync(id, new SyncLease("crashed", "p1", "t1"), _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5)));

        // Act
        var blocked = await survivor.SyncNowAsync(Tenant, id);
        _time.Advance(TimeSpan.FromMinutes(6));
        var taken = await survivor.SyncNowAsync(Tenant, id);

        // Assert
        Assert.False(blocked.Ran);
        Assert.Equal(1, taken.Synced);
    }

    [Fact]
    public async Task SyncNowAsync_ThreeFailures_OneAlertVisibleToEveryInstance()
    {
        // Arrange
        var crm = new InMemoryCrmProvider(timeProvider: _time);
        var a = Instance(crm);
        var b = Instance(crm);
        var id = await ConnectAsync(a, crm);
        await a.EnqueueAsync(Tenant, Contact("c1"));
        crm.FailNextCalls(4);

        // Act: the instances take turns.
        foreach (var client in new[] { a, b, a, b })
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await client.SyncNowAsync(Tenant, id);
        }

        // Assert
        Assert.Single(await b.GetAlertsAsync(Tenant));
        Assert.Equal(ConnectionStatus.Error, (await a.GetConnectionAsync(Tenant, id)).Status.Status);
        Assert.True(await b.NeedsAttentionAsync(Tenant));
    }

    [Fact]
    public async Task CompleteSignInAsync_StateIsOneTimeAcrossInstances()
    {
        // Arrange
        var crm = new InMemoryCrmProvider(timeProvider: _time);
        var a = Instance(crm);
        var b = Instance(crm);
        var connection = await a.CreateConnectionAsync(Tenant, crm.Name);
        var url = await a.BeginSignInAsync(Tenant, connection.Id, new Uri("https://app.example.test/cb"));
        var state = System.Web.HttpUtility.ParseQueryString(url.Query)["state"]!;

        // Act
        var connected = await b.CompleteSignInAsync(state, "code");

        // Assert
        Assert.True(connected.HasCredentials);
        await Assert.ThrowsAsync<CrmValidationException>(() => a.CompleteSignInAsync(state, "code"));
    }

    [Fact]
    public async Task InitializeAsync_ManyInstancesAtOnce_MigrateOnce()
    {
        // Arrange
        var stores = Enumerable.Range(0, 5).Select(_ => new PostgreSqlCrmSyncStore(server.ConnectionString, _schema)).ToList();

        // Act
        await Task.WhenAll(stores.Select(s => s.InitializeAsync()));

        // Assert
        Assert.Empty(await stores[0].GetConnectionsAsync("nobody"));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
    }

    [Fact]
    public void Constructor_UnsafeSchemaName_IsRejected()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlCrmSyncStore(server.ConnectionString, "x; DROP TABLE y"));

        // Assert
        Assert.Contains("plain identifier", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var sp in _instances)
        {
            sp.Dispose();
        }
    }
}
