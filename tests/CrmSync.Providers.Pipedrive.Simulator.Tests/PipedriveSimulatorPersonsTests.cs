using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public sealed class PipedriveSimulatorPersonsTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task CreatePerson_ValidBody_ReturnsV2EnvelopeWithPrimaryEmail()
    {
        // Arrange
        var body = new JsonObject
        {
            ["name"] = "Jane Doe",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = "jane@acme.example", ["label"] = "work" }),
            ["phones"] = new JsonArray(new JsonObject { ["value"] = "+358401234567", ["primary"] = true, ["label"] = "mobile" }),
        };

        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/persons", body);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.True(json["success"]!.GetValue<bool>());
        var person = json["data"]!;
        Assert.Equal(1, person["id"]!.GetValue<long>());
        Assert.Equal("Jane", person["first_name"]!.GetValue<string>());
        Assert.Equal("Doe", person["last_name"]!.GetValue<string>());
        Assert.True(person["emails"]![0]!["primary"]!.GetValue<bool>());
        Assert.Equal("2026-03-10T09:00:00Z", person["add_time"]!.GetValue<string>());
        Assert.Equal(1001, person["owner_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreatePerson_MissingName_Returns400Envelope()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject { ["emails"] = new JsonArray() });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await ReadJsonAsync(response);
        Assert.False(json["success"]!.GetValue<bool>());
        Assert.Contains("name", json["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(json.ContainsKey("data"));
        Assert.Null(json["data"]);
    }

    [Fact]
    public async Task UpdatePerson_Patch_ChangesOnlyGivenFieldsAndUpdateTime()
    {
        // Arrange
        var id = await CreatePersonAsync("Jane Doe", "jane@acme.example");
        Time.Advance(TimeSpan.FromMinutes(5));

        // Act
        using var response = await SendAsync(HttpMethod.Patch, $"api/v2/persons/{id}", new JsonObject { ["name"] = "Jane Smith" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var person = (await ReadJsonAsync(response))["data"]!;
        Assert.Equal("Jane Smith", person["name"]!.GetValue<string>());
        Assert.Equal("jane@acme.example", person["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("2026-03-10T09:05:00Z", person["update_time"]!.GetValue<string>());
        var stored = Assert.Single(Sut.GetRecords("persons"));
        Assert.Equal(Time.GetUtcNow(), stored.ModifiedAt);
        Assert.Equal("Jane Smith", stored.Properties["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetPerson_UnknownId_Returns404Envelope()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/persons/999");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await ReadJsonAsync(response))["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DeletePerson_Existing_HidesPersonFromGet()
    {
        // Arrange
        var id = await CreatePersonAsync("Gone Person");

        // Act
        using var delete = await SendAsync(HttpMethod.Delete, $"api/v2/persons/{id}");
        using var get = await SendAsync(HttpMethod.Get, $"api/v2/persons/{id}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.True(Sut.GetRecords("persons")[0].Properties["is_deleted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreatePersonField_V1_ReturnsGenerated40CharKeyUsableInCustomFields()
    {
        // Act
        var key = await CreateExternalIdFieldAsync();
        var id = await CreatePersonAsync("Ext Person", customFields: new JsonObject { [key] = "ext-123" });
        using var get = await SendAsync(HttpMethod.Get, $"api/v2/persons/{id}");

        // Assert
        Assert.Equal(40, key.Length);
        Assert.Equal("ext-123", (await ReadJsonAsync(get))["data"]!["custom_fields"]![key]!.GetValue<string>());
        using var fields = await SendAsync(HttpMethod.Get, "api/v1/personFields");
        var list = (JsonArray)(await ReadJsonAsync(fields))["data"]!;
        Assert.Contains(list, f => f!["key"]!.GetValue<string>() == key && f["name"]!.GetValue<string>() == "External ID");
    }

    [Fact]
    public async Task CreatePersonField_V2_ReturnsFieldCode()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/personFields", new JsonObject { ["field_name"] = "External ID", ["field_type"] = "varchar" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await ReadJsonAsync(response))["data"]!;
        Assert.Equal(40, data["field_code"]!.GetValue<string>().Length);
        Assert.True(data["is_custom_field"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreatePersonField_V2Enum_ListsOptionsWithIdsAndPersonsTakeTheId()
    {
        // Arrange
        using var created = await SendAsync(HttpMethod.Post, "api/v2/personFields", new JsonObject
        {
            ["field_name"] = "Tier",
            ["field_type"] = "enum",
            ["options"] = new JsonArray(new JsonObject { ["label"] = "Gold" }, new JsonObject { ["label"] = "Silver" }),
        });
        var key = (await ReadJsonAsync(created))["data"]!["field_code"]!.GetValue<string>();

        // Act
        using var list = await SendAsync(HttpMethod.Get, "api/v2/personFields");
        var field = ((JsonArray)(await ReadJsonAsync(list))["data"]!).Single(f => f!["field_code"]!.GetValue<string>() == key)!;
        var gold = field["options"]!.AsArray().Single(o => o!["label"]!.GetValue<string>() == "Gold")!["id"]!.GetValue<long>();
        using var byLabel = await SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject { ["name"] = "A", ["custom_fields"] = new JsonObject { [key] = "Gold" } });
        using var byId = await SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject { ["name"] = "B", ["custom_fields"] = new JsonObject { [key] = gold } });
        using var withoutOptions = await SendAsync(HttpMethod.Post, "api/v2/personFields", new JsonObject { ["field_name"] = "Empty", ["field_type"] = "enum" });

        // Assert
        Assert.Equal("enum", field["field_type"]!.GetValue<string>());
        Assert.True(field["is_custom_field"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, byLabel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutOptions.StatusCode);
    }

    [Fact]
    public async Task CreatePerson_UnknownCustomFieldKey_Returns400()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject
        {
            ["name"] = "X",
            ["custom_fields"] = new JsonObject { ["0123456789012345678901234567890123456789"] = "v" },
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SearchPersons_ExactCustomField_FindsOnlyMatchingPerson()
    {
        // Arrange
        var key = await CreateExternalIdFieldAsync();
        var wanted = await CreatePersonAsync("A", customFields: new JsonObject { [key] = "ext-1" });
        await CreatePersonAsync("B", customFields: new JsonObject { [key] = "ext-10" });

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/persons/search?term=ext-1&fields=custom_fields&exact_match=true");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJsonAsync(response);
        var item = Assert.Single((JsonArray)json["data"]!["items"]!)!;
        Assert.Equal(wanted, item["item"]!["id"]!.GetValue<long>());
        Assert.Equal("person", item["item"]!["type"]!.GetValue<string>());
        Assert.Equal("ext-1", item["item"]!["custom_fields"]![0]!.GetValue<string>());
        Assert.Null(json["additional_data"]!["next_cursor"]);
    }

    [Fact]
    public async Task SearchPersons_ByEmail_ReturnsEmailsAsStrings()
    {
        // Arrange
        await CreatePersonAsync("Jane", "jane@acme.example");

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/persons/search?term=jane%40acme.example&fields=email&exact_match=true");

        // Assert
        var item = Assert.Single((JsonArray)(await ReadJsonAsync(response))["data"]!["items"]!)!;
        Assert.Equal("jane@acme.example", item["item"]!["emails"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task SearchPersons_OneCharTermWithoutExactMatch_Returns400()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/persons/search?term=j");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SearchPersons_WithSearchLag_MissesFreshRecordUntilLagPasses()
    {
        // Arrange
        using var lagged = PipedriveSimulator.Start(new PipedriveSimulatorOptions { TimeProvider = Time, SearchLag = TimeSpan.FromSeconds(30) });
        using var client = new HttpClient { BaseAddress = lagged.BaseUrl };
        using var create = new HttpRequestMessage(HttpMethod.Post, "api/v2/persons") { Content = new StringContent("{\"name\":\"Fresh\",\"emails\":[{\"value\":\"fresh@acme.example\"}]}", System.Text.Encoding.UTF8, "application/json") };
        create.Headers.Add("x-api-token", lagged.ApiToken);
        (await client.SendAsync(create)).EnsureSuccessStatusCode();

        async Task<int> CountAsync()
        {
            using var search = new HttpRequestMessage(HttpMethod.Get, "api/v2/persons/search?term=fresh%40acme.example&fields=email&exact_match=true");
            search.Headers.Add("x-api-token", lagged.ApiToken);
            using var response = await client.SendAsync(search);
            return ((JsonArray)(await ReadJsonAsync(response))["data"]!["items"]!).Count;
        }

        // Act
        var before = await CountAsync();
        Time.Advance(TimeSpan.FromSeconds(31));
        var after = await CountAsync();

        // Assert
        Assert.Equal(0, before);
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task ListPersons_WithLimit_PagesWithNextCursor()
    {
        // Arrange
        await CreatePersonAsync("P1");
        await CreatePersonAsync("P2");
        await CreatePersonAsync("P3");

        // Act
        using var first = await SendAsync(HttpMethod.Get, "api/v2/persons?limit=2");
        var firstJson = await ReadJsonAsync(first);
        var cursor = firstJson["additional_data"]!["next_cursor"]!.GetValue<string>();
        using var second = await SendAsync(HttpMethod.Get, $"api/v2/persons?limit=2&cursor={Uri.EscapeDataString(cursor)}");
        var secondJson = await ReadJsonAsync(second);

        // Assert
        Assert.Equal(2, ((JsonArray)firstJson["data"]!).Count);
        Assert.Equal("P3", Assert.Single((JsonArray)secondJson["data"]!)!["name"]!.GetValue<string>());
        Assert.Null(secondJson["additional_data"]!["next_cursor"]);
    }
}
