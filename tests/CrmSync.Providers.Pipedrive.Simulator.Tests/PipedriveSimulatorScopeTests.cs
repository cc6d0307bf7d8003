using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

/// <summary>An app given contacts:read, deals:read and users:read (no base, no contacts:full, no activities).</summary>
public sealed class PipedriveSimulatorScopeTests() : PipedriveSimulatorTestBase(o => o.GrantedScopes = "contacts:read deals:read users:read")
{
    internal const string MismatchBody = """{"success":false,"error":"Scope and URL mismatch","errorCode":403,"error_info":"Please check developers.pipedrive.com"}""";

    internal static async Task<HttpResponseMessage> SendBearerAsync(HttpClient http, HttpMethod method, string path, string accessToken, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private async Task<string> AccessTokenAsync() => (await GetOAuthTokenAsync())["access_token"]!.GetValue<string>();

    [Fact]
    public async Task Token_ConfiguredScopes_AreReportedInScope()
    {
        // Act
        var token = await GetOAuthTokenAsync();

        // Assert
        Assert.Equal("contacts:read deals:read users:read", token["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListPersons_TokenWithContactsRead_Succeeds()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendBearerAsync(Http, HttpMethod.Get, "api/v2/persons", token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreatePerson_TokenWithOnlyContactsRead_Returns403ScopeMismatchAndStoresNothing()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendBearerAsync(Http, HttpMethod.Post, "api/v2/persons", token, new JsonObject { ["name"] = "Ada" });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(MismatchBody, await response.Content.ReadAsStringAsync());
        Assert.Empty(Sut.GetRecords("persons"));
    }

    [Fact]
    public async Task CreatePersonField_TokenWithOnlyContactsRead_Returns403ScopeMismatch()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendBearerAsync(Http, HttpMethod.Post, "api/v1/personFields", token, new JsonObject { ["name"] = "External ID", ["field_type"] = "varchar" });

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(MismatchBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListActivities_TokenWithoutActivitiesScope_Returns403ScopeMismatch()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendBearerAsync(Http, HttpMethod.Get, "api/v2/activities", token);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(MismatchBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CurrentUser_TokenWithoutBase_Returns403ScopeMismatch()
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var me = await SendBearerAsync(Http, HttpMethod.Get, "api/v1/users/me", token);
        using var users = await SendBearerAsync(Http, HttpMethod.Get, "api/v1/users", token);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, me.StatusCode);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
    }

    [Theory]
    [InlineData("api/v2/deals")]
    [InlineData("api/v2/stages")]
    [InlineData("api/v2/organizations")]
    [InlineData("api/v2/persons/search?term=Ada")]
    public async Task ReadEndpoint_TokenWithMatchingReadScope_Succeeds(string path)
    {
        // Arrange
        var token = await AccessTokenAsync();

        // Act
        using var response = await SendBearerAsync(Http, HttpMethod.Get, path, token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreatePerson_ApiToken_HoldsEveryScope()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject { ["name"] = "Ada" });

        // Assert
        Assert.True(response.IsSuccessStatusCode);
    }
}

/// <summary>The default app scopes (<c>base contacts:full activities:full users:read</c>): no deals, and contacts read through contacts:full.</summary>
public sealed class PipedriveSimulatorDefaultScopeTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task ListDeals_DefaultScopesWithoutDeals_Returns403ScopeMismatch()
    {
        // Arrange
        var token = (await GetOAuthTokenAsync())["access_token"]!.GetValue<string>();

        // Act
        using var response = await PipedriveSimulatorScopeTests.SendBearerAsync(Http, HttpMethod.Get, "api/v2/deals", token);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(PipedriveSimulatorScopeTests.MismatchBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateAndListPersons_DefaultContactsFull_Succeed()
    {
        // Arrange
        var token = (await GetOAuthTokenAsync())["access_token"]!.GetValue<string>();

        // Act
        using var created = await PipedriveSimulatorScopeTests.SendBearerAsync(Http, HttpMethod.Post, "api/v2/persons", token, new JsonObject { ["name"] = "Ada" });
        using var listed = await PipedriveSimulatorScopeTests.SendBearerAsync(Http, HttpMethod.Get, "api/v2/persons", token);

        // Assert
        Assert.True(created.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }
}

/// <summary>An app given only deals:read: contacts reads are refused.</summary>
public sealed class PipedriveSimulatorDealsOnlyScopeTests() : PipedriveSimulatorTestBase(o => o.GrantedScopes = "base deals:read")
{
    [Theory]
    [InlineData("api/v2/persons")]
    [InlineData("api/v1/personFields")]
    [InlineData("api/v2/persons/search?term=Ada")]
    public async Task ReadContacts_TokenWithoutContactsScope_Returns403ScopeMismatch(string path)
    {
        // Arrange
        var token = (await GetOAuthTokenAsync())["access_token"]!.GetValue<string>();

        // Act
        using var response = await PipedriveSimulatorScopeTests.SendBearerAsync(Http, HttpMethod.Get, path, token);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(PipedriveSimulatorScopeTests.MismatchBody, await response.Content.ReadAsStringAsync());
    }
}
