using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorBatchTests
{
    private static JsonObject UpsertInput(string extId, string email) =>
        new()
        {
            ["idProperty"] = "crm_sync_ext_id",
            ["id"] = extId,
            ["properties"] = new JsonObject { ["email"] = email, ["firstname"] = "Ann" },
        };

    private static Task<HttpResponseMessage> UpsertAsync(HttpClient client, params JsonObject[] inputs) =>
        client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/upsert", new JsonObject { ["inputs"] = new JsonArray(inputs) });

    [Fact]
    public async Task BatchUpsert_IdPropertyNotCreated_Returns400PropertyDoesntExist()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await UpsertAsync(fixture.Client, UpsertInput("ext-1", "a@b.com"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("PROPERTY_DOESNT_EXIST", body["message"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task CreateProperty_AlreadyExists_Returns409()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var created = await fixture.CreateExternalIdPropertyAsync();

        // Act
        var again = await fixture.CreateExternalIdPropertyAsync();
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(again);
        var read = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/properties/contacts/crm_sync_ext_id"));

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Property named 'crm_sync_ext_id' already exists.", body["message"]!.ToString());
        Assert.True((bool)read["hasUniqueValue"]!);
    }

    [Fact]
    public async Task CreateProperty_MissingRequiredAttributes_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/properties/contacts", new { name = "x_id" });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[label, type, fieldType, groupName]", body["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchUpsert_NewThenExisting_ReportsNewFlagAndUpdatesInPlace()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateExternalIdPropertyAsync();

        // Act
        var first = await HubSpotSimulatorFixture.ReadJsonAsync(await UpsertAsync(fixture.Client, UpsertInput("ext-1", "a@b.com")));
        var secondResponse = await UpsertAsync(fixture.Client, UpsertInput("ext-1", "new@b.com"));
        var second = await HubSpotSimulatorFixture.ReadJsonAsync(secondResponse);
        var record = Assert.Single(fixture.Simulator.GetRecords("contacts"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.Equal("COMPLETE", second["status"]!.ToString());
        Assert.True((bool)first["results"]![0]!["new"]!);
        Assert.False((bool)second["results"]![0]!["new"]!);
        Assert.Equal("new@b.com", record.Properties["email"]);
        Assert.Equal("ext-1", record.Properties["crm_sync_ext_id"]);
    }

    [Fact]
    public async Task BatchUpsert_ValuesChangedAndRecordsArchived_MatchesOnlyLiveRecordsByTheirCurrentValues()
    {
        // Arrange: ext-1 moves from a@b.com to new@b.com; the contact holding ext-2 is archived.
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateExternalIdPropertyAsync();
        await UpsertAsync(fixture.Client, UpsertInput("ext-1", "a@b.com"), UpsertInput("ext-2", "two@b.com"));
        await UpsertAsync(fixture.Client, UpsertInput("ext-1", "new@b.com"));
        var archivedId = fixture.Simulator.GetRecords("contacts").Single(r => r.Properties["crm_sync_ext_id"] == "ext-2").Id;
        await fixture.Client.DeleteAsync($"/crm/v3/objects/contacts/{archivedId}");

        // Act
        var freedEmail = await HubSpotSimulatorFixture.ReadJsonAsync(await UpsertAsync(fixture.Client, UpsertInput("ext-3", "a@b.com")));
        var takenEmailResponse = await UpsertAsync(fixture.Client, UpsertInput("ext-4", "new@b.com"));
        var takenEmail = await HubSpotSimulatorFixture.ReadJsonAsync(takenEmailResponse);
        var afterArchive = await HubSpotSimulatorFixture.ReadJsonAsync(await UpsertAsync(fixture.Client, UpsertInput("ext-2", "two@b.com")));
        var live = fixture.Simulator.GetRecords("contacts").Where(r => !r.Archived).ToList();

        // Assert
        Assert.True((bool)freedEmail["results"]![0]!["new"]!);
        Assert.Equal((HttpStatusCode)207, takenEmailResponse.StatusCode);
        Assert.Equal("CONFLICT", takenEmail["errors"]![0]!["category"]!.ToString());
        Assert.True((bool)afterArchive["results"]![0]!["new"]!);
        Assert.NotEqual(archivedId, afterArchive["results"]![0]!["id"]!.ToString());
        Assert.Equal(["ext-1", "ext-2", "ext-3"], live.Select(r => r.Properties["crm_sync_ext_id"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BatchUpsert_OneInvalidEmail_Returns207WithPartialResults()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateExternalIdPropertyAsync();

        // Act
        var response = await UpsertAsync(fixture.Client, UpsertInput("ext-1", "a@b.com"), UpsertInput("ext-2", "broken"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        var error = body["errors"]![0]!;

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal(1, (int)body["numErrors"]!);
        Assert.Single(body["results"]!.AsArray());
        Assert.Equal("VALIDATION_ERROR", error["category"]!.ToString());
        Assert.Equal("INVALID_EMAIL", error["errors"]![0]!["code"]!.ToString());
        Assert.Equal("ext-2", error["context"]!["ids"]![0]!.ToString());
        Assert.Single(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task BatchUpsert_DuplicateIdsInOneRequest_Returns400()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateExternalIdPropertyAsync();

        // Act
        var response = await UpsertAsync(fixture.Client, UpsertInput("ext-1", "a@b.com"), UpsertInput("ext-1", "c@b.com"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Theory]
    [InlineData(100, HttpStatusCode.Created)]
    [InlineData(101, HttpStatusCode.BadRequest)]
    public async Task BatchCreate_InputCountAtAndOverCap_EnforcesLimitOf100(int count, HttpStatusCode expected)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var inputs = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)HubSpotSimulatorContactTests.Contact($"c{i}@b.com")).ToArray());

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/create", new JsonObject { ["inputs"] = inputs });

        // Assert
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.Created ? count : 0, fixture.Simulator.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task BatchCreate_DuplicateEmail_Returns207WithConflictError()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var existing = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com"));
        var inputs = new JsonArray(HubSpotSimulatorContactTests.Contact("a@b.com"), HubSpotSimulatorContactTests.Contact("z@b.com"));

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/create", new JsonObject { ["inputs"] = inputs });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal("CONFLICT", body["errors"]![0]!["category"]!.ToString());
        Assert.Equal($"Contact already exists. Existing ID: {existing["id"]}", body["errors"]![0]!["message"]!.ToString());
    }

    [Fact]
    public async Task BatchRead_ByEmailWithOneMissing_Returns207ObjectNotFound()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateContactAsync("a@b.com");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/read", new
        {
            idProperty = "email",
            inputs = new[] { new { id = "a@b.com" }, new { id = "missing@b.com" } },
            properties = new[] { "email" },
        });
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal("a@b.com", body["results"]![0]!["properties"]!["email"]!.ToString());
        Assert.Equal("OBJECT_NOT_FOUND", body["errors"]![0]!["category"]!.ToString());
        Assert.Equal("missing@b.com", body["errors"]![0]!["context"]!["ids"]![0]!.ToString());
    }

    [Fact]
    public async Task BatchUpdate_UnknownId_Returns207AndUpdatesTheRest()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        var created = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.CreateContactAsync("a@b.com"));

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/update", new
        {
            inputs = new[]
            {
                new { id = created["id"]!.ToString(), properties = new { lastname = "Doe" } },
                new { id = "999999", properties = new { lastname = "Nobody" } },
            },
        });

        // Assert
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        Assert.Equal("Doe", Assert.Single(fixture.Simulator.GetRecords("contacts")).Properties["lastname"]);
    }
}
