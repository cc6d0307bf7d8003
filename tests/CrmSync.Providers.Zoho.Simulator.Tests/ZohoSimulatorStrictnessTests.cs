using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

/// <summary>The simulator refuses what Zoho CRM v8 refuses, with Zoho's documented status and body.</summary>
public sealed class ZohoSimulatorStrictnessTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task Coql_TokenWithoutCoqlScope_Answers401ScopeMismatch()
    {
        // Arrange
        var token = await AccessTokenAsync("ZohoCRM.modules.ALL,ZohoCRM.users.READ");

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = "select Last_Name from Contacts where Last_Name = 'Lovelace' limit 10" });

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("OAUTH_SCOPE_MISMATCH", body["code"]!.GetValue<string>());
        Assert.Equal("invalid oauth scope to access this URL", body["message"]!.GetValue<string>());
        Assert.Equal("error", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Users_TokenWithoutUsersScope_Answers401ScopeMismatch()
    {
        // Arrange
        var token = await AccessTokenAsync("ZohoCRM.modules.ALL");

        // Act
        using var response = await SendAsync(HttpMethod.Get, "users?type=ActiveUsers", token);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("OAUTH_SCOPE_MISMATCH", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(200, 1)]
    [InlineData(201, 2)]
    [InlineData(1000, 2)]
    [InlineData(2000, 3)]
    public async Task Coql_Limit_CostsCreditsByItsSize(int limit, int credits)
    {
        // Arrange
        var token = await AccessTokenAsync();
        var before = Sut.GetUsage().Used;

        // Act
        using var response = await SendAsync(HttpMethod.Post, "coql", token, new JsonObject { ["select_query"] = $"select Last_Name from Contacts where Last_Name = 'Lovelace' limit {limit}" });

        // Assert
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent, response.StatusCode.ToString());
        Assert.Equal(credits, Sut.GetUsage().Used - before);
    }

    [Fact]
    public async Task Insert_LeadWithContactsOnlyField_RejectsTheUnknownField()
    {
        // Arrange: Leads keep the job title in Designation; Title belongs to Contacts.
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Lovelace", ["Company"] = "Engines", ["Title"] = "Countess" }),
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("INVALID_DATA", item["code"]!.GetValue<string>());
        Assert.Equal("Title", item["details"]!["api_name"]!.GetValue<string>());
        Assert.Empty(Sut.GetRecords("Leads"));
    }

    [Fact]
    public async Task Insert_ContactWithSeveralErrors_WrapsThemInMultipleOrMultiErrors()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Contacts", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["First_Name"] = "Ada", ["Email"] = "not-an-email" }),
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("MULTIPLE_OR_MULTI_ERRORS", item["code"]!.GetValue<string>());
        var codes = item["details"]!["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()).ToList();
        Assert.Equal(["MANDATORY_NOT_FOUND", "INVALID_DATA"], codes);
    }
}
