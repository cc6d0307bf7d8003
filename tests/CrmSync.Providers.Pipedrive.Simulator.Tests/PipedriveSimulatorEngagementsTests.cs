using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public sealed class PipedriveSimulatorEngagementsTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task CreateNote_LinkedToPerson_IsStoredWithPersonAndUser()
    {
        // Arrange
        var personId = await CreatePersonAsync("Jane");

        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v1/notes", new JsonObject { ["content"] = "<p>Hello</p>", ["person_id"] = personId });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var note = (await ReadJsonAsync(response))["data"]!;
        Assert.Equal(personId, note["person_id"]!.GetValue<long>());
        Assert.Equal("2026-03-10 09:00:00", note["add_time"]!.GetValue<string>());
        var stored = Assert.Single(Sut.GetRecords("notes"));
        Assert.Equal(1001, stored.OwnerId);
        Assert.Equal("<p>Hello</p>", stored.Properties["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateNote_WithoutParent_Returns400()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v1/notes", new JsonObject { ["content"] = "orphan" });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Sut.GetRecords("notes"));
    }

    [Theory]
    [InlineData("call")]
    [InlineData("meeting")]
    [InlineData("email")]
    public async Task CreateActivityV1_WithPersonId_LinksPerson(string type)
    {
        // Arrange
        var personId = await CreatePersonAsync("Jane");

        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v1/activities", new JsonObject
        {
            ["subject"] = "Follow-up",
            ["type"] = type,
            ["person_id"] = personId,
            ["due_date"] = "2026-09-28",
            ["due_time"] = "09:30",
            ["duration"] = "00:15",
            ["done"] = 1,
        });

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var activity = (await ReadJsonAsync(response))["data"]!;
        Assert.Equal(personId, activity["person_id"]!.GetValue<long>());
        Assert.Equal(type, activity["type"]!.GetValue<string>());
        var stored = Assert.Single(Sut.GetRecords("activities"));
        Assert.True(stored.Properties["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateActivityV2_PersonIdOnly_IsIgnoredBecauseReadOnly()
    {
        // Arrange
        var personId = await CreatePersonAsync("Jane");

        // Act
        using var ignored = await SendAsync(HttpMethod.Post, "api/v2/activities", new JsonObject { ["subject"] = "Call", ["type"] = "call", ["person_id"] = personId });
        using var linked = await SendAsync(HttpMethod.Post, "api/v2/activities", new JsonObject
        {
            ["subject"] = "Call",
            ["type"] = "call",
            ["participants"] = new JsonArray(new JsonObject { ["person_id"] = personId, ["primary"] = true }),
        });

        // Assert
        Assert.Null((await ReadJsonAsync(ignored))["data"]!["person_id"]);
        Assert.Equal(personId, (await ReadJsonAsync(linked))["data"]!["person_id"]!.GetValue<long>());
        using var list = await SendAsync(HttpMethod.Get, $"api/v2/activities?person_id={personId}");
        Assert.Single((JsonArray)(await ReadJsonAsync(list))["data"]!);
    }

    [Fact]
    public async Task CreateActivity_UnknownType_Returns400()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/activities", new JsonObject { ["subject"] = "x", ["type"] = "smoke_signal" });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ListUsers_Default_ReturnsSeededUsers()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v1/users");

        // Assert
        var users = (JsonArray)(await ReadJsonAsync(response))["data"]!;
        Assert.Equal(2, users.Count);
        Assert.All(users, u => Assert.True(u!["active_flag"]!.GetValue<bool>()));
        Assert.Equal(2, Sut.GetRecords("users").Count);
    }

    [Fact]
    public async Task GetCurrentUser_ApiToken_ReturnsCompanyDomain()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v1/users/me");

        // Assert
        var me = (await ReadJsonAsync(response))["data"]!;
        Assert.Equal("acme", me["company_domain"]!.GetValue<string>());
        Assert.True(me["is_you"]!.GetValue<bool>());
    }

    [Fact]
    public async Task FindUsers_ByEmail_ReturnsMatch()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v1/users/find?term=sam%40acme.example&search_by_email=1");

        // Assert
        var user = Assert.Single((JsonArray)(await ReadJsonAsync(response))["data"]!)!;
        Assert.Equal(1002, user["id"]!.GetValue<long>());
    }
}
