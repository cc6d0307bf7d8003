using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public sealed class PipedriveSimulatorDealsTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task ListDeals_StatusOwnerAndStageFilters_ReturnsOnlyMatchingDeals()
    {
        // Arrange
        var org = Sut.SeedOrganization("Acme Oy");
        var lost = Sut.SeedDeal("Lost to rival", status: "lost", stageId: 4, ownerId: PipedriveSimulator.SellerUser, orgId: org, lostReason: "Price");
        Sut.SeedDeal("Lost, other owner", status: "lost", stageId: 4);
        Sut.SeedDeal("Lost, other stage", status: "lost", stageId: 2, ownerId: PipedriveSimulator.SellerUser);
        Sut.SeedDeal("Won", status: "won", stageId: 4, ownerId: PipedriveSimulator.SellerUser);
        Sut.SeedDeal("Open", stageId: 4, ownerId: PipedriveSimulator.SellerUser);

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/deals?status=lost&owner_id=1002&stage_id=4");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        var deal = Assert.Single(json["data"]!.AsArray())!;
        Assert.Equal(lost, deal["id"]!.GetValue<long>());
        Assert.Equal("lost", deal["status"]!.GetValue<string>());
        Assert.Equal("Price", deal["lost_reason"]!.GetValue<string>());
        Assert.Equal(org, deal["org_id"]!.GetValue<long>());
        Assert.Equal("2026-03-10T09:00:00Z", deal["lost_time"]!.GetValue<string>());
        Assert.Null(json["additional_data"]!["next_cursor"]);
    }

    [Fact]
    public async Task ListDeals_CommaSeparatedStatuses_ReturnsWonAndLostButNotOpen()
    {
        // Arrange
        Sut.SeedDeal("Lost", status: "lost");
        Sut.SeedDeal("Won", status: "won");
        Sut.SeedDeal("Open");

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/deals?status=won,lost");

        // Assert
        var titles = (await ReadJsonAsync(response))["data"]!.AsArray().Select(d => d!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(["Lost", "Won"], titles);
    }

    [Fact]
    public async Task ListDeals_KeysetCursor_PagesEveryDealOnceAndRepeatsAPageForTheSameCursor()
    {
        // Arrange: seven deals modified one minute apart, pages of three sorted by update_time.
        for (var i = 1; i <= 7; i++)
        {
            Sut.SeedDeal($"Deal {i}", status: "lost");
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        // Act
        var seen = new List<long>();
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var path = "api/v2/deals?status=lost&sort_by=update_time&sort_direction=asc&limit=3" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await SendAsync(HttpMethod.Get, path);
            var json = await ReadJsonAsync(response);
            seen.AddRange(json["data"]!.AsArray().Select(d => d!["id"]!.GetValue<long>()));
            cursor = json["additional_data"]!["next_cursor"]?.GetValue<string>();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);

        using var again = await SendAsync(HttpMethod.Get, "api/v2/deals?status=lost&sort_by=update_time&sort_direction=asc&limit=3&cursor=" + Uri.EscapeDataString(cursors[0]));

        // Assert
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], seen);
        Assert.Equal(2, cursors.Count);
        var repeated = (await ReadJsonAsync(again))["data"]!.AsArray().Select(d => d!["id"]!.GetValue<long>());
        Assert.Equal([4L, 5, 6], repeated);
    }

    [Fact]
    public async Task ListDeals_RecordModifiedBetweenPages_MovesBehindTheCursorWithoutShiftingOthers()
    {
        // Arrange
        for (var i = 1; i <= 4; i++)
        {
            Sut.SeedDeal($"Deal {i}", status: "lost");
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        using var first = await SendAsync(HttpMethod.Get, "api/v2/deals?status=lost&sort_by=update_time&limit=2");
        var cursor = (await ReadJsonAsync(first))["additional_data"]!["next_cursor"]!.GetValue<string>();
        Sut.Modify("deals", 1, d => d["title"] = "Deal 1 (renamed)");

        // Act
        using var second = await SendAsync(HttpMethod.Get, "api/v2/deals?status=lost&sort_by=update_time&limit=5&cursor=" + Uri.EscapeDataString(cursor));

        // Assert
        var ids = (await ReadJsonAsync(second))["data"]!.AsArray().Select(d => d!["id"]!.GetValue<long>());
        Assert.Equal([3L, 4, 1], ids);
    }

    [Fact]
    public async Task ListDeals_UpdatedSinceAndUntil_ReturnsDealsInTheRange()
    {
        // Arrange
        Sut.SeedDeal("Old", status: "lost");
        Time.Advance(TimeSpan.FromHours(1));
        var middle = Sut.SeedDeal("Middle", status: "lost");
        Time.Advance(TimeSpan.FromHours(1));
        Sut.SeedDeal("New", status: "lost");

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/deals?status=lost&updated_since=2026-03-10T10:00:00Z&updated_until=2026-03-10T11:00:00Z");

        // Assert
        var deal = Assert.Single((await ReadJsonAsync(response))["data"]!.AsArray())!;
        Assert.Equal(middle, deal["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Modify_DealMarkedWon_StampsUpdateAndWonTimes()
    {
        // Arrange
        var id = Sut.SeedDeal("Deal", status: "open");
        Time.Advance(TimeSpan.FromDays(2));

        // Act
        var after = Sut.Modify("deals", id, d => d["status"] = "won");

        // Assert
        Assert.Equal(Time.GetUtcNow(), after.ModifiedAt);
        Assert.Equal("2026-03-12T09:00:00Z", after.Properties["update_time"]!.GetValue<string>());
        Assert.Equal("2026-03-12T09:00:00Z", after.Properties["won_time"]!.GetValue<string>());
        Assert.Equal("2026-03-10T09:00:00Z", after.Properties["add_time"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("api/v2/deals?status=closed")]
    [InlineData("api/v2/deals?sort_by=title")]
    [InlineData("api/v2/deals?limit=501")]
    [InlineData("api/v2/deals?updated_since=yesterday")]
    [InlineData("api/v2/deals?cursor=bm90LWEtY3Vyc29y")]
    public async Task ListDeals_InvalidParameter_Returns400Envelope(string path)
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, path);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.False(json["success"]!.GetValue<bool>());
        Assert.StartsWith("Validation failed", json["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListOrganizations_Ids_ReturnsThoseOrganizations()
    {
        // Arrange
        var acme = Sut.SeedOrganization("Acme Oy", address: "Mannerheimintie 1, Helsinki");
        Sut.SeedOrganization("Other Ltd");
        var globex = Sut.SeedOrganization("Globex");

        // Act
        using var response = await SendAsync(HttpMethod.Get, $"api/v2/organizations?ids={acme},{globex}");

        // Assert
        var orgs = (await ReadJsonAsync(response))["data"]!.AsArray();
        Assert.Equal(["Acme Oy", "Globex"], orgs.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("Mannerheimintie 1, Helsinki", orgs[0]!["address"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListStages_DefaultPipeline_ReturnsItsStagesInOrder()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/stages?pipeline_id=1");

        // Assert
        var names = (await ReadJsonAsync(response))["data"]!.AsArray().Select(s => s!["name"]!.GetValue<string>());
        Assert.Equal(["Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started"], names);
    }

    [Fact]
    public async Task ListPersons_SeededPersonsSortedByUpdateTime_PagesWithKeysetCursor()
    {
        // Arrange
        var org = Sut.SeedOrganization("Acme Oy");
        var ada = Sut.SeedPerson("Ada Lovelace", "ada@acme.example", orgId: org);
        Time.Advance(TimeSpan.FromMinutes(1));
        var bob = Sut.SeedPerson("Bob Builder", ownerId: PipedriveSimulator.SellerUser);
        Time.Advance(TimeSpan.FromMinutes(1));
        Sut.Modify("persons", ada, p => p["name"] = "Ada King");

        // Act
        using var first = await SendAsync(HttpMethod.Get, "api/v2/persons?sort_by=update_time&limit=1");
        var firstJson = await ReadJsonAsync(first);
        var cursor = firstJson["additional_data"]!["next_cursor"]!.GetValue<string>();
        using var second = await SendAsync(HttpMethod.Get, "api/v2/persons?sort_by=update_time&limit=1&cursor=" + Uri.EscapeDataString(cursor));
        var secondJson = await ReadJsonAsync(second);

        // Assert
        Assert.Equal(bob, firstJson["data"]![0]!["id"]!.GetValue<long>());
        Assert.Equal(ada, secondJson["data"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("Ada King", secondJson["data"]![0]!["name"]!.GetValue<string>());
        Assert.Null(secondJson["additional_data"]!["next_cursor"]);
    }

    [Fact]
    public async Task ThrottleNextRequests_AfterTwoRequests_AnswersTheThird429WithResetAndThenRecovers()
    {
        // Arrange
        Sut.SeedDeal("Deal", status: "lost");
        Sut.ThrottleNextRequests(1, TimeSpan.FromSeconds(90), after: 2);

        // Act
        using var first = await SendAsync(HttpMethod.Get, "api/v2/deals");
        using var second = await SendAsync(HttpMethod.Get, "api/v2/deals");
        using var third = await SendAsync(HttpMethod.Get, "api/v2/deals");
        using var fourth = await SendAsync(HttpMethod.Get, "api/v2/deals");

        // Assert
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("0", third.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("90", third.Headers.GetValues("x-ratelimit-reset").Single());
        Assert.False((await ReadJsonAsync(third))["success"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
    }
}
