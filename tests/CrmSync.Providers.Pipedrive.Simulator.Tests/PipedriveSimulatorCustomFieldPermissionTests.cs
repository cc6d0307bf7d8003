using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

/// <summary>Adding a person field needs a user whose permission set allows adding custom fields (<c>can_add_custom_fields</c>).</summary>
public sealed class PipedriveSimulatorCustomFieldPermissionTests : PipedriveSimulatorTestBase
{
    private const string RefusedBody = "{\"success\":false,\"error\":\"You do not have permission to add custom fields.\",\"errorCode\":403,\"error_info\":\"Please check developers.pipedrive.com\",\"data\":null,\"additional_data\":null}";

    [Theory]
    [InlineData("api/v1/personFields", "name")]
    [InlineData("api/v2/personFields", "field_name")]
    public async Task CreatePersonField_UserMayNotAddCustomFields_Returns403AndCreatesNothing(string path, string nameProperty)
    {
        // Arrange
        Sut.SetUserCanAddCustomFields(false);

        // Act
        using var response = await SendAsync(HttpMethod.Post, path, new JsonObject { [nameProperty] = "External ID", ["field_type"] = "varchar" });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RefusedBody, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(Sut.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
        Assert.Equal(1, Sut.CreatePersonFieldRequestCount);
    }

    [Fact]
    public async Task ListPersonFields_UserMayNotAddCustomFields_StillSucceeds()
    {
        // Arrange
        Sut.SetUserCanAddCustomFields(false);

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/personFields");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreatePersonField_PermissionGivenAgain_Succeeds()
    {
        // Arrange
        Sut.SetUserCanAddCustomFields(false);
        using var refused = await SendAsync(HttpMethod.Post, "api/v2/personFields", new JsonObject { ["field_name"] = "External ID", ["field_type"] = "varchar" });
        Sut.SetUserCanAddCustomFields(true);

        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/personFields", new JsonObject { ["field_name"] = "External ID", ["field_type"] = "varchar" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Sut.CreatePersonFieldRequestCount);
        Assert.Single(Sut.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AddCustomPersonField_UserMayNotAddCustomFields_AdminAddsItAndPersonsTakeIt()
    {
        // Arrange: an admin adds the field in Company settings › Data fields
        Sut.SetUserCanAddCustomFields(false);
        var key = Sut.AddCustomPersonField("External ID");

        // Act
        var id = await CreatePersonAsync("Ada", customFields: new JsonObject { [key] = "c-1" });

        // Assert
        Assert.Equal("c-1", Assert.Single(Sut.GetRecords("persons"), p => p.Id == id).Properties["custom_fields"]![key]!.GetValue<string>());
        Assert.Equal(0, Sut.CreatePersonFieldRequestCount);
    }

    [Fact]
    public async Task Reset_AfterRefusal_AllowsFieldCreationAndClearsTheCount()
    {
        // Arrange
        Sut.SetUserCanAddCustomFields(false);
        using var refused = await SendAsync(HttpMethod.Post, "api/v1/personFields", new JsonObject { ["name"] = "External ID", ["field_type"] = "varchar" });

        // Act
        Sut.Reset();
        var key = await CreateExternalIdFieldAsync();

        // Assert
        Assert.NotEmpty(key);
        Assert.Equal(1, Sut.CreatePersonFieldRequestCount);
    }
}
