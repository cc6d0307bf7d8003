using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The fetch direction end to end: CrmImportClient, SQLite file, Pipedrive provider, simulator over HTTP, fake clock.</summary>
public sealed class PipedriveFetchTests
{
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly CrmFetchFilter LostDeals = new() { ObjectType = CrmFetchObjectType.Deal };
    private static readonly ConnectionSettings FetchSettings = new() { Direction = SyncDirection.Fetch };

    [Fact]
    public async Task StartImportAsync_StageAndOwnerFilter_ImportsOnlyMatchingLostDealsWithTheirOrganizations()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        var acme = h.Sim.SeedOrganization("Acme Oy", address: "Mannerheimintie 1, Helsinki");
        var match = h.Sim.SeedDeal("Acme renewal", status: "lost", stageId: 4, ownerId: PipedriveSimulator.SellerUser, orgId: acme, lostReason: "Budget");
        h.Sim.SeedDeal("Other owner", status: "lost", stageId: 4);
        h.Sim.SeedDeal("Other stage", status: "lost", stageId: 2, ownerId: PipedriveSimulator.SellerUser);
        h.Sim.SeedDeal("Won, same stage", status: "won", stageId: 4, ownerId: PipedriveSimulator.SellerUser);
        h.Sim.SeedDeal("Open, same stage", stageId: 4, ownerId: PipedriveSimulator.SellerUser);
        var filter = LostDeals with { Stages = ["PROPOSAL MADE"], OwnerIds = ["1002"] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        var item = Assert.Single(await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant));
        var record = item.Record;
        Assert.Equal(match.ToString(System.Globalization.CultureInfo.InvariantCulture), record.CrmId);
        Assert.Equal("Acme renewal", record.Name);
        Assert.Equal("Proposal Made", record.Stage);
        Assert.Equal(CrmDealStatus.ClosedLost, record.DealStatus);
        Assert.Equal("1002", record.OwnerId);
        Assert.Equal("Budget", record.Fields["lost_reason"]);
        Assert.Equal("Acme Oy", record.Company?.Name);
        Assert.Equal("Mannerheimintie 1, Helsinki", record.Company?.Fields["address"]);
        Assert.Equal(h.Time.GetUtcNow(), record.ModifiedAt);
    }

    [Fact]
    public async Task StartImportAsync_TwoOwnersAndTwoStages_FiltersThePagesTheCrmCannotNarrow()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        h.Sim.SeedDeal("Admin, qualified", status: "lost", stageId: 1);
        h.Sim.SeedDeal("Seller, demo", status: "lost", stageId: 3, ownerId: PipedriveSimulator.SellerUser);
        h.Sim.SeedDeal("Seller, negotiations", status: "lost", stageId: 5, ownerId: PipedriveSimulator.SellerUser);
        var filter = LostDeals with { Stages = ["Qualified", "3"], OwnerIds = ["1001", "1002"] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(2, run.Added);
        var names = (await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant)).Select(i => i.Record.Name).Order();
        Assert.Equal(["Admin, qualified", "Seller, demo"], names);
    }

    [Fact]
    public async Task StartImportAsync_ClosedWonOptedIn_ImportsWonAndLostButNotOpenDeals()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        h.Sim.SeedDeal("Lost", status: "lost");
        h.Sim.SeedDeal("Won", status: "won");
        h.Sim.SeedDeal("Open");

        // Act
        var lostOnly = await Imports(h).PreviewImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals);
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals with { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] });

        // Assert
        Assert.Equal(1, lostOnly.Count);
        Assert.False(lostOnly.IsExact);
        Assert.Equal(2, run.Added);
        var statuses = (await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant)).Select(i => i.Record.DealStatus).Order();
        Assert.Equal([CrmDealStatus.ClosedWon, CrmDealStatus.ClosedLost], statuses);
    }

    [Fact]
    public async Task StartImportAsync_CreatedRange_ImportsDealsCreatedInsideIt()
    {
        // Arrange: one deal a day, from 23 to 27 November.
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        for (var day = 0; day < 5; day++)
        {
            h.Sim.SeedDeal($"Deal {23 + day}", status: "lost");
            h.Time.Advance(TimeSpan.FromDays(1));
        }

        var filter = LostDeals with
        {
            CreatedFrom = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero),
            CreatedBefore = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
        };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(2, run.Added);
        var names = (await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant)).Select(i => i.Record.Name).Order();
        Assert.Equal(["Deal 24", "Deal 25"], names);
    }

    [Fact]
    public async Task StartImportAsync_ContactsOfOneOwner_ImportsPersonsWithEmailAndOrganization()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        var acme = h.Sim.SeedOrganization("Acme Oy");
        h.Sim.SeedPerson("Ada Lovelace", "ada@acme.example", ownerId: PipedriveSimulator.SellerUser, orgId: acme, phone: "+358401234567");
        h.Sim.SeedPerson("Someone Else", "else@acme.example");
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact, OwnerIds = ["1002"] };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, filter);

        // Assert
        Assert.Equal(1, run.Added);
        var record = Assert.Single(await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant)).Record;
        Assert.Equal(CrmFetchObjectType.Contact, record.ObjectType);
        Assert.Equal("Ada", record.Fields[CrmFieldNames.FirstName]);
        Assert.Equal("Lovelace", record.Fields[CrmFieldNames.LastName]);
        Assert.Equal("ada@acme.example", record.Fields[CrmFieldNames.Email]);
        Assert.Equal("+358401234567", record.Fields[CrmFieldNames.Phone]);
        Assert.Equal("Acme Oy", record.Company?.Name);
    }

    [Fact]
    public async Task StartImportAsync_SeveralPages_ReadsEveryDealExactlyOnce()
    {
        // Arrange: 35 lost deals in pages of 10.
        await using var h = PipedriveHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        var org = h.Sim.SeedOrganization("Acme Oy");
        SeedLostDeals(h, 35, org);

        // Act
        var run = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(4, run.Pages);
        Assert.Equal(35, run.Fetched);
        Assert.Equal(35, run.Added);
        var items = await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant, new CrmInboxQuery { Limit = 100 });
        Assert.Equal(h.Sim.GetRecords("deals").Select(d => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), items.Select(i => i.Record.CrmId).Order());
        Assert.All(items, i => Assert.Equal("Acme Oy", i.Record.Company?.Name));
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_ReadsOnlyDealsChangedSinceTheFirst()
    {
        // Arrange
        await using var h = PipedriveHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        SeedLostDeals(h, 25);
        var first = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals);
        h.Time.Advance(TimeSpan.FromDays(3));
        h.Sim.Modify("deals", 3, d => d["title"] = "Deal 3 (renamed)");
        h.Sim.Modify("deals", 17, d => d["lost_reason"] = "Went with a competitor");

        // Act
        var second = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals);

        // Assert
        Assert.Equal(25, first.Added);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(h.Time.GetUtcNow(), second.HighWaterMark);
        Assert.Equal(3, second.Fetched); // the two changed deals and the one stamped exactly at the mark
        Assert.Equal(2, second.Updated);
        Assert.Equal(1, second.Unchanged);
        Assert.Equal(0, second.Added);
        var renamed = (await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == "3");
        Assert.Equal("Deal 3 (renamed)", renamed.Record.Name);
    }

    [Fact]
    public async Task StartImportAsync_429OnThirdPage_ParksAndResumesAtTheSamePageWithoutSkipsOrRepeats()
    {
        // Arrange: pages of 10 over 35 deals; after five requests (stages, then deals and organizations for two pages)
        // Pipedrive answers 429 with a two-minute reset, longer than the inline wait.
        await using var h = PipedriveHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        var org = h.Sim.SeedOrganization("Acme Oy");
        SeedLostDeals(h, 35, org);
        h.Sim.ThrottleNextRequests(1, TimeSpan.FromMinutes(2), after: 5);

        // Act
        var parked = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals);
        var parkedCursor = parked.Cursor;
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var resumed = await Imports(h).ResumeDueImportsAsync();
        var done = await Imports(h).GetImportRunAsync(Manager, PipedriveHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(20, parked.Added);
        Assert.Equal(h.Time.GetUtcNow(), parked.ResumeAt);
        Assert.NotNull(parkedCursor);
        Assert.Contains("rate limit", parked.Error, StringComparison.Ordinal);
        Assert.Equal(1, resumed);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(35, done.Fetched);
        Assert.Equal(35, done.Added);
        Assert.Equal(0, done.Unchanged);
        Assert.Equal(1, done.Waits);
        var ids = (await Imports(h).GetInboxAsync(Manager, PipedriveHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Select(i => i.Record.CrmId).ToList();
        Assert.Equal(35, ids.Distinct().Count());
        Assert.Equal(35, ids.Count);
    }

    [Fact]
    public async Task StartImportAsync_HtmlBlockPageAfter429_WaitsAsThrottlingAndFinishesWithoutSkipsOrRepeats()
    {
        // Arrange: a single ignored 429 makes the simulator serve Cloudflare's HTML 403 block page for five minutes.
        await using var h = PipedriveHarness.Create(
            simulator: o => { o.AbuseThreshold = 1; o.AbuseBlockDuration = TimeSpan.FromMinutes(5); },
            provider: o => o.BlockedRetryDelay = TimeSpan.FromMinutes(10),
            sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        SeedLostDeals(h, 25);
        h.Sim.ThrottleNextRequests(1, TimeSpan.FromMinutes(1), after: 3);
        var parked = await Imports(h).StartImportAsync(Manager, PipedriveHarness.Tenant, connection.Id, LostDeals with { IncludeCompanies = false });
        h.Time.Advance(TimeSpan.FromMinutes(1));

        // Act
        var blocked = await Imports(h).ResumeImportAsync(Manager, PipedriveHarness.Tenant, parked.Id);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var done = await Imports(h).ResumeImportAsync(Manager, PipedriveHarness.Tenant, parked.Id);

        // Assert
        Assert.Equal(CrmImportRunStatus.Waiting, parked.Status);
        Assert.Equal(CrmImportRunStatus.Waiting, blocked.Status);
        Assert.Contains("blocked", blocked.Error, StringComparison.Ordinal);
        Assert.Equal(h.Time.GetUtcNow(), blocked.ResumeAt);
        Assert.Equal(parked.Cursor, blocked.Cursor);
        Assert.Equal(CrmImportRunStatus.Completed, done.Status);
        Assert.Equal(2, done.Waits);
        Assert.Equal(25, done.Added);
        Assert.Equal(0, done.Unchanged);
    }

    [Fact]
    public async Task FetchPageAsync_SameCursorTwice_ReturnsTheSamePage()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        SeedLostDeals(h, 7);
        var context = await ContextAsync(h, connection.Id);
        var first = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, null, 3));

        // Act
        var second = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 3));
        var again = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, first.NextCursor, 3));

        // Assert
        Assert.Equal(["1", "2", "3"], first.Records.Select(r => r.CrmId));
        Assert.Equal(["4", "5", "6"], second.Records.Select(r => r.CrmId));
        Assert.Equal(second.Records.Select(r => r.CrmId), again.Records.Select(r => r.CrmId));
        Assert.Equal(second.NextCursor, again.NextCursor);
    }

    [Fact]
    public async Task CountAsync_MoreThanTheCountedPages_ReturnsAnEstimate()
    {
        // Arrange: counting reads at most CountPageLimit pages of 500.
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync(FetchSettings);
        SeedLostDeals(h, 12);
        var context = await ContextAsync(h, connection.Id);

        // Act
        var exact = await h.Provider.CountAsync(context, LostDeals);
        var none = await h.Provider.CountAsync(context, LostDeals with { Stages = ["No such stage"] });

        // Assert
        Assert.Equal(new CrmFetchCount(12, true), exact);
        Assert.Equal(new CrmFetchCount(0, true), none);
        Assert.False(h.Provider.FetchCapabilities.ExactCounts);
        Assert.True(h.Provider.Capabilities.CanFetch);
        Assert.DoesNotContain(CrmFetchObjectType.Lead, h.Provider.FetchCapabilities.Objects);
    }

    private static CrmImportClient Imports(PipedriveHarness h) => h.Services.GetRequiredService<CrmImportClient>();

    /// <summary>Seeds lost deals one minute apart, so each has its own modified stamp.</summary>
    [Fact]
    public async Task FetchPageAsync_SignedInWithoutDealsScope_ThrowsPermissionErrorNamingTheScope()
    {
        // Arrange: the app's scopes (the simulator's default) cover contacts, activities and users, not deals.
        await using var h = PipedriveHarness.Create();
        SeedLostDeals(h, 1);
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", new string('c', 43), PipedriveHarness.RedirectUri, null));
        var (code, _) = await PipedriveHarness.FollowConsentAsync(authorize, "allow");
        var signedIn = await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, new string('v', 43), PipedriveHarness.RedirectUri, null));
        var context = new CrmProviderContext(PipedriveHarness.Tenant, Guid.NewGuid(), null, FetchSettings, new TestCredentials(signedIn.Credentials));

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.FetchPageAsync(context, new CrmFetchRequest(LostDeals, null, 10)));

        // Assert
        Assert.Equal(403, ex.Status);
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Contains("deals:read", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect Pipedrive", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(signedIn.Credentials.AccessToken!, ex.Message, StringComparison.Ordinal);
    }

    private static void SeedLostDeals(PipedriveHarness h, int count, long? orgId = null)
    {
        for (var i = 1; i <= count; i++)
        {
            h.Sim.SeedDeal($"Deal {i}", status: "lost", orgId: orgId);
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private static Task<CrmProviderContext> ContextAsync(PipedriveHarness h, Guid connectionId) =>
        Task.FromResult(new CrmProviderContext(
            PipedriveHarness.Tenant,
            connectionId,
            null,
            FetchSettings,
            new TestCredentials(new CrmCredentials { ApiKey = h.Sim.ApiToken, InstanceUrl = h.Sim.BaseUrl.ToString() })));
}
