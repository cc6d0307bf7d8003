using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorContactTests
{
    [Fact]
    public async Task CreateContact_ValidProperties_Returns201AndStoresRecord()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { email = "Ann@Example.com", firstname = "Ann", hubspot_owner_id = "1001" } });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        var record = Assert.Single(fixture.Simulator.GetRecords("contacts"));

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(record.Id, body["id"]!.ToString());
        Assert.Equal("ann@example.com", record.Properties["email"]);
        Assert.Equal("1001", record.OwnerId);
        Assert.Equal(fixture.Time.GetUtcNow(), record.CreatedAt);
        Assert.Equal("2026-03-10T09:00:00.000Z", body["createdAt"]!.ToString());
        Assert.False((bool)body["archived"]!);
    }

    [Fact]
    public async Task CreateContact_DuplicateEmail_Returns409WithExistingId()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var first = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com"));

        // Act
        var response = await fixture.CreateContactAsync("A@B.com");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"Contact already exists. Existing ID: {first["id"]}", body["message"]!.ToString());
        Assert.Equal("CONFLICT", body["category"]!.ToString());
        Assert.Equal("error", body["status"]!.ToString());
    }

    [Theory]
    [InlineData("{\"properties\":{\"email\":\"not-an-email\"}}", "INVALID_EMAIL", "email")]
    [InlineData("{\"properties\":{\"hs_lead_status\":\"MAYBE\"}}", "INVALID_OPTION", "hs_lead_status")]
    [InlineData("{\"properties\":{\"favourite_colour\":\"blue\"}}", "PROPERTY_DOESNT_EXIST", "favourite_colour")]
    [InlineData("{\"properties\":{\"hubspot_owner_id\":\"999\"}}", "INVALID_OPTION", "hubspot_owner_id")]
    [InlineData("{\"properties\":{\"createdate\":\"2020-01-01\"}}", "READ_ONLY_VALUE", "createdate")]
    public async Task CreateContact_InvalidProperty_Returns400ValidationError(string json, string code, string property)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsync("/crm/v3/objects/contacts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        var message = body["message"]!.ToString();

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
        Assert.StartsWith("Property values were not valid: [{\"isValid\":false,", message, StringComparison.Ordinal);
        Assert.Contains($"\"error\":\"{code}\",\"name\":\"{property}\"", message, StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task CreateContact_TextValueOverHubSpotsLimit_Returns400NamingThePropertyAndLimit()
    {
        // Arrange: HubSpot documents 65,536 characters as the limit of a string property.
        using var fixture = new HubSpotSimulatorFixture();
        var tooLong = new string('x', 65_537);

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { jobtitle = tooLong } });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        var message = body["message"]!.ToString();

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
        Assert.Contains("\"error\":\"INVALID_STRING_LENGTH\",\"name\":\"jobtitle\"", message, StringComparison.Ordinal);
        Assert.Contains("65537 characters long; the maximum is 65536", message, StringComparison.Ordinal);
        Assert.DoesNotContain(tooLong, message, StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task CreateContact_TextValueAtHubSpotsLimit_Stored()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var longest = new string('x', 65_536);

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { jobtitle = longest } });

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(longest, Assert.Single(fixture.Simulator.GetRecords("contacts")).Properties["jobtitle"]);
    }

    [Fact]
    public async Task CreateContact_ControlCharactersAndEmoji_StoredVerbatim()
    {
        // Arrange: HubSpot documents no rule for control characters in string properties; the simulator keeps them as sent.
        using var fixture = new HubSpotSimulatorFixture();
        const string FirstName = "Zo\u00eb \ud83d\ude80\ud83d\udc69\u200d\ud83d\udcbb";
        const string LastName = "Bell\u0000\u0007";

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts", new { properties = new { firstname = FirstName, lastname = LastName } });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var record = Assert.Single(fixture.Simulator.GetRecords("contacts"));
        Assert.Equal(FirstName, record.Properties["firstname"]);
        Assert.Equal(LastName, record.Properties["lastname"]);
        Assert.Equal(LastName, body["properties"]!["lastname"]!.ToString());
    }

    [Fact]
    public async Task GetContact_ByEmailIdProperty_ReturnsSimplePublicObject()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateContactAsync("a@b.com", "Ann");

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts/a@b.com?idProperty=email&properties=email,firstname,phone");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        var properties = body["properties"]!.AsObject();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ann", properties["firstname"]!.ToString());
        Assert.Null(properties["phone"]);
        Assert.True(properties.ContainsKey("phone"));
        Assert.Equal(body["id"]!.ToString(), properties["hs_object_id"]!.ToString());
    }

    [Fact]
    public async Task GetContact_Unknown_Returns404Body()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts/424242");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("resource not found", body["message"]!.ToString());
    }

    [Fact]
    public async Task UpdateContact_EmptyStringValue_ClearsProperty()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var created = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com", "Ann"));
        fixture.Time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var response = await fixture.Client.PatchAsJsonAsync($"/crm/v3/objects/contacts/{created["id"]}", new { properties = new { firstname = string.Empty, lastname = "Doe" } });
        var record = Assert.Single(fixture.Simulator.GetRecords("contacts"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(record.Properties.ContainsKey("firstname"));
        Assert.Equal("Doe", record.Properties["lastname"]);
        Assert.Equal(record.CreatedAt + TimeSpan.FromMinutes(5), record.UpdatedAt);
    }

    [Fact]
    public async Task DateVersionedPath_CreateAndList_SharesStore()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.Client.PostAsJsonAsync("/crm/objects/2026-03/contacts", new { properties = new { email = "a@b.com" } });

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Single(body["results"]!.AsArray());
    }

    [Fact]
    public async Task ListContacts_MoreThanLimit_ReturnsPagingCursor()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        for (var i = 0; i < 3; i++)
        {
            await fixture.CreateContactAsync($"c{i}@b.com");
        }

        // Act
        var first = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/objects/contacts?limit=2"));
        var after = first["paging"]!["next"]!["after"]!.ToString();
        var second = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"/crm/v3/objects/contacts?limit=2&after={after}"));

        // Assert
        Assert.Equal(2, first["results"]!.AsArray().Count);
        Assert.Single(second["results"]!.AsArray());
        Assert.Null(second["paging"]);
    }

    [Fact]
    public async Task Owners_ListAndGetByUserId_ReturnPublicOwners()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var list = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/owners?email=sam.seller@example.com"));
        var byUserId = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/owners/9001?idProperty=userId"));

        // Assert
        var owner = Assert.Single(list["results"]!.AsArray())!;
        Assert.Equal("1002", owner["id"]!.ToString());
        Assert.Equal(9002, (long)owner["userId"]!);
        Assert.Equal("PERSON", owner["type"]!.ToString());
        Assert.Equal("1001", byUserId["id"]!.ToString());
    }

    [Fact]
    public async Task UnknownObjectType_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/widgets");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Unable to infer object type from: widgets", body["message"]!.ToString());
    }

    [Fact]
    public void GetRecords_UnknownType_Throws()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var error = Record.Exception(() => fixture.Simulator.GetRecords("widgets"));

        // Assert
        Assert.IsType<ArgumentException>(error);
    }

    internal static JsonObject Contact(string email, string? extId = null)
    {
        var properties = new JsonObject { ["email"] = email };
        if (extId is not null)
        {
            properties["crm_sync_ext_id"] = extId;
        }

        return new JsonObject { ["properties"] = properties };
    }
}
