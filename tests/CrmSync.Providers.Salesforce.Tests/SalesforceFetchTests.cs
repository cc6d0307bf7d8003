using System.Security.Cryptography;
using System.Text;
using CrmSync.Providers.Salesforce.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>The fetch direction end to end: CrmImportClient, SQLite file, Salesforce provider, simulator over HTTP, fake clock.</summary>
public sealed class SalesforceFetchTests
{
    private const string Tenant = SalesforceHarness.Tenant;
    private const string Owner = "005SIM000000001AAA";
    private const string Seller = "005SIM000000002AAA";
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly CrmFetchFilter LostDeals = new() { ObjectType = CrmFetchObjectType.Deal };
    private static readonly ConnectionSettings FetchSettings = new() { Direction = SyncDirection.Fetch };

    [Fact]
    public async Task StartImportAsync_StageOwnerAndCreatedFilters_ImportsOnlyMatchingLostOpportunitiesWithTheirAccount()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        h.Simulator.AddOpportunityStage("Lost to Competitor", isClosed: true);
        var acme = h.Simulator.SeedAccount("Acme Oy", "https://www.acme.example", fields: new Dictionary<string, object?> { ["BillingCity"] = "Helsinki" });
        var start = h.Time.GetUtcNow();
        var match = h.Simulator.SeedOpportunity("Acme renewal", "Lost to Competitor", accountId: acme, ownerId: Seller, amount: 1200m, leadSource: "Partner Referral");
        h.Simulator.SeedOpportunity("Other owner", "Lost to Competitor", accountId: acme, ownerId: Owner);
        h.Simulator.SeedOpportunity("Other lost stage", ownerId: Seller);
        h.Simulator.SeedOpportunity("Created earlier", "Lost to Competitor", ownerId: Seller, createdAt: start.AddDays(-3));
        h.Simulator.SeedOpportunity("Open", "Prospecting", ownerId: Seller);
        var filter = LostDeals with { Stages = ["lost to competitor"], OwnerIds = [Seller], CreatedFrom = start, CreatedBefore = start.AddDays(1) };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, Tenant)).Record;
        Assert.Equal(match, record.CrmId);
        Assert.Equal("Acme renewal", record.Name);
        Assert.Equal("Lost to Competitor", record.Stage);
        Assert.Equal(CrmDealStatus.ClosedLost, record.DealStatus);
        Assert.Equal(Seller, record.OwnerId);
        Assert.Equal("Partner Referral", record.Source);
        Assert.Equal("1200", record.Fields["Amount"]);
        Assert.Equal(acme, record.Company?.CrmId);
        Assert.Equal("Acme Oy", record.Company?.Name);
        Assert.Equal("acme.example", record.Company?.Domain);
        Assert.Equal("Helsinki", record.Company?.Fields["BillingCity"]);
        Assert.Equal(start, record.CreatedAt);
        Assert.Equal(h.Time.GetUtcNow(), record.ModifiedAt);
        Assert.True(filter.Matches(record));
    }

    [Fact]
    public async Task PreviewAndStartImportAsync_ClosedWonOptedIn_CountsAndImportsWonAndLostButNotOpen()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        h.Simulator.SeedOpportunity("Lost");
        h.Simulator.SeedOpportunity("Won", "Closed Won");
        h.Simulator.SeedOpportunity("Open", "Negotiation/Review");
        var wonAndLost = LostDeals with { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] };

        // Act
        var lostOnly = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var preview = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, wonAndLost);
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, wonAndLost);

        // Assert
        Assert.Equal(1, lostOnly.Count);
        Assert.True(lostOnly.IsExact);
        Assert.Equal(2, preview.Count);
        Assert.Equal(2, run.Added);
        var statuses = (await Imports(h).GetInboxAsync(Manager, Tenant)).Select(i => i.Record.DealStatus).Order();
        Assert.Equal([CrmDealStatus.ClosedWon, CrmDealStatus.ClosedLost], statuses);
    }

    [Fact]
    public async Task StartImportAsync_LeadsByStatus_ImportsOpenLeadsWithSourceAndCompanyName()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        var lead = h.Simulator.SeedLead("Lovelace", "Acme Oy", "Ada", "ada@acme.example", status: "Working - Contacted", leadSource: "Web", ownerId: Seller);
        h.Simulator.SeedLead("Other", "Acme Oy", status: "Closed - Not Converted", ownerId: Seller);
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Lead, Stages = ["Working - Contacted"] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, Tenant)).Record;
        Assert.Equal(CrmFetchObjectType.Lead, record.ObjectType);
        Assert.Equal(lead, record.CrmId);
        Assert.Equal("Ada Lovelace", record.Name);
        Assert.Equal("Working - Contacted", record.Stage);
        Assert.Equal("Web", record.Source);
        Assert.Equal("ada@acme.example", record.Fields[CrmFieldNames.Email]);
        Assert.Equal("Acme Oy", record.Fields[CrmFieldNames.Company]);
        Assert.Null(record.Company);
    }

    [Fact]
    public async Task StartImportAsync_ContactsOfOneOwner_ImportsContactsWithTheirAccount()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedAccount("Acme Oy");
        var ada = h.Simulator.SeedContact("Lovelace", "Ada", "ada@acme.example", accountId: acme, ownerId: Seller);
        h.Simulator.SeedContact("Other", email: "other@acme.example", ownerId: Owner);

        // Act
        var run = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact, OwnerIds = [Seller] });

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, Tenant)).Record;
        Assert.Equal(ada, record.CrmId);
        Assert.Equal("Ada", record.Fields[CrmFieldNames.FirstName]);
        Assert.Equal("Lovelace", record.Fields[CrmFieldNames.LastName]);
        Assert.Equal("Acme Oy", record.Company?.Name);
        Assert.Equal(acme, record.Company?.CrmId);
    }

    [Fact]
    public async Task StartImportAsync_SeveralPagesWithQueryLocators_ReadsEveryOpportunityExactlyOnce()
    {
        // Arrange: 35 lost opportunities, 20 of them stamped in the same second; pages of 10 and query batches of 4, so
        // each page follows nextRecordsUrl twice.
        await using var h = SalesforceHarness.Create(simulator: s => s.QueryBatchSize = 4, sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedAccount("Acme Oy");
        var ids = SeedLostOpportunities(h, 20, acme);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        ids.AddRange(SeedLostOpportunities(h, 15, acme, spacing: TimeSpan.FromSeconds(1)));

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
        await using var h = SalesforceHarness.Create();
        var context = await ConnectContextAsync(h);
        SeedLostOpportunities(h, 12);
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
    public async Task StartImportAsync_SecondIncrementalImport_ReadsOnlyOpportunitiesChangedSinceTheFirst()
    {
        // Arrange
        await using var h = SalesforceHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(FetchSettings);
        var ids = SeedLostOpportunities(h, 25, spacing: TimeSpan.FromMinutes(1));
        var first = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromDays(3));
        h.Simulator.Modify("Opportunity", ids[2], new Dictionary<string, object?> { ["Name"] = "Deal 3 (renamed)" });
        h.Simulator.Modify("Opportunity", ids[16], new Dictionary<string, object?> { ["Description"] = "Went with a competitor" });

        // Act
        var preview = await Imports(h).PreviewImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var second = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(25, first.Added);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(3, preview.Count); // the two changed opportunities and the one stamped exactly at the mark
        Assert.Equal(h.Time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(3, second.Fetched);
        Assert.Equal(2, second.Updated);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, second.Added);
        var renamed = (await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == ids[2]);
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_RequestLimitExceededMidPage_ParksAndResumesAtTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: pages of 10 in query batches of 4 (three calls a page); four calls per 30 seconds, so the second page's
        // first nextRecordsUrl gets 403 REQUEST_LIMIT_EXCEEDED. The provider waits 30 s, longer than the inline wait.
        await using var h = SalesforceHarness.Create(simulator: s => s.QueryBatchSize = 4, sync: o =>
        {
            o.Import.PageSize = 10;
            o.Import.MaxInlineRetryWait = TimeSpan.FromSeconds(10);
        });
        var connection = await h.ConnectAsync(FetchSettings);
        var acme = h.Simulator.SeedAccount("Acme Oy");
        var ids = SeedLostOpportunities(h, 35, acme);
        h.Simulator.SetBurstLimit(4, TimeSpan.FromSeconds(30));

        // Act
        var parked = await Imports(h).StartImportAsync(Manager, Tenant, connection.Id, LostDeals);
        var run = parked;
        var parks = 0;
        while (run.Status == CrmImportRunStatus.Waiting)
        {
            parks++;
            h.Time.Advance(run.ResumeAt!.Value - h.Time.GetUtcNow());
            await Imports(h).ResumeDueImportsAsync();
            run = await Imports(h).GetImportRunAsync(Manager, Tenant, run.Id);
        }

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(1, parked.Pages);
        Assert.Equal(10, parked.Added);
        Assert.Contains("rate limit", parked.Error, StringComparison.Ordinal);
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(parks, run.Waits);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Fetched);
        Assert.Equal(35, run.Added);
        Assert.Equal(0, run.Unchanged);
        var inbox = (await Imports(h).GetInboxAsync(Manager, Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(ids.Order(), inbox.Order());
        var connectionAfter = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        Assert.NotEqual(ConnectionStatus.Revoked, connectionAfter.Status.Status);
    }

    [Fact]
    public async Task GetConnectionAsync_Salesforce_ReportsItCanFetch()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(FetchSettings);

        // Act
        var read = await h.Client.GetConnectionAsync(Tenant, connection.Id);

        // Assert
        Assert.True(read.Capabilities.CanFetch);
        Assert.Equal(2000, h.Provider.FetchCapabilities.MaxPageSize);
    }

    private static CrmImportClient Imports(SalesforceHarness h) => h.Services.GetRequiredService<CrmImportClient>();

    private static List<string> SeedLostOpportunities(SalesforceHarness h, int count, string? accountId = null, TimeSpan? spacing = null)
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            ids.Add(h.Simulator.SeedOpportunity($"Deal {i}", accountId: accountId));
            if (spacing is { } s)
            {
                h.Time.Advance(s);
            }
        }

        return ids;
    }

    private static async Task<CrmProviderContext> ConnectContextAsync(SalesforceHarness h)
    {
        var verifier = new string('v', 64);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", challenge, SalesforceHarness.RedirectUri, null));
        var (code, _) = await SalesforceHarness.SignInAsync(authorize);
        var signedIn = await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, verifier, SalesforceHarness.RedirectUri, null));
        var credentials = new TestCredentials(h.Provider, signedIn.Credentials);
        var context = h.Context(Guid.NewGuid(), credentials, new ConnectionSettings { Direction = SyncDirection.Fetch });
        credentials.Context = context;
        return context;
    }
}
