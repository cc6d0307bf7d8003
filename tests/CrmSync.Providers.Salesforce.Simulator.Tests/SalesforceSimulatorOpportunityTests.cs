using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

public class SalesforceSimulatorOpportunityTests
{
    private const string Api = SalesforceSimulatorFixture.Api;
    private const string Seller = "005SIM000000002AAA";

    private static Task<HttpResponseMessage> QueryAsync(SalesforceSimulatorFixture fixture, string soql) =>
        fixture.Client.GetAsync($"{Api}/query?q=" + Uri.EscapeDataString(soql));

    private static List<string> Ids(JsonNode body) => body["records"]!.AsArray().Select(r => r!["Id"]!.ToString()).ToList();

    [Fact]
    public async Task Query_ClosedLostOpportunitiesOfOwnerWithAccount_ReturnsFlagsAndAccountRelationship()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        var acme = fixture.Simulator.SeedAccount("Acme Oy", "https://acme.example");
        var lost = fixture.Simulator.SeedOpportunity("Acme renewal", accountId: acme, ownerId: Seller, amount: 1200m);
        fixture.Simulator.SeedOpportunity("Other owner", accountId: acme);
        fixture.Simulator.SeedOpportunity("Won", "Closed Won", ownerId: Seller);
        fixture.Simulator.SeedOpportunity("Open", "Prospecting", ownerId: Seller);

        // Act
        var response = await QueryAsync(fixture, $"SELECT Id, Name, StageName, IsClosed, IsWon, Amount, Account.Name, Account.Website FROM Opportunity WHERE IsClosed = true AND IsWon = false AND OwnerId IN ('{Seller}')");
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(body["records"]!.AsArray())!;
        Assert.Equal(lost, record["Id"]!.ToString());
        Assert.Equal("Closed Lost", record["StageName"]!.ToString());
        Assert.True(record["IsClosed"]!.GetValue<bool>());
        Assert.False(record["IsWon"]!.GetValue<bool>());
        Assert.Equal(1200m, record["Amount"]!.GetValue<decimal>());
        Assert.Equal("Acme Oy", record["Account"]!["Name"]!.ToString());
        Assert.Equal("https://acme.example", record["Account"]!["Website"]!.ToString());
        Assert.Equal("Account", record["Account"]!["attributes"]!["type"]!.ToString());
    }

    [Fact]
    public async Task Query_KeysetWhereWithParenthesesOrderAndLimit_ReturnsTheRecordsAfterTheKey()
    {
        // Arrange: three opportunities at one instant, two a minute later.
        using var fixture = new SalesforceSimulatorFixture();
        var first = Enumerable.Range(1, 3).Select(i => fixture.Simulator.SeedOpportunity($"Deal {i}")).ToList();
        var stamp = fixture.Time.GetUtcNow();
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var later = Enumerable.Range(4, 2).Select(i => fixture.Simulator.SeedOpportunity($"Deal {i}")).ToList();
        var key = stamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(await QueryAsync(fixture,
            $"SELECT Id FROM Opportunity WHERE IsClosed = true AND (SystemModstamp > {key} OR (SystemModstamp = {key} AND Id > '{first[0]}')) ORDER BY SystemModstamp ASC, Id ASC LIMIT 3"));

        // Assert
        Assert.Equal([first[1], first[2], later[0]], Ids(body));
    }

    [Fact]
    public async Task Query_QuotedDateTime_Returns400InvalidField()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await QueryAsync(fixture, "SELECT Id FROM Opportunity WHERE CreatedDate >= '2026-03-10T09:00:00Z'");
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_FIELD", body[0]!["errorCode"]!.ToString());
        Assert.Contains("should not be enclosed in quotes", body[0]!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_MoreRecordsThanTheBatch_FollowsNextRecordsUrlUntilDone()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture(o => o.QueryBatchSize = 2);
        var ids = Enumerable.Range(1, 5).Select(i => fixture.Simulator.SeedLead($"Lead {i}", "Acme Oy", leadSource: "Web")).ToList();
        var seen = new List<string>();

        // Act
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(await QueryAsync(fixture, "SELECT Id FROM Lead WHERE LeadSource = 'Web' AND IsConverted = false ORDER BY CreatedDate, Id"));
        var total = body["totalSize"]!.GetValue<int>();
        seen.AddRange(Ids(body));
        while (body["nextRecordsUrl"] is { } next)
        {
            body = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync(next.ToString()));
            seen.AddRange(Ids(body));
        }

        // Assert
        Assert.Equal(5, total);
        Assert.Equal(ids, seen);
        Assert.True(body["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task QueryCount_CreatedRangeAndStageIn_ReturnsTotalSizeOnly()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.SeedOpportunity("Before", createdAt: fixture.Time.GetUtcNow().AddDays(-2));
        fixture.Simulator.SeedOpportunity("Inside");
        fixture.Simulator.SeedOpportunity("Inside, won", "Closed Won");
        fixture.Simulator.SeedOpportunity("Inside, open", "Qualification");

        // Act
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(await QueryAsync(fixture,
            "SELECT COUNT() FROM Opportunity WHERE CreatedDate >= 2026-03-10T00:00:00Z AND CreatedDate < 2026-03-11T00:00:00.000+00:00 AND StageName IN ('closed lost', 'Closed Won')"));

        // Assert
        Assert.Equal(2, body["totalSize"]!.GetValue<int>());
        Assert.Empty(body["records"]!.AsArray());
    }

    [Fact]
    public async Task Modify_Opportunity_StampsSystemModstampAndRecalculatesFlags()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.AddOpportunityStage("Lost to Competitor", isClosed: true);
        var id = fixture.Simulator.SeedOpportunity("Renewal", "Negotiation/Review");
        fixture.Time.Advance(TimeSpan.FromDays(2));
        fixture.Client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Simulator.IssueAccessToken());

        // Act
        var modified = fixture.Simulator.Modify("Opportunity", id, new Dictionary<string, object?> { ["StageName"] = "Lost to Competitor" });
        var read = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/sobjects/Opportunity/{id}?fields=SystemModstamp,CreatedDate,IsClosed,IsWon"));

        // Assert
        Assert.Equal(fixture.Time.GetUtcNow(), modified.UpdatedAt);
        Assert.Equal("2026-03-12T09:00:00.000+0000", read["SystemModstamp"]!.ToString());
        Assert.Equal("2026-03-10T09:00:00.000+0000", read["CreatedDate"]!.ToString());
        Assert.True(read["IsClosed"]!.GetValue<bool>());
        Assert.False(read["IsWon"]!.GetValue<bool>());
    }

    [Fact]
    public void SeedOpportunity_StageNotInPicklist_ThrowsRestrictedPicklistError()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var ex = Assert.Throws<ArgumentException>(() => fixture.Simulator.SeedOpportunity("Deal", "Lost somehow"));

        // Assert
        Assert.Contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ex.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("Opportunity"));
    }
}
