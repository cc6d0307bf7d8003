using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorSearchTests
{
    private static JsonObject EmailFilter(string email) =>
        new()
        {
            ["filterGroups"] = new JsonArray(new JsonObject
            {
                ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "email", ["operator"] = "EQ", ["value"] = email }),
            }),
            ["properties"] = new JsonArray("email", "phone"),
            ["limit"] = 1,
        };

    [Fact]
    public async Task Search_ByEmail_ReturnsTotalAndResult()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateContactAsync("a@b.com");
        await fixture.CreateContactAsync("c@d.com");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("A@B.com"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (int)body["total"]!);
        Assert.Equal("a@b.com", body["results"]![0]!["properties"]!["email"]!.ToString());
        Assert.False(response.Headers.Contains("X-HubSpot-RateLimit-Max"));
    }

    [Fact]
    public async Task Search_ByExternalIdAndPhoneInOrGroups_MatchesBoth()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.PredefinedUniqueContactProperties.Add("crm_sync_ext_id"));
        await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { email = "a@b.com", crm_sync_ext_id = "ext-1" } });
        await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { email = "c@d.com", phone = "+1 415 555 1212" } });
        var request = new JsonObject
        {
            ["filterGroups"] = new JsonArray(
                new JsonObject { ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "crm_sync_ext_id", ["operator"] = "EQ", ["value"] = "ext-1" }) },
                new JsonObject { ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "phone", ["operator"] = "EQ", ["value"] = "+1 415 555 1212" }) }),
        };

        // Act
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", request));

        // Assert
        Assert.Equal(2, (int)body["total"]!);
    }

    [Fact]
    public async Task Search_SixFilterGroups_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var groups = new JsonArray(Enumerable.Range(0, 6).Select(i => (JsonNode?)new JsonObject
        {
            ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "email", ["operator"] = "EQ", ["value"] = $"{i}@b.com" }),
        }).ToArray());

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", new JsonObject { ["filterGroups"] = groups });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Search_NotHasPropertyWithValue_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var request = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject
            {
                ["filters"] = new JsonArray(new JsonObject { ["propertyName"] = "phone", ["operator"] = "NOT_HAS_PROPERTY", ["value"] = "x" }),
            }),
        };

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", request);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Search_WithIndexingLag_MissesNewRecordThenCreateConflicts()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.SearchIndexingLag = TimeSpan.FromSeconds(5));
        await fixture.CreateContactAsync("a@b.com");

        // Act
        var miss = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com")));
        var conflict = await fixture.CreateContactAsync("a@b.com");
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var hit = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com")));

        // Assert
        Assert.Equal(0, (int)miss["total"]!);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(1, (int)hit["total"]!);
    }

    [Fact]
    public async Task Search_OverSecondlyLimit_Returns429SecondlyWithoutRateLimitHeaders()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.SearchRequestsPerSecond = 2);
        await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com"));
        await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com"));

        // Act
        var limited = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(limited);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var afterSecond = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", EmailFilter("a@b.com"));

        // Assert
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("SECONDLY", body["policyName"]!.ToString());
        Assert.Equal("You have reached your secondly limit.", body["message"]!.ToString());
        Assert.Equal("RATE_LIMIT", body["errorType"]!.ToString());
        Assert.False(limited.Headers.Contains("X-HubSpot-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.OK, afterSecond.StatusCode);
    }
}
