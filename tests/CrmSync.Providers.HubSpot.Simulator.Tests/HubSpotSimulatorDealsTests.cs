using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorDealsTests
{
    private static JsonObject Filter(string property, string op, string? value = null, params string[] values)
    {
        var filter = new JsonObject { ["propertyName"] = property, ["operator"] = op };
        if (value is not null)
        {
            filter["value"] = value;
        }

        if (values.Length > 0)
        {
            filter["values"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }

        return filter;
    }

    private static JsonObject SearchBody(int limit, string? after, params JsonObject[][] groups) => new()
    {
        ["filterGroups"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject { ["filters"] = new JsonArray(g.Select(f => (JsonNode?)f).ToArray()) }).ToArray()),
        ["sorts"] = new JsonArray(new JsonObject { ["propertyName"] = "hs_lastmodifieddate", ["direction"] = "ASCENDING" }),
        ["properties"] = new JsonArray("dealname", "dealstage", "hubspot_owner_id"),
        ["limit"] = limit,
        ["after"] = after,
    };

    /// <summary>Access tokens live 30 minutes; tests that move the clock further take a fresh one.</summary>
    private static void Reauthorize(HubSpotSimulatorFixture fixture) =>
        fixture.Client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Simulator.IssueAccessToken());

    private static List<string> Ids(JsonObject body) => body["results"]!.AsArray().Select(r => r!["id"]!.ToString()).ToList();

    [Fact]
    public async Task SearchDeals_StageInAndOwnerEq_ReturnsMatchingDealsWithTotal()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var lost = fixture.Simulator.SeedDeal("Lost to Acme", "closedlost", ownerId: "1002");
        fixture.Simulator.SeedDeal("Lost, other owner", "closedlost", ownerId: "1001");
        var won = fixture.Simulator.SeedDeal("Won", "closedwon", ownerId: "1002");
        fixture.Simulator.SeedDeal("Open", "contractsent", ownerId: "1002");
        var body = SearchBody(10, null, [Filter("dealstage", "IN", null, "closedlost", "closedwon"), Filter("hubspot_owner_id", "EQ", "1002")]);

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/deals/search", body);
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, json["total"]!.GetValue<int>());
        Assert.Equal([lost, won], Ids(json));
        Assert.Equal("closedlost", json["results"]![0]!["properties"]!["dealstage"]!.ToString());
        Assert.Null(json["paging"]);
    }

    [Fact]
    public async Task SearchDeals_ModifiedRange_ReturnsDealsModifiedInsideIt()
    {
        // Arrange: one deal a day; the middle one is modified a week later.
        using var fixture = new HubSpotSimulatorFixture();
        var first = fixture.Simulator.SeedDeal("Day 1");
        var from = fixture.Time.GetUtcNow();
        fixture.Time.Advance(TimeSpan.FromDays(1));
        var second = fixture.Simulator.SeedDeal("Day 2");
        fixture.Time.Advance(TimeSpan.FromDays(1));
        var third = fixture.Simulator.SeedDeal("Day 3");
        var before = fixture.Time.GetUtcNow();
        fixture.Time.Advance(TimeSpan.FromDays(7));
        fixture.Simulator.Modify("deals", second, new Dictionary<string, string?> { ["closed_lost_reason"] = "Budget" });
        Reauthorize(fixture);
        var body = SearchBody(10, null, [
            Filter("hs_lastmodifieddate", "GTE", from.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Filter("hs_lastmodifieddate", "LTE", before.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);

        // Act
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/deals/search", body));

        // Assert
        Assert.Equal([first, third], Ids(json));
    }

    [Fact]
    public async Task SearchDeals_AfterCursor_PagesInSortOrderWithTiesByIdUntilNoPaging()
    {
        // Arrange: five deals stamped at the same instant, paged two at a time.
        using var fixture = new HubSpotSimulatorFixture();
        var ids = Enumerable.Range(1, 5).Select(i => fixture.Simulator.SeedDeal($"Deal {i}")).ToList();
        var seen = new List<string>();
        string? after = null;
        var pages = 0;

        // Act
        do
        {
            var json = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/deals/search", SearchBody(2, after)));
            seen.AddRange(Ids(json));
            after = json["paging"]?["next"]?["after"]?.ToString();
            pages++;
        }
        while (after is not null);

        // Assert
        Assert.Equal(3, pages);
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task SearchDeals_BeyondTenThousandResults_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SeedDeal("Deal");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/deals/search", SearchBody(100, "9950"));
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", json["category"]!.ToString());
    }

    [Fact]
    public async Task SearchContacts_LeadLifecycleStage_ReturnsLeadsWithSourceAndLastModifiedDate()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var lead = fixture.Simulator.SeedContact("ada@acme.example", "Ada", "Lovelace", leadStatus: "NEW", source: "PAID_SEARCH");
        fixture.Simulator.SeedContact("cy@acme.example", "Cy", "Customer", lifecycleStage: "customer");
        var body = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject { ["filters"] = new JsonArray(Filter("lifecyclestage", "EQ", "lead")) }),
            ["properties"] = new JsonArray("email", "hs_analytics_source", "hs_lead_status"),
        };

        // Act
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", body));

        // Assert
        var result = Assert.Single(json["results"]!.AsArray())!;
        Assert.Equal(lead, result["id"]!.ToString());
        Assert.Equal("PAID_SEARCH", result["properties"]!["hs_analytics_source"]!.ToString());
        Assert.Equal("NEW", result["properties"]!["hs_lead_status"]!.ToString());
        Assert.Equal("2026-03-10T09:00:00.000Z", result["properties"]!["lastmodifieddate"]!.ToString());
    }

    [Fact]
    public async Task ReadAssociations_DealsToCompanies_ReturnsPrimaryCompanyAndErrorsForDealsWithout()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var acme = fixture.Simulator.SeedCompany("Acme", "acme.example");
        var withCompany = fixture.Simulator.SeedDeal("Acme renewal", companyId: acme);
        var without = fixture.Simulator.SeedDeal("Orphan");
        var body = new JsonObject { ["inputs"] = new JsonArray(new JsonObject { ["id"] = withCompany }, new JsonObject { ["id"] = without }) };

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v4/associations/deals/companies/batch/read", body);
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = Assert.Single(json["results"]!.AsArray())!;
        Assert.Equal(withCompany, result["from"]!["id"]!.ToString());
        var to = Assert.Single(result["to"]!.AsArray())!;
        Assert.Equal(long.Parse(acme, System.Globalization.CultureInfo.InvariantCulture), to["toObjectId"]!.GetValue<long>());
        Assert.Equal(5, to["associationTypes"]![0]!["typeId"]!.GetValue<int>());
        Assert.Equal("OBJECT_NOT_FOUND", json["errors"]![0]!["category"]!.ToString());
        var reverse = Assert.Single(Assert.Single(fixture.Simulator.GetRecords("companies")).Associations);
        Assert.Equal(("deals", withCompany, 6), (reverse.ToObjectType, reverse.ToObjectId, reverse.AssociationTypeId));
    }

    [Fact]
    public async Task GetPipelines_AddedLostStage_ListsItClosedWithProbabilityZero()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.AddDealStage("lost-to-competitor", "Lost to competitor", isClosed: true);

        // Act
        var json = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/pipelines/deals"));

        // Assert
        var stages = json["results"]![0]!["stages"]!.AsArray();
        var added = stages.Single(s => s!["id"]!.ToString() == "lost-to-competitor")!;
        Assert.Equal("true", added["metadata"]!["isClosed"]!.ToString());
        Assert.Equal("0.0", added["metadata"]!["probability"]!.ToString());
        Assert.Equal("1.0", stages.Single(s => s!["id"]!.ToString() == "closedwon")!["metadata"]!["probability"]!.ToString());
    }

    [Fact]
    public async Task Modify_Deal_StampsModifiedNowAndRecalculatesClosedFlags()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var deal = fixture.Simulator.SeedDeal("Renewal", "contractsent");
        fixture.Time.Advance(TimeSpan.FromHours(3));

        // Act
        var modified = fixture.Simulator.Modify("deals", deal, new Dictionary<string, string?> { ["dealstage"] = "closedwon" });
        Reauthorize(fixture);
        var read = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"/crm/v3/objects/deals/{deal}?properties=hs_is_closed,hs_is_closed_won"));

        // Assert
        Assert.Equal(fixture.Time.GetUtcNow(), modified.UpdatedAt);
        Assert.Equal("2026-03-10T12:00:00.000Z", modified.Properties["hs_lastmodifieddate"]);
        Assert.Equal("2026-03-10T09:00:00.000Z", modified.Properties["createdate"]);
        Assert.Equal("true", read["properties"]!["hs_is_closed"]!.ToString());
        Assert.Equal("true", read["properties"]!["hs_is_closed_won"]!.ToString());
    }

    [Fact]
    public void SeedDeal_UnknownStage_Throws()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var ex = Assert.Throws<ArgumentException>(() => fixture.Simulator.SeedDeal("Deal", "nosuchstage"));

        // Assert
        Assert.Contains("nosuchstage", ex.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("deals"));
    }
}
