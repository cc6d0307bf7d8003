using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public sealed class ZohoSimulatorFetchTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task Coql_StageOwnerAndAccountLookup_ReturnsMatchingDealsWithLookupIds()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var acme = Sut.SeedAccount("Acme Ltd", "https://www.acme.example");
        var lost = Sut.SeedDeal("Acme renewal", "Closed Lost", ZohoSimulator.SellerUser, acme, 1200m);
        Sut.SeedDeal("Other owner", "Closed Lost");
        Sut.SeedDeal("Won", "Closed Won", ZohoSimulator.SellerUser);
        var query = $"select Deal_Name, Stage, Owner, Account_Name from Deals where Stage in ('closed lost', 'Closed-Lost to Competition') and Owner = '{ZohoSimulator.SellerUser}'";

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = query });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        var deal = Assert.Single(json["data"]!.AsArray())!;
        Assert.Equal(lost, deal["id"]!.GetValue<string>());
        Assert.Equal("Closed Lost", deal["Stage"]!.GetValue<string>());
        Assert.Equal(acme, deal["Account_Name"]!["id"]!.GetValue<string>());
        Assert.Null(deal["Account_Name"]!["name"]);
        Assert.False(json["info"]!["more_records"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Coql_KeysetOrderAndLimit_PagesByModifiedTimeThenId()
    {
        // Arrange: five deals one minute apart; the first is modified last.
        var token = await AccessTokenAsync();
        var ids = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add(Sut.SeedDeal($"Deal {i}", "Closed Lost"));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var touched = Sut.Modify("Deals", ids[0], d => d["Deal_Name"] = "Deal 1 (renamed)");
        var stamp = Sut.GetRecords("Deals").Single(r => r.Id == ids[1]).Fields["Modified_Time"]!.GetValue<string>();
        var query = $"select Deal_Name, Modified_Time from Deals where (Stage = 'Closed Lost') and ((Modified_Time > '{stamp}') or (Modified_Time = '{stamp}' and id > {ids[1]})) order by Modified_Time asc, id asc limit 3";

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = query });

        // Assert
        var json = await ReadJsonAsync(response);
        Assert.Equal([ids[2], ids[3], ids[4]], json["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.True(json["info"]!["more_records"]!.GetValue<bool>());
        Assert.Equal("2026-03-10T09:05:00+00:00", touched.Fields["Modified_Time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Coql_CountWithCreatedRange_ReturnsTheCount()
    {
        // Arrange
        for (var i = 0; i < 4; i++)
        {
            Sut.SeedDeal($"Deal {i}", "Closed Lost");
            Time.Advance(TimeSpan.FromDays(1));
        }

        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject
        {
            ["select_query"] = "select COUNT(id) from Deals where Created_Time >= '2026-03-11T09:00:00+00:00' and Created_Time < '2026-03-13T09:00:00+00:00'",
        });

        // Assert
        Assert.Equal(2, (await ReadJsonAsync(response))["data"]![0]!["COUNT(id)"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("select Deal_Name Deals")]
    [InlineData("select Deal_Name from Deals where Stage = ")]
    [InlineData("select No_Such_Field from Deals where id is not null")]
    [InlineData("select Deal_Name from Deals where id is not null limit 2001")]
    public async Task Coql_InvalidQuery_Returns400(string query)
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = query });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", (await ReadJsonAsync(response))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Coql_NothingMatches_Returns204()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SeedDeal("Open deal");

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = "select Deal_Name from Deals where Stage = 'Closed Lost'" });

        // Assert
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task ListRecords_IfModifiedSince_Returns304WhenNothingChangedAndTheChangedRecordsOtherwise()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SeedContact("Ada", "Lovelace", "ada@acme.example");
        var bob = Sut.SeedContact("Bob", "Builder");
        var mark = "2026-03-10T09:00:00+00:00";

        // Act
        using var unchanged = await Http.SendAsync(WithHeader(ApiRequest(HttpMethod.Get, "Contacts?fields=Last_Name", token), mark));
        Time.Advance(TimeSpan.FromMinutes(30));
        Sut.Modify("Contacts", bob, c => c["Email"] = "bob@acme.example");
        using var changed = await Http.SendAsync(WithHeader(ApiRequest(HttpMethod.Get, "Contacts?fields=Last_Name,Email", token), mark));

        // Assert
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var contact = Assert.Single((await ReadJsonAsync(changed))["data"]!.AsArray())!;
        Assert.Equal("bob@acme.example", contact["Email"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListRecords_PageToken_PagesEveryRecordOnceSortedByModifiedTime()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Sut.SeedAccount($"Account {i}"));
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        // Act
        var seen = new List<string>();
        string? pageToken = null;
        var pages = 0;
        do
        {
            var path = "Accounts?fields=Account_Name&sort_by=Modified_Time&sort_order=asc&per_page=2" + (pageToken is null ? string.Empty : "&page_token=" + Uri.EscapeDataString(pageToken));
            using var response = await SendAsync(HttpMethod.Get, path, token);
            var json = await ReadJsonAsync(response);
            seen.AddRange(json["data"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()));
            pageToken = json["info"]!["more_records"]!.GetValue<bool>() ? json["info"]!["next_page_token"]!.GetValue<string>() : null;
            pages++;
        }
        while (pageToken is not null);

        // Assert
        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListRecords_Ids_ReturnsThoseAccounts()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var acme = Sut.SeedAccount("Acme Ltd", "https://www.acme.example");
        Sut.SeedAccount("Other");
        var globex = Sut.SeedAccount("Globex", "globex.example");

        // Act
        using var response = await SendAsync(HttpMethod.Get, $"Accounts?fields=Account_Name,Website&ids={acme},{globex}", token);

        // Assert
        var names = (await ReadJsonAsync(response))["data"]!.AsArray().Select(a => a!["Account_Name"]!.GetValue<string>());
        Assert.Equal(["Acme Ltd", "Globex"], names);
    }

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string ifModifiedSince)
    {
        request.Headers.TryAddWithoutValidation("If-Modified-Since", ifModifiedSince);
        return request;
    }
}
