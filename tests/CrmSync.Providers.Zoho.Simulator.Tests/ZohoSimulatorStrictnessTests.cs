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

    [Theory]
    [InlineData("Created_Time", "2020-01-01T00:00:00+00:00")]
    [InlineData("Modified_Time", "2020-01-01T00:00:00+00:00")]
    public async Task Insert_ReadOnlySystemField_RefusesTheRecordWithInvalidDataOnThatField(string field, string value)
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Contacts", token, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Lovelace", [field] = value }) });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("INVALID_DATA", item["code"]!.GetValue<string>());
        Assert.Equal(field, item["details"]!["api_name"]!.GetValue<string>());
        Assert.Equal($"$.data[0].{field}", item["details"]!["json_path"]!.GetValue<string>());
        Assert.Empty(Sut.GetRecords("Contacts"));
    }

    [Theory]
    [InlineData("Created_By")]
    [InlineData("Modified_By")]
    public async Task Update_ReadOnlyUserField_RefusesTheRecordAndLeavesItUnchanged(string field)
    {
        // Arrange
        var token = await AccessTokenAsync();
        var id = await InsertAsync(token, "Calls", new JsonObject { ["Subject"] = "Intro", ["Call_Type"] = "Outbound", ["Call_Start_Time"] = "2026-03-10T09:00:00+00:00" });

        // Act
        using var response = await SendAsync(HttpMethod.Put, "Calls", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["id"] = id, ["Subject"] = "Changed", [field] = new JsonObject { ["id"] = "5725767000000411002" } }),
        });

        // Assert
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("INVALID_DATA", item["code"]!.GetValue<string>());
        Assert.Equal(field, item["details"]!["api_name"]!.GetValue<string>());
        Assert.Equal("Intro", Sut.GetRecords("Calls").Single().Fields["Subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upsert_ReadOnlyAndMissingFields_AnswersMultipleErrorsNamingEach()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Leads/upsert", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Email"] = "a@b.example", ["Created_Time"] = "2020-01-01T00:00:00+00:00" }),
        });

        // Assert
        var item = (await ReadJsonAsync(response))["data"]![0]!;
        Assert.Equal("MULTIPLE_OR_MULTI_ERRORS", item["code"]!.GetValue<string>());
        var codes = item["details"]!["errors"]!.AsArray().Select(e => $"{e!["code"]}:{e["details"]!["api_name"]}").ToList();
        Assert.Equal(["INVALID_DATA:Created_Time", "MANDATORY_NOT_FOUND:Last_Name"], codes);
    }

    [Fact]
    public async Task Update_IdOnly_IsNotAReadOnlyViolation()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var id = await InsertAsync(token, "Contacts", new JsonObject { ["Last_Name"] = "Lovelace" });

        // Act
        using var response = await SendAsync(HttpMethod.Put, "Contacts", token, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["id"] = id, ["Last_Name"] = "Byron" }) });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ListFields_SystemFields_AreListedReadOnly()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "settings/fields?module=Leads", token);

        // Assert
        var fields = (await ReadJsonAsync(response))["fields"]!.AsArray().ToDictionary(f => f!["api_name"]!.GetValue<string>(), f => f!);
        Assert.All(new[] { "id", "Created_Time", "Modified_Time", "Created_By", "Modified_By" }, name =>
        {
            Assert.True(fields[name]["read_only"]!.GetValue<bool>());
            Assert.False(fields[name]["operation_type"]!["api_create"]!.GetValue<bool>());
        });
        Assert.False(fields["Last_Name"]["read_only"]!.GetValue<bool>());
    }
}
