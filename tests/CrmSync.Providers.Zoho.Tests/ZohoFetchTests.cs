using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The fetch direction end to end: CrmImportClient, SQLite file, Zoho provider, simulator over HTTP, fake clock.</summary>
public sealed class ZohoFetchTests
{
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly CrmFetchFilter LostDeals = new() { ObjectType = CrmFetchObjectType.Deal };
    private static readonly ConnectionSettings FetchSettings = new() { Direction = SyncDirection.Fetch };

    [Fact]
    public async Task StartImportAsync_StageAndOwnerFilter_ImportsOnlyMatchingLostDealsWithTheirAccounts()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var acme = h.Sim.SeedAccount("Acme Ltd", "https://www.acme.example");
        var match = h.Sim.SeedDeal("Acme renewal", "Closed-Lost to Competition", ZohoSimulator.SellerUser, acme, 1200m, "Web Download");
        h.Sim.SeedDeal("Other owner", "Closed-Lost to Competition");
        h.Sim.SeedDeal("Other lost stage", "Closed Lost", ZohoSimulator.SellerUser);
        h.Sim.SeedDeal("Open", "Negotiation/Review", ZohoSimulator.SellerUser);
        var filter = LostDeals with { Stages = ["closed-lost to competition"], OwnerIds = [ZohoSimulator.SellerUser] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant)).Record;
        Assert.Equal(match, record.CrmId);
        Assert.Equal("Acme renewal", record.Name);
        Assert.Equal("Closed-Lost to Competition", record.Stage);
        Assert.Equal(CrmDealStatus.ClosedLost, record.DealStatus);
        Assert.Equal(ZohoSimulator.SellerUser, record.OwnerId);
        Assert.Equal("Web Download", record.Source);
        Assert.Equal("1200", record.Fields["Amount"]);
        Assert.Equal(new CrmFetchedCompany { CrmId = acme, Name = "Acme Ltd", Domain = "acme.example", Fields = record.Company!.Fields }, record.Company);
        Assert.Equal(h.Time.GetUtcNow(), record.ModifiedAt);
    }

    [Fact]
    public async Task PreviewImportAsync_ClosedWonOptedIn_CountsExactlyAndImportsWonAndLostButNotOpen()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        h.Sim.SeedDeal("Lost", "Closed Lost");
        h.Sim.SeedDeal("Won", "Closed Won");
        h.Sim.SeedDeal("Open", "Qualification");
        var both = LostDeals with { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] };

        // Act
        var lostOnly = await Imports(h).PreviewImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);
        var preview = await Imports(h).PreviewImportAsync(Manager, ZohoHarness.Tenant, connection.Id, both);
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, both);

        // Assert
        Assert.Equal(1, lostOnly.Count);
        Assert.True(lostOnly.IsExact);
        Assert.Equal(2, preview.Count);
        Assert.Equal(["Lost", "Won"], preview.Sample.Select(r => r.Name).Order());
        Assert.Equal(2, run.Added);
        var statuses = (await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant)).Select(i => i.Record.DealStatus).Order();
        Assert.Equal([CrmDealStatus.ClosedWon, CrmDealStatus.ClosedLost], statuses);
    }

    [Fact]
    public async Task StartImportAsync_CreatedRange_ImportsDealsCreatedInsideIt()
    {
        // Arrange: one lost deal a day, from 23 to 27 November.
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        for (var day = 0; day < 5; day++)
        {
            h.Sim.SeedDeal($"Deal {23 + day}", "Closed Lost");
            h.Time.Advance(TimeSpan.FromDays(1));
        }

        var filter = LostDeals with
        {
            CreatedFrom = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero),
            CreatedBefore = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
        };

        // Act
        var preview = await Imports(h).PreviewImportAsync(Manager, ZohoHarness.Tenant, connection.Id, filter);
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(2, preview.Count);
        Assert.Equal(2, run.Added);
        var names = (await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant)).Select(i => i.Record.Name).Order();
        Assert.Equal(["Deal 24", "Deal 25"], names);
    }

    [Fact]
    public async Task StartImportAsync_LeadsByStatus_ImportsMatchingLeadsWithSourceAndCompany()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var lead = h.Sim.SeedLead("Grace", "Hopper", "Navy Labs", "Contacted", "Partner Portal", "grace@navy.example");
        h.Sim.SeedLead("Alan", "Turing", "Bletchley", "Not Contacted");

        // Act
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Lead, Stages = ["contacted"] });

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant)).Record;
        Assert.Equal(lead, record.CrmId);
        Assert.Equal(CrmFetchObjectType.Lead, record.ObjectType);
        Assert.Equal("Grace Hopper", record.Name);
        Assert.Equal("Contacted", record.Stage);
        Assert.Equal("Partner Portal", record.Source);
        Assert.Equal("Navy Labs", record.Fields[CrmFieldNames.Company]);
        Assert.Equal("grace@navy.example", record.Fields[CrmFieldNames.Email]);
        Assert.Null(record.DealStatus);
    }

    [Fact]
    public async Task StartImportAsync_Contacts_ImportsContactsWithTheirAccounts()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var acme = h.Sim.SeedAccount("Acme Ltd", "acme.example");
        h.Sim.SeedContact("Ada", "Lovelace", "ada@acme.example", accountId: acme);

        // Act
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact });

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant)).Record;
        Assert.Equal("Ada", record.Fields[CrmFieldNames.FirstName]);
        Assert.Equal("Lovelace", record.Fields[CrmFieldNames.LastName]);
        Assert.Equal("Acme Ltd", record.Company?.Name);
        Assert.Equal("acme.example", record.Company?.Domain);
    }

    [Fact]
    public async Task StartImportAsync_SeveralPages_ReadsEveryDealExactlyOnce()
    {
        // Arrange: 35 lost deals in pages of 10.
        await using var h = ZohoHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var acme = h.Sim.SeedAccount("Acme Ltd");
        var ids = SeedLostDeals(h, 35, acme);

        // Act
        var run = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Fetched);
        Assert.Equal(35, run.Added);
        var items = await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant, new CrmInboxQuery { Limit = 100 });
        Assert.Equal(ids.Order(StringComparer.Ordinal), items.Select(i => i.Record.CrmId).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal("Acme Ltd", i.Record.Company?.Name));
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_ReadsOnlyDealsChangedSinceTheFirst()
    {
        // Arrange
        await using var h = ZohoHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var ids = SeedLostDeals(h, 25);
        var first = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromDays(3));
        h.Sim.Modify("Deals", ids[2], d => d["Deal_Name"] = "Deal 3 (renamed)");
        h.Sim.Modify("Deals", ids[16], d => d["Amount"] = 5000m);

        // Act
        var second = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(25, first.Added);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(h.Time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(3, second.Fetched); // the two changed deals and the one stamped exactly at the mark
        Assert.Equal(2, second.Updated);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, second.Added);
        var renamed = (await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == ids[2]);
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_NothingChangedSinceTheLastImport_EndsOnA304WithoutQuerying()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: FetchSettings);
        SeedLostDeals(h, 5);
        await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var requestsBefore = h.Sim.RequestCount;

        // Act
        var second = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, second.Status);
        Assert.Equal(0, second.Fetched);
        Assert.Equal(1, h.Sim.RequestCount - requestsBefore);
    }

    [Fact]
    public async Task StartImportAsync_429OnThirdPage_ParksAndResumesAtTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: pages of 10 over 35 deals, each page a COQL query and an accounts read; Zoho allows four requests
        // per two minutes, so the third page's query gets 429 TOO_MANY_REQUESTS. CrmSync pauses two minutes after it.
        await using var h = ZohoHarness.Create(provider: o => o.ThrottleDelay = TimeSpan.FromMinutes(2), sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(settings: FetchSettings);
        var acme = h.Sim.SeedAccount("Acme Ltd");
        SeedLostDeals(h, 35, acme);
        h.Sim.SetBurstLimit(4, TimeSpan.FromMinutes(2));

        // Act
        var parked = await Imports(h).StartImportAsync(Manager, ZohoHarness.Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await Imports(h).ResumeDueImportsAsync();
        var done = await Imports(h).GetImportRunAsync(Manager, ZohoHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(20, parked.Added);
        Assert.NotNull(parked.Cursor);
        Assert.Contains("TOO_MANY_REQUESTS", parked.Error, StringComparison.Ordinal);
        Assert.Equal(1, resumed);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        Assert.Equal(1, done.Waits);
        var ids = (await Imports(h).GetInboxAsync(Manager, ZohoHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(35, ids.Distinct().Count());
        Assert.Equal(35, ids.Count);
    }

    [Fact]
    public async Task FetchPageAsync_SameCursorTwiceAndARecordChangedMeanwhile_ReturnsTheSamePageAndTheChangedRecordLast()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h, settings: FetchSettings);
        var ids = SeedLostDeals(h, 7);
        var first = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, null, 3));
        h.Sim.Modify("Deals", ids[0], d => d["Deal_Name"] = "Deal 1 (renamed)");

        // Act
        var second = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 3));
        var again = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 3));
        var last = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, second.NextCursor, 3));

        // Assert
        Assert.Equal(ids[..3], first.Records.Select(r => r.CrmId));
        Assert.Equal(ids[3..6], second.Records.Select(r => r.CrmId));
        Assert.Equal(second.Records.Select(r => (r.CrmId, r.ModifiedAt)), again.Records.Select(r => (r.CrmId, r.ModifiedAt)));
        Assert.Equal(second.NextCursor, again.NextCursor);
        Assert.Equal([ids[6], ids[0]], last.Records.Select(r => r.CrmId));
        Assert.Null(last.NextCursor);
    }

    private static CrmImportClient Imports(ZohoHarness h) => h.Services.GetRequiredService<CrmImportClient>();

    /// <summary>Seeds lost deals one minute apart, so each has its own modified stamp.</summary>
    private static List<string> SeedLostDeals(ZohoHarness h, int count, string? accountId = null)
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(h.Sim.SeedDeal($"Deal {i}", "Closed Lost", accountId: accountId));
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return ids;
    }
}
