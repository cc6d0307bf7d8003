using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

/// <summary><c>POST /crm/v8/settings/fields</c>: a new organization has no external-id field; a client or an admin adds one.</summary>
public sealed class ZohoSimulatorFieldCreationTests : ZohoSimulatorTestBase
{
    public ZohoSimulatorFieldCreationTests()
        : base(o => o.ExternalIdFieldExists = false)
    {
    }

    private static JsonObject ExternalIdField(string label = "CrmSync External Id", string dataType = "text") => new()
    {
        ["fields"] = new JsonArray(new JsonObject
        {
            ["field_label"] = label,
            ["data_type"] = dataType,
            ["length"] = 255,
            ["unique"] = new JsonObject { ["case_sensitive"] = false },
        }),
    };

    private async Task<JsonArray> ListFieldsAsync(string token, string module = "Contacts")
    {
        using var response = await SendAsync(HttpMethod.Get, $"settings/fields?module={module}", token);
        return (JsonArray)(await ReadJsonAsync(response))["fields"]!;
    }

    [Fact]
    public async Task ListFields_NewOrganization_HasNoExternalIdField()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        var fields = await ListFieldsAsync(token);

        // Assert
        Assert.DoesNotContain(fields, f => f!["api_name"]!.GetValue<string>() == "External_Id");
        Assert.DoesNotContain(fields, f => f!["custom_field"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateFields_UniqueText_Answers201WithIdAndListsItUnderTheApiNameFromTheLabel()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var before = Sut.GetUsage().Used;

        // Act
        using var response = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());
        var credits = Sut.GetUsage().Used - before;

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, credits);
        var result = (await ReadJsonAsync(response))["fields"]![0]!;
        Assert.Equal("SUCCESS", result["code"]!.GetValue<string>());
        Assert.Equal("field created", result["message"]!.GetValue<string>());
        var id = result["details"]!["id"]!.GetValue<string>();
        var field = (await ListFieldsAsync(token)).Single(f => f!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("CrmSync_External_Id", field["api_name"]!.GetValue<string>());
        Assert.Equal("CrmSync External Id", field["field_label"]!.GetValue<string>());
        Assert.True(field["custom_field"]!.GetValue<bool>());
        Assert.Equal("false", field["unique"]!["casesensitive"]!.GetValue<string>());
        Assert.Equal(1, Sut.CreateFieldRequestCount);
    }

    [Fact]
    public async Task CreateFields_ThenUpsertByIt_MatchesAndRefusesDuplicates()
    {
        // Arrange
        var token = await AccessTokenAsync();
        using var created = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());
        var existing = await InsertAsync(token, "Contacts", new JsonObject { ["Last_Name"] = "Old", ["CrmSync_External_Id"] = "ext-1" });

