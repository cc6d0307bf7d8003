using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

/// <summary>Creating a property needs <c>crm.schemas.{type}.write</c> and a user who may edit property settings.</summary>
public class HubSpotSimulatorPropertyPermissionTests
{
    [Fact]
    public async Task CreateProperty_UserCannotEditProperties_Returns403UserDoesNotHavePermissionsAndCreatesNothing()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetUserCanEditProperties(false);

        // Act
        var response = await fixture.CreateExternalIdPropertyAsync();

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        Assert.Equal("error", body["status"]!.GetValue<string>());
        Assert.Equal("USER_DOES_NOT_HAVE_PERMISSIONS", body["category"]!.GetValue<string>());
        Assert.Equal("The user who authorized this app does not have permission to edit property settings.", body["message"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["correlationId"]!.GetValue<string>(), out _));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync("/crm/v3/properties/contacts/crm_sync_ext_id")).StatusCode);
        Assert.Equal(1, fixture.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public async Task ReadProperty_UserCannotEditProperties_StillSucceeds()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetUserCanEditProperties(false);

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/properties/contacts/email");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ArchiveProperty_UserCannotEditProperties_Returns403AndKeepsTheProperty()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.AddCustomProperty("contacts", "favourite_colour", "Favourite colour");
        fixture.Simulator.SetUserCanEditProperties(false);

        // Act
        var response = await fixture.Client.DeleteAsync("/crm/v3/properties/contacts/favourite_colour");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync("/crm/v3/properties/contacts/favourite_colour")).StatusCode);
    }

    [Fact]
    public async Task CreateProperty_TokenWithoutSchemaWrite_Returns403MissingScopesBeforeThePermissionCheck()
    {
        // Arrange: both refusals apply; the scope is checked first, as HubSpot checks the token before the user
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetUserCanEditProperties(false);
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", fixture.Simulator.IssueAccessToken(HubSpotSimulator.SupportedScopes.Where(s => s != "crm.schemas.contacts.write")));

        // Act
        var response = await fixture.CreateExternalIdPropertyAsync();

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        Assert.Equal("MISSING_SCOPES", body["category"]!.GetValue<string>());
        Assert.Equal(["crm.schemas.contacts.write"], body["errors"]![0]!["context"]!["requiredGranularScopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(1, fixture.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public async Task SetUserCanEditProperties_AllowedAgain_CreateSucceeds()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetUserCanEditProperties(false);
        await fixture.CreateExternalIdPropertyAsync();
        fixture.Simulator.SetUserCanEditProperties(true);

        // Act
        var response = await fixture.CreateExternalIdPropertyAsync();

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, fixture.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public async Task Reset_AfterRefusal_AllowsPropertyChangesAndClearsTheCount()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetUserCanEditProperties(false);
        await fixture.CreateExternalIdPropertyAsync();

        // Act
        fixture.Simulator.Reset();
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Simulator.IssueAccessToken());
        var response = await fixture.CreateExternalIdPropertyAsync();

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, fixture.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public async Task AddCustomProperty_Unique_IsUsableAsUpsertIdProperty()
    {
        // Arrange: a super admin created the property in the settings
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.AddCustomProperty("contacts", "crm_sync_ext_id", "CrmSync external id", hasUniqueValue: true);

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/batch/upsert", new
        {
            inputs = new[] { new { id = "ext-1", idProperty = "crm_sync_ext_id", properties = new Dictionary<string, string> { ["email"] = "a@example.test" } } },
        });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var property = await HubSpotSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync("/crm/v3/properties/contacts/crm_sync_ext_id"));
        Assert.True(property["hasUniqueValue"]!.GetValue<bool>());
        Assert.Equal(0, fixture.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public void AddCustomProperty_UniqueOnEngagement_Throws()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act + Assert
        Assert.Throws<ArgumentException>(() => fixture.Simulator.AddCustomProperty("notes", "crm_sync_ext_id", "CrmSync external id", hasUniqueValue: true));
    }
}
