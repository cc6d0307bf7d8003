using System.Collections.Concurrent;
using CrmSync.Sdk;
using CrmSync.Sdk.PostgreSql;
using CrmSync.Sdk.Storage;
using CrmSync.Sdk.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CrmSync.Sdk.PostgreSql.Tests;

/// <summary>The import inbox end to end on PostgreSQL: one or more host instances sharing a schema, the in-memory CRM and the host's sink.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportStoreTests(PostgresServer server) : IDisposable
{
    private const string Tenant = "tenant-a";
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly CrmImportActor Admin = CrmImportActor.Create("ada-admin", "Admin");
    private static readonly CrmImportActor Member = CrmImportActor.Create("max-member", "member");
    private static readonly CrmFetchFilter LostDeals = new() { ObjectType = CrmFetchObjectType.Deal };

    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "crmsync-pg-keys-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ServiceProvider> _instances = [];
    private readonly RecordingImportSink _sink = new();
    private InMemoryCrmProvider? _crm;

    /// <summary>Gets the CRM every instance of the test talks to.</summary>
    private InMemoryCrmProvider Crm => _crm ??= new InMemoryCrmProvider(timeProvider: _time);

    private static CrmFetchedRecord Deal(int n) => new()
    {
        ObjectType = CrmFetchObjectType.Deal,
        CrmId = $"deal-{n:D4}",
        Name = $"Deal {n}",
        Stage = "closedlost",
        DealStatus = CrmDealStatus.ClosedLost,
        OwnerId = "owner-1",
        CreatedAt = new DateTimeOffset(2026, 10, 1, 9, 0, 0, TimeSpan.Zero),
        ModifiedAt = T0.AddMinutes(n),
        Fields = new Dictionary<string, string?> { ["amount"] = (n * 100).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Company = new CrmFetchedCompany { CrmId = $"co-{n % 7}", Name = $"Company {n % 7}" },
    };

    private static IEnumerable<CrmFetchedRecord> Deals(int count) => Enumerable.Range(1, count).Select(Deal);

    private static IReadOnlyList<string> CrmIds(int count) => Enumerable.Range(1, count).Select(n => $"deal-{n:D4}").ToList();

    /// <summary>One host instance: its own container, sharing the PostgreSQL schema, the keys, the CRM and the sink.</summary>
    private ServiceProvider Instance(Action<CrmSyncOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(_keys)).SetApplicationName("crmsync-tests");
        services.AddCrmSync(o =>
        {
            o.EnableScheduler = false;
            configure?.Invoke(o);
        })
            .UsePostgreSql(server.ConnectionString, _schema)
            .AddInMemoryProvider(Crm)
            .AddImportSink(_sink);
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _instances.Add(sp);
        return sp;
    }

    private static CrmImportClient Imports(ServiceProvider sp) => sp.GetRequiredService<CrmImportClient>();

    private async Task<Guid> ConnectFetchAsync(ServiceProvider sp, string tenant = Tenant)
    {
        var client = sp.GetRequiredService<CrmSyncClient>();
        var connection = await client.ConnectAsync(tenant, Crm.Name, Crm.IssueTokens(), "Acme", settings: new ConnectionSettings { Direction = SyncDirection.Fetch });
        await client.ChooseStartingPointAsync(tenant, connection.Id, StartingPoint.Skip);
        return connection.Id;
    }

    private static async Task<List<CrmInboxItem>> AllItemsAsync(CrmImportClient imports, string tenant, CrmInboxItemState? state = null)
    {
        var all = new List<CrmInboxItem>();
        var query = new CrmInboxQuery { State = state, Limit = 50 };
        while (true)
        {
            var page = await imports.GetInboxAsync(Manager, tenant, query);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            query = query with { AfterId = page[^1].Id };
        }
    }

    [Fact]
    public void UsePostgreSql_Registration_ResolvesTheImportStoreAsTheSameStore()
    {
        // Arrange
        var sp = Instance();

        // Act
        var imports = sp.GetRequiredService<ICrmImportStore>();

        // Assert
        Assert.IsType<PostgreSqlCrmSyncStore>(imports);
        Assert.Same(sp.GetRequiredService<ICrmSyncStore>(), imports);
    }

    [Fact]
    public async Task StartImportAsync_SeveralPages_ReadsEveryRecordExactlyOnce()
    {
        // Arrange: 35 deals, pages of 10 → 4 page requests.
        var sp = Instance(o => o.Import.PageSize = 50);
        Crm.FetchPageSize = 10;
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(35));

        // Act
        var run = await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Added);
        Assert.Null(run.Cursor);
        Assert.Equal(T0.AddMinutes(35), run.HighWaterMark);
        Assert.Equal(4, Crm.FetchRequests.Select(r => r.Cursor ?? "<first>").Distinct().Count());
        var items = await AllItemsAsync(Imports(sp), Tenant);
        Assert.Equal(CrmIds(35), items.Select(i => i.Record.CrmId).Order());
        Assert.All(items, i => Assert.Equal(run.Id, i.RunId));
        Assert.Equal("Company 1", items.Single(i => i.Record.CrmId == "deal-0001").Record.Company?.Name);
        var runs = await Imports(sp).GetImportRunsAsync(Manager, Tenant, connection);
        Assert.Equal(run.Id, Assert.Single(runs).Id);
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_FetchesOnlyChangedRecordsAndUpdatesThemInPlace()
    {
        // Arrange
        var sp = Instance();
        Crm.FetchPageSize = 10;
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(25));
        var first = await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);
        var before = await AllItemsAsync(Imports(sp), Tenant);
        _time.Advance(TimeSpan.FromDays(60));
        Crm.Modify(CrmFetchObjectType.Deal, "deal-0003", d => d with { Name = "Deal 3 (renamed)" });
        Crm.Modify(CrmFetchObjectType.Deal, "deal-0017");
        var requestsBefore = Crm.FetchCallCount;

        // Act
        var preview = await Imports(sp).PreviewImportAsync(Manager, Tenant, connection, LostDeals);
        var second = await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);

        // Assert
        Assert.Equal(first.HighWaterMark, preview.IncrementalSince);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(_time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(3, second.Fetched);
        Assert.Equal(2, second.Updated);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, second.Added);
        Assert.All(Crm.FetchRequests.Skip(requestsBefore), r => Assert.Equal(first.HighWaterMark, r.Filter.ModifiedSince));
        var after = await AllItemsAsync(Imports(sp), Tenant);
        Assert.Equal(before.Select(i => i.Id), after.Select(i => i.Id));
        var renamed = after.Single(i => i.Record.CrmId == "deal-0003");
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
        Assert.Equal(second.Id, renamed.RunId);
        Assert.Equal(before.Single(i => i.Record.CrmId == "deal-0003").FirstSeenAt, renamed.FirstSeenAt);
    }

    [Fact]
    public async Task ResumeDueImportsAsync_429OnThirdPage_ResumesTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: pages of 10 over 35 deals; the third page request is throttled for two minutes.
        var sp = Instance(o => o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(10));
        Crm.FetchPageSize = 10;
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(35));
        Crm.RateLimitFetchPage(3, TimeSpan.FromMinutes(2));

        // Act
        var parked = await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);
        var tooEarly = await Imports(sp).ResumeDueImportsAsync();
        _time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await Imports(sp).ResumeDueImportsAsync();
        var done = await Imports(sp).GetImportRunAsync(Manager, Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(20, parked.Added);
        Assert.NotNull(parked.Cursor);
        Assert.Equal(_time.GetUtcNow(), parked.ResumeAt);
        Assert.Equal(0, tooEarly);
        Assert.Equal(1, resumed);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        var cursors = Crm.FetchRequests.Select(r => r.Cursor).ToList();
        Assert.Equal(5, cursors.Count);
        Assert.Equal(parked.Cursor, cursors[3]);
        Assert.Equal(cursors[2], cursors[3]);
        var items = await AllItemsAsync(Imports(sp), Tenant);
        Assert.Equal(CrmIds(35), items.Select(i => i.Record.CrmId).Order());
    }

    [Fact]
    public async Task ApproveAsync_ByRole_MemberIsDeniedAndManagerDeliversOnlyTheApprovedItems()
    {
        // Arrange
        var sp = Instance();
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(4));
        await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);
        var items = await AllItemsAsync(Imports(sp), Tenant);

        // Act
        var denied = await Assert.ThrowsAsync<CrmAccessDeniedException>(() => Imports(sp).ApproveAsync(Member, Tenant, [items[0].Id]));
        var countsAfterDenial = await Imports(sp).CountInboxAsync(Manager, Tenant);
        var result = await Imports(sp).ApproveAsync(Manager, Tenant, [items[0].Id, items[2].Id]);

        // Assert
        Assert.Equal("max-member", denied.UserId);
        Assert.Equal(new CrmInboxCounts(4, 0, 0, 0), countsAfterDenial);
        Assert.Equal(new CrmInboxDecisionResult(2, 2, null), result);
        Assert.Equal(["deal-0001", "deal-0003"], _sink.Records.Select(r => r.Record.CrmId));
        Assert.All(_sink.Records, r => Assert.Equal("mia-manager", r.ApprovedBy));
        Assert.All(_sink.Records, r => Assert.False(r.IsUpdate));
        Assert.Equal(new CrmInboxCounts(2, 2, 0, 0), await Imports(sp).CountInboxAsync(Manager, Tenant));
        Assert.All(await AllItemsAsync(Imports(sp), Tenant, CrmInboxItemState.Approved), i => Assert.NotNull(i.DeliveredAt));
    }

    [Fact]
    public async Task DeliverApprovedAsync_SinkFailedOnApproval_RetriesTheSameItems()
    {
        // Arrange
        _sink.FailNext = 1;
        var sp = Instance();
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(3));
        await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);

        // Act
        var failed = await Imports(sp).ApproveAllAsync(Manager, Tenant);
        var countsAfterFailure = await Imports(sp).CountInboxAsync(Manager, Tenant);
        var retried = await Imports(sp).DeliverApprovedAsync(Tenant);

        // Assert
        Assert.Equal(3, failed.Decided);
        Assert.Contains("host database is down", failed.DeliveryError, StringComparison.Ordinal);
        Assert.Equal(new CrmInboxCounts(0, 3, 0, 3), countsAfterFailure);
        Assert.Equal(3, retried.Delivered);
        Assert.Equal(CrmIds(3), _sink.Records.Select(r => r.Record.CrmId).Order());
    }

    [Fact]
    public async Task SaveImportPageAsync_PageFailsMidway_StoresNeitherItsItemsNorTheCursor()
    {
        // Arrange: the second record of the page cannot be stored (PostgreSQL text refuses NUL characters).
        var sp = Instance();
        var connection = await ConnectFetchAsync(sp);
        var store = sp.GetRequiredService<ICrmImportStore>();
        var run = new CrmImportRun
        {
            Id = Guid.NewGuid(),
            TenantId = Tenant,
            ConnectionId = connection,
            Filter = LostDeals,
            ScopeKey = LostDeals.GetScopeKey(),
            Status = CrmImportRunStatus.Running,
            StartedAt = _time.GetUtcNow(),
        };
        await store.InsertImportRunAsync(run);
        var (afterFirst, _) = await store.SaveImportPageAsync(Tenant, run.Id, [Deal(1)], "cursor-1", _time.GetUtcNow());

        // Act
        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveImportPageAsync(Tenant, run.Id, [Deal(2), Deal(3) with { CrmId = "deal-\0" }], "cursor-2", _time.GetUtcNow()));
        var stored = await store.GetImportRunAsync(Tenant, run.Id);

        // Assert
        Assert.Equal("cursor-1", afterFirst.Cursor);
        Assert.Equal("cursor-1", stored?.Cursor);
        Assert.Equal(1, stored?.Pages);
        Assert.Equal(1, stored?.Added);
        Assert.Equal(T0.AddMinutes(1), stored?.HighWaterMark);
        var items = await store.GetInboxAsync(Tenant, new CrmInboxQuery { State = null, Limit = 10 });
        Assert.Equal("deal-0001", Assert.Single(items).Record.CrmId);
    }

    [Fact]
    public async Task StartImportAsync_TwoInstancesImportTheSameConnectionAtOnce_EachRecordIsOneInboxItem()
    {
        // Arrange
        var first = Instance();
        var second = Instance();
        Crm.FetchPageSize = 20;
        var connection = await ConnectFetchAsync(first);
        Crm.Seed(Deals(300));

        // Act
        var runs = await Task.WhenAll(
            Imports(first).StartImportAsync(Manager, Tenant, connection, LostDeals, incremental: false),
            Imports(second).StartImportAsync(Admin, Tenant, connection, LostDeals, incremental: false));

        // Assert
        Assert.All(runs, r => Assert.Equal(CrmImportRunStatus.Completed, r.Status));
        Assert.All(runs, r => Assert.Equal(300, r.Added + r.Unchanged));
        Assert.Equal(300, runs.Sum(r => r.Added));
        var items = await AllItemsAsync(Imports(second), Tenant);
        Assert.Equal(CrmIds(300), items.Select(i => i.Record.CrmId).Order());
    }

    [Fact]
    public async Task ApproveAndRejectAsync_TwoInstancesDecideAtOnce_EachItemIsDecidedOnce()
    {
        // Arrange
        var first = Instance();
        var second = Instance();
        var connection = await ConnectFetchAsync(first);
        Crm.Seed(Deals(200));
        await Imports(first).StartImportAsync(Manager, Tenant, connection, LostDeals);
        var ids = (await AllItemsAsync(Imports(first), Tenant)).Select(i => i.Id).ToList();

        // Act: overlapping approvals from both instances, and a reject-all racing them.
        var results = await Task.WhenAll(
            Imports(first).ApproveAsync(Manager, Tenant, ids.Take(120).ToList()),
            Imports(second).ApproveAsync(Admin, Tenant, ids.Skip(60).Take(80).ToList()),
            Imports(second).RejectAllAsync(Admin, Tenant));
        var approved = await AllItemsAsync(Imports(first), Tenant, CrmInboxItemState.Approved);
        var rejected = await AllItemsAsync(Imports(first), Tenant, CrmInboxItemState.Rejected);

        // Assert
        Assert.Equal(200, results.Sum(r => r.Decided));
        Assert.Equal(200, approved.Count + rejected.Count);
        Assert.Equal(approved.Count, results[0].Decided + results[1].Decided);
        Assert.Equal(approved.Select(i => i.Id).Order(), _sink.Records.Select(r => r.ItemId).Distinct().Order());
        Assert.Empty(_sink.Records.Select(r => r.ItemId).Intersect(rejected.Select(i => i.Id)));
        Assert.Equal(0, (await Imports(second).CountInboxAsync(Manager, Tenant)).AwaitingDelivery);
    }

    [Fact]
    public async Task ResumeDueImportsAsync_TwoInstancesAtOnce_ResumeTheRunOnceBetweenThem()
    {
        // Arrange
        var first = Instance(o => o.Import.MaxInlineRetryWait = TimeSpan.Zero);
        var second = Instance(o => o.Import.MaxInlineRetryWait = TimeSpan.Zero);
        Crm.FetchPageSize = 10;
        var connection = await ConnectFetchAsync(first);
        Crm.Seed(Deals(50));
        Crm.RateLimitFetchPage(2, TimeSpan.FromMinutes(1));
        var parked = await Imports(first).StartImportAsync(Manager, Tenant, connection, LostDeals);
        _time.Advance(TimeSpan.FromMinutes(1));

        // Act
        var resumed = await Task.WhenAll(Imports(first).ResumeDueImportsAsync(), Imports(second).ResumeDueImportsAsync());
        var done = await Imports(second).GetImportRunAsync(Manager, Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(1, resumed.Sum());
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(50, done.Fetched);
        Assert.Equal(50, done.Added);
        Assert.Equal(6, Crm.FetchCallCount);
    }

    [Fact]
    public async Task LeadSourceClient_FailedSyncAcrossInstances_IsDueForRetryOnceTheDelayPassesAndTenantScoped()
    {
        // Arrange
        var first = Instance();
        var second = Instance();
        var leadSources = first.GetRequiredService<CrmLeadSourceClient>();
        var created = await leadSources.CreateAsync(Manager, Tenant, "Acme Leads", "AcmeLeads-2026");
        await leadSources.ReceiveLeadAsync(Tenant, created.Id, "acmeleads-2026");
        await leadSources.ReceiveLeadAsync(Tenant, created.Id, "AcmeLeads-2026");
        await leadSources.CompleteSetupAsync(Admin, Tenant, created.Id);

        // Act
        var failed = await second.GetRequiredService<CrmLeadSourceClient>().ReportSyncAsync(Tenant, created.Id, succeeded: false, "503 from the partner API");
        var dueAtOnce = await leadSources.GetDueRetriesAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        var dueAfterDelay = await second.GetRequiredService<CrmLeadSourceClient>().GetDueRetriesAsync();
        var recovered = await leadSources.ReportSyncAsync(Tenant, created.Id, succeeded: true);

        // Assert
        Assert.Equal(LeadSourceStatus.FailedSync, failed.Integration.Status);
        Assert.Empty(dueAtOnce);
        Assert.Equal(created.Id, Assert.Single(dueAfterDelay).Id);
        Assert.Equal(LeadSourceStatus.Active, recovered.Integration.Status);
        Assert.Empty(await leadSources.GetDueRetriesAsync());
        var stored = await second.GetRequiredService<CrmLeadSourceClient>().GetAsync(Tenant, created.Id);
        Assert.Equal("ada-admin", stored.Setup.CompletedBy);
        Assert.Equal("acmeleads-2026", stored.LastMismatch?.Received);
        Assert.Equal(2, stored.LeadsReceived);
        Assert.Single(await leadSources.GetAllAsync(Tenant));
        Assert.Empty(await leadSources.GetAllAsync("tenant-b"));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => leadSources.GetAsync("tenant-b", created.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => leadSources.ReportSyncAsync("tenant-b", created.Id, succeeded: true));
    }

    [Fact]
    public async Task InitializeAsync_DatabaseAtSchemaVersion1_MigratesToVersion2AndImports()
    {
        // Arrange: a database as the previous release left it (the import tables do not exist yet).
        await using (var old = new PostgreSqlCrmSyncStore(server.ConnectionString, _schema))
        {
            await old.InitializeAsync();
        }

        await using (var db = new NpgsqlConnection(server.ConnectionString))
        {
            await db.OpenAsync();
            await using var downgrade = new NpgsqlCommand($"""
                DROP TABLE {_schema}.import_runs, {_schema}.inbox, {_schema}.lead_sources, {_schema}.timeline;
                ALTER TABLE {_schema}.runs DROP COLUMN running, DROP COLUMN lease_token; ALTER TABLE {_schema}.outbox DROP COLUMN claim_token, DROP COLUMN held_until;
                ALTER TABLE {_schema}.connections DROP COLUMN lease_token, DROP COLUMN lease_incarnation;
                ALTER TABLE {_schema}.alerts DROP COLUMN state, DROP COLUMN closed_at, DROP COLUMN acknowledged_by, DROP COLUMN recipients;
                DELETE FROM {_schema}.schema_version WHERE version >= 2
                """, db);
            await downgrade.ExecuteNonQueryAsync();
        }

        var sp = Instance();
        var connection = await ConnectFetchAsync(sp);
        Crm.Seed(Deals(3));

        // Act
        var run = await Imports(sp).StartImportAsync(Manager, Tenant, connection, LostDeals);

        // Assert
        Assert.Equal(3, run.Added);
        await using var check = new NpgsqlConnection(server.ConnectionString);
        await check.OpenAsync();
        await using var version = new NpgsqlCommand($"SELECT MAX(version) FROM {_schema}.schema_version", check);
        Assert.Equal(PostgreSqlSchema.LatestVersion, Convert.ToInt32(await version.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7, PostgreSqlSchema.LatestVersion);
    }

    public void Dispose()
    {
        foreach (var sp in _instances)
        {
            sp.Dispose();
        }
    }
}

internal sealed class RecordingImportSink : ICrmImportSink
{
    public ConcurrentQueue<CrmImportDelivery> Deliveries { get; } = new();

    public int FailNext { get; set; }

    public IReadOnlyList<CrmImportedRecord> Records => Deliveries.SelectMany(d => d.Records).ToList();

    public Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (Deliveries)
        {
            if (FailNext > 0)
            {
                FailNext--;
                throw new InvalidOperationException("The host database is down.");
            }

            Deliveries.Enqueue(delivery);
        }

        return Task.CompletedTask;
    }
}
