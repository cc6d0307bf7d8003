using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>The fetch direction end to end: CrmImportClient, SQLite file, HubSpot provider, simulator over HTTP, fake clock.</summary>
public sealed class HubSpotFetchTests
{
    private const string Tenant = HubSpotHarness.Tenant;
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly CrmFetchFilter LostDeals = new() { ObjectType = CrmFetchObjectType.Deal };
    private static readonly ConnectionSettings FetchSettings = new() { Direction = SyncDirection.Fetch };

    [Fact]
    public async Task StartImportAsync_StageOwnerAndCreatedFilters_ImportsOnlyMatchingLostDealsWithTheirCompany()
    {
        // Arrange: a custom lost stage next to the default one; deals vary by stage, owner and creation day.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        h.Simulator.AddDealStage("lost-to-competitor", "Lost to competitor", isClosed: true);
        var acme = h.Simulator.SeedCompany("Acme Oy", "acme.example", properties: new Dictionary<string, string?> { ["city"] = "Helsinki" });
        var start = h.Time.GetUtcNow();
        var match = h.Simulator.SeedDeal("Acme renewal", "lost-to-competitor", ownerId: "1002", companyId: acme, amount: 1200m, properties: new Dictionary<string, string?> { ["closed_lost_reason"] = "Price" });
        h.Simulator.SeedDeal("Other owner", "lost-to-competitor", ownerId: "1001", companyId: acme);
        h.Simulator.SeedDeal("Default lost stage", "closedlost", ownerId: "1002");
        h.Simulator.SeedDeal("Created too late", "lost-to-competitor", ownerId: "1002", createdAt: start.AddDays(10));
        h.Simulator.SeedDeal("Open", "contractsent", ownerId: "1002");
        var filter = LostDeals with { Stages = ["LOST-TO-COMPETITOR"], OwnerIds = ["1002"], CreatedFrom = start, CreatedBefore = start.AddDays(1) };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, Tenant)).Record;
        Assert.Equal(match, record.CrmId);
        Assert.Equal("Acme renewal", record.Name);
        Assert.Equal("lost-to-competitor", record.Stage);
        Assert.Equal(CrmDealStatus.ClosedLost, record.DealStatus);
        Assert.Equal("1002", record.OwnerId);
        Assert.Equal("Lost to competitor", record.Fields[CrmFieldNames.Status]);
        Assert.Equal("Price", record.Fields["closed_lost_reason"]);
        Assert.Equal("1200", record.Fields["amount"]);
        Assert.Equal(acme, record.Company?.CrmId);
        Assert.Equal("Acme Oy", record.Company?.Name);
        Assert.Equal("acme.example", record.Company?.Domain);
        Assert.Equal("Helsinki", record.Company?.Fields["city"]);
        Assert.Equal(start, record.CreatedAt);
        Assert.Equal(h.Time.GetUtcNow(), record.ModifiedAt);
        Assert.True(filter.Matches(record));
    }

    [Fact]
    public async Task PreviewAndStartImportAsync_ClosedWonOptedIn_CountsAndImportsWonAndLostButNotOpenDeals()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        h.Simulator.SeedDeal("Lost");
        h.Simulator.SeedDeal("Won", "closedwon");
        h.Simulator.SeedDeal("Open", "qualifiedtobuy");
        var wonAndLost = LostDeals with { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] };

        // Act
        var lostOnly = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var preview = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, wonAndLost);
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, wonAndLost);

        // Assert
        Assert.Equal(1, lostOnly.Count);
        Assert.True(lostOnly.IsExact);
        Assert.Equal(2, preview.Count);
        Assert.Equal(["Lost", "Won"], preview.Sample.Select(r => r.Name).Order());
        Assert.Equal(2, run.Added);
        var statuses = (await Imports(h).GetInboxAsync(Manager, Tenant)).Select(i => i.Record.DealStatus).Order();
        Assert.Equal([CrmDealStatus.ClosedWon, CrmDealStatus.ClosedLost], statuses);
    }

    [Fact]
    public async Task StartImportAsync_LeadsOfOneOwner_ImportsLeadLifecycleContactsWithSourceAndCompany()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedCompany("Acme Oy", "acme.example");
        var lead = h.Simulator.SeedContact("ada@acme.example", "Ada", "Lovelace", leadStatus: "NEW", ownerId: "1002", companyId: acme, source: "PAID_SEARCH");
        h.Simulator.SeedContact("bob@acme.example", "Bob", "Other", ownerId: "1001");
        h.Simulator.SeedContact("cy@acme.example", "Cy", "Customer", lifecycleStage: "customer", ownerId: "1002");
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Lead, OwnerIds = ["1002"], Stages = ["new"] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, Tenant)).Record;
        Assert.Equal(CrmFetchObjectType.Lead, record.ObjectType);
        Assert.Equal(lead, record.CrmId);
        Assert.Equal("Ada Lovelace", record.Name);
        Assert.Equal("NEW", record.Stage);
        Assert.Equal("PAID_SEARCH", record.Source);
        Assert.Equal("ada@acme.example", record.Fields[CrmFieldNames.Email]);
        Assert.Equal("Ada", record.Fields[CrmFieldNames.FirstName]);
        Assert.Equal("Acme Oy", record.Fields[CrmFieldNames.Company]);
        Assert.Equal(acme, record.Company?.CrmId);
    }

    [Fact]
    public async Task StartImportAsync_ContactsWithoutCompanies_ImportsEveryContactWithoutReadingAssociations()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedCompany("Acme Oy");
        h.Simulator.SeedContact("ada@acme.example", "Ada", "Lovelace", companyId: acme);
        h.Simulator.SeedContact("cy@acme.example", "Cy", "Customer", lifecycleStage: "customer");
        var requestsBefore = h.Simulator.RequestCount;

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact, IncludeCompanies = false });

        // Assert
        Assert.Equal(2, run.Added);
        Assert.Equal(1, h.Simulator.RequestCount - requestsBefore);
        var records = (await Imports(h).GetInboxAsync(Manager, Tenant)).Select(i => i.Record).OrderBy(r => r.Name).ToList();
        Assert.Equal(["lead", "customer"], records.Select(r => r.Stage));
        Assert.All(records, r => Assert.Null(r.Company));
    }

    [Fact]
    public async Task StartImportAsync_SeveralPagesOfDealsStampedAtTheSameInstant_ReadsEveryDealExactlyOnce()
    {
        // Arrange: 35 lost deals, 20 of them modified in the same millisecond, read in pages of 10.
        await using var h = HubSpotHarness.Create(simulator: s => s.SearchRequestsPerSecond = 50, sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedCompany("Acme Oy");
        var ids = SeedLostDeals(h, 20, acme);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        ids.AddRange(SeedLostDeals(h, 15, acme, spacing: TimeSpan.FromMilliseconds(1)));

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Fetched);
        Assert.Equal(35, run.Added);
        var items = await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 });
        Assert.Equal(ids.Order(), items.Select(i => i.Record.CrmId).Order());
        Assert.All(items, i => Assert.Equal("Acme Oy", i.Record.Company?.Name));
    }

    [Fact]
    public async Task FetchPageAsync_SameCursorTwice_ReturnsTheSamePage()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var context = await ConnectContextAsync(h);
        SeedLostDeals(h, 12);
        var first = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, null, 5));

        // Act
        var second = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 5));
        var again = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 5));
        var last = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, second.NextCursor, 5));

        // Assert
        Assert.NotNull(first.NextCursor);
        Assert.Equal(second.Records.Select(r => r.CrmId), again.Records.Select(r => r.CrmId));
        Assert.Equal(second.NextCursor, again.NextCursor);
        Assert.Empty(first.Records.Select(r => r.CrmId).Intersect(second.Records.Select(r => r.CrmId)));
        Assert.Equal(2, last.Records.Count);
        Assert.Null(last.NextCursor);
        Assert.Equal(12, first.Records.Concat(second.Records).Concat(last.Records).Select(r => r.CrmId).Distinct().Count());
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_ReadsOnlyDealsChangedSinceTheFirst()
    {
        // Arrange
        await using var h = HubSpotHarness.Create(simulator: s => s.SearchRequestsPerSecond = 50);
        var connection = await h.ConnectAsync(FetchSettings);
        var ids = SeedLostDeals(h, 25, spacing: TimeSpan.FromMinutes(1));
        var first = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromDays(3));
        h.Simulator.Modify("deals", ids[2], new Dictionary<string, string?> { ["dealname"] = "Deal 3 (renamed)" });
        h.Simulator.Modify("deals", ids[16], new Dictionary<string, string?> { ["closed_lost_reason"] = "Went with a competitor" });

        // Act
        var preview = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var second = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(25, first.Added);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(first.HighWaterMark, preview.IncrementalSince);
        Assert.Equal(3, preview.Count); // the two changed deals and the one stamped exactly at the mark
        Assert.Equal(h.Time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(3, second.Fetched);
        Assert.Equal(2, second.Updated);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, second.Added);
        var renamed = (await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == ids[2]);
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_429OnThirdPage_ParksAndResumesAtTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: search allows two requests a second and the 429 asks for two minutes, longer than the inline wait.
        await using var h = HubSpotHarness.Create(
            simulator: s =>
            {
                s.SearchRequestsPerSecond = 2;
                s.RateLimitRetryAfter = TimeSpan.FromMinutes(2);
            },
            sync: o =>
            {
                o.Import.PageSize = 10;
                o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(10);
            });
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedCompany("Acme Oy");
        var ids = SeedLostDeals(h, 35, acme);

        // Act
        var parked = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var tooEarly = await Imports(h).ResumeImportAsync(Manager, Tenant, parked.Id);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await Imports(h).ResumeDueImportsAsync();
        var done = await Imports(h).GetImportRunAsync(Manager, Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(20, parked.Added);
        Assert.Equal(2, parked.Pages);
        Assert.Contains("rate limit", parked.Error, StringComparison.Ordinal);
        Assert.Equal(h.Time.GetUtcNow(), parked.ResumeAt);
        Assert.Equal(CrmImportRunStatus.Waiting, tooEarly.Status);
        Assert.Equal(1, resumed);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(4, done.Pages);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        var inbox = (await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(ids.Order(), inbox.Order());
        Assert.Contains(await h.Client.GetSyncLogAsync(Tenant, connection.Id), e => e.EventType == SyncEventTypes.RateLimited);
    }

    [Fact]
    public async Task StartImportAsync_SecondlySearchLimitWithoutRetryAfter_WaitsOneSecondPerThrottleAndReadsEachPageOnce()
    {
        // Arrange: one search a second, 429 SECONDLY without Retry-After; every wait parks the run so the test moves the clock.
        await using var h = HubSpotHarness.Create(simulator: s => s.SearchRequestsPerSecond = 1, sync: o =>
        {
            o.Import.PageSize = 10;
            o.Import.MaxInlineRetryWait = TimeSpan.Zero;
        });
        var connection = await h.ConnectAsync(FetchSettings);
        var ids = SeedLostDeals(h, 25);

        var start = h.Time.GetUtcNow();

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var firstPark = run;
        while (run.Status == CrmImportRunStatus.Waiting)
        {
            h.Time.Advance(run.ResumeAt!.Value - h.Time.GetUtcNow());
            await Imports(h).ResumeDueImportsAsync();
            run = await Imports(h).GetImportRunAsync(Manager, Tenant, run.Id);
        }

        // Assert: the provider turned the bare SECONDLY 429 into a one-second wait, and each throttled page was asked for again.
        Assert.Equal(CrmImportRunStatus.Waiting, firstPark.Status);
        Assert.Equal(1, firstPark.Pages);
        Assert.Equal(start + TimeSpan.FromSeconds(1), firstPark.ResumeAt);
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(2, run.Waits);
        Assert.Equal(3, run.Pages);
        Assert.Equal(25, run.Fetched);
        Assert.Equal(25, run.Added);
        var inbox = (await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(ids.Order(), inbox.Order());
    }

    [Fact]
    public async Task GetConnectionAsync_HubSpot_ReportsItCanFetch()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);

        // Act
        var read = await h.Client.GetConnectionAsync(Tenant, connection.Id);

        // Assert
        Assert.True(read.Capabilities.CanFetch);
        Assert.True(h.Provider.Capabilities.CanFetch);
        Assert.Equal(200, h.Provider.FetchCapabilities.MaxPageSize);
    }

    [Fact]
    public async Task BuildAuthorizeUri_Default_AsksForDealAndCompanyReadScopesAsOptional()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();

        // Act
        var uri = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", new string('c', 43), HubSpotHarness.RedirectUri, null));

        // Assert
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("crm.objects.deals.read crm.objects.companies.read", query["optional_scope"]);
        Assert.DoesNotContain("deals", query["scope"], StringComparison.Ordinal);
    }

    private static CrmImportClient Imports(HubSpotHarness h) => h.Services.GetRequiredService<CrmImportClient>();

    private static List<string> SeedLostDeals(HubSpotHarness h, int count, string? companyId = null, TimeSpan? spacing = null)
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(h.Simulator.SeedDeal($"Deal {i}", companyId: companyId));
            if (spacing is { } s)
            {
                h.Time.Advance(s);
            }
        }

        return ids;
    }

    [Fact]
    public async Task FetchPageAsync_SignedInWithoutDealsScope_ThrowsPermissionErrorNamingTheScope()
    {
        // Arrange: the deals scope is optional; an account signed in without it cannot read deals.
        await using var h = HubSpotHarness.Create(o => o.OptionalScopes = string.Empty);
        h.Simulator.SeedDeal("Lost deal", "closedlost");
        var context = await ConnectContextAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, null, 10)));

        // Assert
        Assert.Equal(403, ex.Status);
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal("MISSING_SCOPES", ex.ErrorCode);
        Assert.Contains("crm.objects.deals.read", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect HubSpot", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("uninstalled", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<CrmProviderContext> ConnectContextAsync(HubSpotHarness h)
    {
        var verifier = new string('v', 64);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", challenge, HubSpotHarness.RedirectUri, null));
        var (code, _) = await HubSpotHarness.SignInAsync(authorize);
        var signedIn = await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, verifier, HubSpotHarness.RedirectUri, null));
        var credentials = new TestCredentials(h.Provider, signedIn.Credentials);
        var context = h.Context(Guid.NewGuid(), credentials, new ConnectionSettings { Direction = SyncDirection.Fetch });
        credentials.Context = context;
        return context;
    }
}