        // Act
        using var upsert = await SendAsync(HttpMethod.Post, "Contacts/upsert", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "New", ["CrmSync_External_Id"] = "ext-1" }),
            ["duplicate_check_fields"] = new JsonArray("CrmSync_External_Id"),
        });
        using var duplicate = await SendAsync(HttpMethod.Post, "Contacts", token, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Twin", ["CrmSync_External_Id"] = "EXT-1" }) });

        // Assert
        var item = (await ReadJsonAsync(upsert))["data"]![0]!;
        Assert.Equal(existing, item["details"]!["id"]!.GetValue<string>());
        Assert.Equal("CrmSync_External_Id", item["duplicate_field"]!.GetValue<string>());
        var refused = (await ReadJsonAsync(duplicate))["data"]![0]!;
        Assert.Equal("DUPLICATE_DATA", refused["code"]!.GetValue<string>());
        Assert.Equal("CrmSync_External_Id", refused["details"]!["api_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateFields_LabelTakenAlready_Answers400DuplicateData()
    {
        // Arrange
        var token = await AccessTokenAsync();
        using var first = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());

        // Act: the same label, and a label whose API name is taken (Email)
        using var again = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField("crmsync external id"));
        using var email = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField("E-mail"));

        // Assert
        foreach (var response in new[] { again, email })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await ReadJsonAsync(response))["fields"]![0]!;
            Assert.Equal("DUPLICATE_DATA", error["code"]!.GetValue<string>());
            Assert.Equal("field_label", error["details"]!["api_name"]!.GetValue<string>());
            Assert.Equal("$.fields[0].field_label", error["details"]!["json_path"]!.GetValue<string>());
            Assert.Equal("error", error["status"]!.GetValue<string>());
        }

        Assert.Single(await ListFieldsAsync(token), f => f!["custom_field"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateFields_UnknownDataType_Answers400InvalidDataOnDataType()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField(dataType: "string"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response))["fields"]![0]!;
        Assert.Equal("INVALID_DATA", error["code"]!.GetValue<string>());
        Assert.Equal("$.fields[0].data_type", error["details"]!["json_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateFields_OneGoodOneBad_Answers207WithEachResult()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var body = new JsonObject
        {
            ["fields"] = new JsonArray(
                new JsonObject { ["field_label"] = "Partner Tier", ["data_type"] = "text" },
                new JsonObject { ["field_label"] = "No Type" }),
        };

        // Act
        using var response = await SendAsync(HttpMethod.Post, "settings/fields?module=Leads", token, body);

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        var results = (JsonArray)(await ReadJsonAsync(response))["fields"]!;
        Assert.Equal("SUCCESS", results[0]!["code"]!.GetValue<string>());
        Assert.Equal("MANDATORY_NOT_FOUND", results[1]!["code"]!.GetValue<string>());
        Assert.Equal("data_type", results[1]!["details"]!["api_name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("settings/fields?module=Widgets", "INVALID_MODULE")]
    [InlineData("settings/fields?module=Notes", "INVALID_MODULE")]
    [InlineData("settings/fields", "REQUIRED_PARAM_MISSING")]
    public async Task CreateFields_UnknownOrMissingModule_Answers400(string path, string code)
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, path, token, ExternalIdField());

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await ReadJsonAsync(response))["code"]!.GetValue<string>());
        Assert.Equal(1, Sut.CreateFieldRequestCount);
    }

    [Fact]
    public async Task CreateFields_TokenWithReadOnlyFieldScope_Answers401ScopeMismatch()
    {
        // Arrange: the read scopes only
        var token = await AccessTokenAsync("ZohoCRM.modules.ALL,ZohoCRM.settings.fields.READ");

        // Act
        using var create = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());
        using var list = await SendAsync(HttpMethod.Get, "settings/fields?module=Contacts", token);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal("OAUTH_SCOPE_MISMATCH", (await ReadJsonAsync(create))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(0, Sut.CreateFieldRequestCount);
    }

    [Theory]
    [InlineData("ZohoCRM.settings.fields.ALL")]
    [InlineData("ZohoCRM.settings.ALL")]
    public async Task CreateFields_TokenWithBroaderScope_CreatesTheField(string scope)
    {
        // Arrange
        var token = await AccessTokenAsync(scope);

        // Act
        using var response = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CreateFields_UserWithoutCustomizePermission_Answers403NoPermissionAndAdminCanAddItLater()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SetUserCanCustomize(false);

        // Act
        using var refused = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());
        var apiName = Sut.AddUniqueTextField("Contacts", "CrmSync External Id");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = await ReadJsonAsync(refused);
        Assert.Equal("NO_PERMISSION", body["code"]!.GetValue<string>());
        Assert.Equal("permission denied", body["message"]!.GetValue<string>());
        Assert.Equal("Crm_Implied_Customize_Zoho_CRM", body["details"]!["permissions"]![0]!.GetValue<string>());
        Assert.Equal("CrmSync_External_Id", apiName);
        var field = (await ListFieldsAsync(token)).Single(f => f!["api_name"]!.GetValue<string>() == apiName)!;
        Assert.Equal("false", field["unique"]!["casesensitive"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upsert_DuplicateCheckOnNonUniqueField_Answers400InvalidData()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendAsync(HttpMethod.Post, "Contacts/upsert", token, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "A", ["Phone"] = "1" }),
            ["duplicate_check_fields"] = new JsonArray("Phone"),
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("INVALID_DATA", body["code"]!.GetValue<string>());
        Assert.Equal("$.duplicate_check_fields[0]", body["details"]!["json_path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_AfterCreatingAField_StartsWithoutItAgain()
    {
        // Arrange
        var token = await AccessTokenAsync();
        using var created = await SendAsync(HttpMethod.Post, "settings/fields?module=Contacts", token, ExternalIdField());

        // Act
        Sut.Reset();
        token = await AccessTokenAsync();

        // Assert
        Assert.DoesNotContain(await ListFieldsAsync(token), f => f!["custom_field"]!.GetValue<bool>());
        Assert.Equal(0, Sut.CreateFieldRequestCount);
    }
}
