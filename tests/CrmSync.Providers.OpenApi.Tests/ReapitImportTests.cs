using CrmSync.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>The fetch direction end to end: CrmImportClient, SQLite file, the OpenAPI provider with the Reapit profile, the Reapit simulator over HTTP, fake clock.</summary>
public sealed class ReapitImportTests
{
    private static readonly CrmImportActor Manager = CrmImportActor.Create("mia-manager", "manager");
    private static readonly ConnectionSettings FetchSettings = new() { Direction = SyncDirection.Fetch };

    [Fact]
    public async Task StartImportAsync_SeveralHalPagesAndModifiedSince_ImportsEveryNewerContactOnceAndNoOlderOne()
    {
        // Arrange: 10 contacts before the cut-off, 25 after (one a minute), read in HAL pages of 10
        await using var h = ReapitHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(FetchSettings);
        var older = Seed(h, 0, 10);
        h.Time.Advance(TimeSpan.FromHours(1));
        var since = h.Time.GetUtcNow();
        var newer = Seed(h, 10, 25);
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact, ModifiedSince = since };

        // Act
        var run = await Imports(h).StartImportAsync(Manager, ReapitHarness.Tenant, connection.Id, filter);

        // Assert: three pages, 25 records, each once; none of the older ten
        Assert.Equal(CrmImportRunStatus.Completed, run.Status);
        Assert.Equal(3, run.Pages);
        Assert.Equal(25, run.Fetched);
        Assert.Equal(25, run.Added);
        var items = await Imports(h).GetInboxAsync(Manager, ReapitHarness.Tenant, new CrmInboxQuery { Limit = 100 });
        var ids = items.Select(i => i.Record.CrmId).ToList();
        Assert.Equal(newer.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty(ids.Intersect(older));
        Assert.All(items, i => Assert.True(i.Record.ModifiedAt >= since));
        Assert.Contains(items, i => i.Record.Name == "Ada Surname 12" && i.Record.Fields[CrmFieldNames.Email] == "c12@example.test");
    }

    [Fact]
    public async Task StartImportAsync_SecondIncrementalImport_ReadsOnlyContactsChangedSinceTheFirst()
    {
        // Arrange: a first import of 15, then two contacts change three days later
        await using var h = ReapitHarness.Create(sync: o => o.Import.PageSize = 10);
        var connection = await h.ConnectAsync(FetchSettings);
        var ids = Seed(h, 0, 15);
        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact };
        var first = await Imports(h).StartImportAsync(Manager, ReapitHarness.Tenant, connection.Id, filter);
        h.Time.Advance(TimeSpan.FromDays(3));
        h.Sim.EditContact(ReapitHarness.Customer, ids[3], "surname", "Renamed");
        h.Sim.EditContact(ReapitHarness.Customer, ids[11], "surname", "Moved");

        // Act
        var second = await Imports(h).StartImportAsync(Manager, ReapitHarness.Tenant, connection.Id, filter);

        // Assert: the second run asks Reapit only for what changed after the first run's high-water mark
        Assert.Equal(15, first.Added);
        Assert.Equal(first.HighWaterMark, second.EffectiveModifiedSince);
        Assert.Equal(2, second.Updated);
        Assert.Equal(0, second.Added);
        Assert.True(second.Fetched <= 3);
        var renamed = (await Imports(h).GetInboxAsync(Manager, ReapitHarness.Tenant, new CrmInboxQuery { Limit = 100 })).Single(i => i.Record.CrmId == ids[3]);
        Assert.Equal("Ada Renamed", renamed.Record.Name);
    }

    private static List<string> Seed(ReapitHarness h, int from, int count)
    {
        var ids = new List<string>();
        for (var i = from; i < from + count; i++)
        {
            ids.Add(h.Sim.AddContact(ReapitHarness.Customer, "Ada", $"Surname {i}", $"c{i}@example.test"));
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        return ids;
    }

    private static CrmImportClient Imports(ReapitHarness h) => h.Services.GetRequiredService<CrmImportClient>();
}
