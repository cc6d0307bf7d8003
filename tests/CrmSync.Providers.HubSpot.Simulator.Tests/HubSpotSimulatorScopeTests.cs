using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

/// <summary>Every endpoint needs HubSpot's documented scope; a token without it gets 403 <c>MISSING_SCOPES</c>.</summary>
public class HubSpotSimulatorScopeTests
{
    private const string ScopesUrl = "https://developers.hubspot.com/scopes";

    private static void UseToken(HubSpotSimulatorFixture fixture, params string[] scopes) =>
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Simulator.IssueAccessToken(scopes));

    private static async Task AssertMissingScopesAsync(HttpResponseMessage response, params string[] required)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        Assert.Equal("error", body["status"]!.GetValue<string>());
        Assert.Equal("This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", body["message"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["correlationId"]!.GetValue<string>(), out _));
        Assert.Equal("MISSING_SCOPES", body["category"]!.GetValue<string>());
        Assert.Equal(ScopesUrl, body["links"]!["scopes"]!.GetValue<string>());
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal("One or more of the following scopes are required.", error["message"]!.GetValue<string>());
        Assert.Equal(required, error["context"]!["requiredGranularScopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task ListContacts_TokenWithoutContactsRead_Returns403MissingScopes()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.write", "crm.objects.owners.read");

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        await AssertMissingScopesAsync(response, "crm.objects.contacts.read");
    }

    [Fact]
    public async Task ListContacts_TokenWithContactsRead_Succeeds()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.read");

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreateContact_TokenWithOnlyContactsRead_Returns403AndStoresNothing()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.read");

        // Act
        var response = await fixture.CreateContactAsync("ann@example.com");

        // Assert
        await AssertMissingScopesAsync(response, "crm.objects.contacts.write");
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task CreateContact_TokenWithContactsWrite_Succeeds()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.write");

        // Act
        var response = await fixture.CreateContactAsync("ann@example.com");

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task SearchContacts_TokenWithoutContactsRead_Returns403MissingScopes()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.write");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/contacts/search", new { filterGroups = Array.Empty<object>() });

        // Assert
        await AssertMissingScopesAsync(response, "crm.objects.contacts.read");
    }

    [Theory]
    [InlineData("crm.objects.deals.read", HttpStatusCode.OK)]
    [InlineData("crm.objects.contacts.read", HttpStatusCode.Forbidden)]
    public async Task ListDeals_GrantedScope_ForbiddenWithoutDealsRead(string scope, HttpStatusCode expected)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, scope);

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/deals");

        // Assert
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            await AssertMissingScopesAsync(response, "crm.objects.deals.read");
        }
    }

    [Theory]
    [InlineData("crm.objects.owners.read", HttpStatusCode.OK)]
    [InlineData("crm.objects.contacts.read", HttpStatusCode.Forbidden)]
    public async Task ListOwners_GrantedScope_ForbiddenWithoutOwnersRead(string scope, HttpStatusCode expected)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, scope);

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/owners");

        // Assert
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task CreateEmailEngagement_TokenWithoutContactsWrite_Returns403ForContactsWrite()
    {
        // Arrange: engagements take the contacts scopes.
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.read");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v3/objects/emails", new { properties = new { hs_timestamp = "2026-03-10T09:00:00Z" } });

        // Assert
        await AssertMissingScopesAsync(response, "crm.objects.contacts.write");
    }

    [Fact]
    public async Task CreateProperty_TokenWithObjectWriteButNoSchemasWrite_Returns403()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.read", "crm.objects.contacts.write");

        // Act
        var response = await fixture.CreateExternalIdPropertyAsync();

        // Assert
        await AssertMissingScopesAsync(response, "crm.schemas.contacts.write");
    }

    [Fact]
    public async Task GetProperty_TokenWithObjectReadOnly_Succeeds()
    {
        // Arrange: property definitions are readable with the object's read scope or its schemas read scope.
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.contacts.read");

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/properties/contacts/email");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ReadAssociations_TokenWithoutCompaniesRead_Returns403ForCompaniesRead()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        UseToken(fixture, "crm.objects.deals.read");

        // Act
        var response = await fixture.Client.PostAsJsonAsync("/crm/v4/associations/deals/companies/batch/read", new { inputs = new[] { new { id = "1" } } });

        // Assert
        await AssertMissingScopesAsync(response, "crm.objects.companies.read");
    }

    [Fact]
    public async Task ListContacts_PrivateAppTokenCreatedWithoutContactsRead_Returns403MissingScopes()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o =>
        {
            o.PrivateAppTokens.Add("pat-na1-owners-only");
            o.PrivateAppTokenScopes["pat-na1-owners-only"] = ["crm.objects.owners.read"];
        });
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pat-na1-owners-only");

        // Act
        var contacts = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var owners = await fixture.Client.GetAsync("/crm/v3/owners");

        // Assert
        await AssertMissingScopesAsync(contacts, "crm.objects.contacts.read");
        Assert.Equal(HttpStatusCode.OK, owners.StatusCode);
    }

    [Fact]
    public async Task Authorize_OptionalScopes_AreGrantedWithTheRequiredOnes()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Simulator.BaseUrl };
        var page = await browser.GetStringAsync("/oauth/authorize?client_id=crmsync-simulator-client&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&scope=crm.objects.contacts.read&optional_scope=crm.objects.deals.read&state=s");
        var allow = HttpUtility.HtmlDecode(Regex.Match(page, "id=\"allow\" href=\"([^\"]+)\"").Groups[1].Value);
        var code = HttpUtility.ParseQueryString((await browser.GetAsync(allow)).Headers.Location!.Query)["code"]!;

        // Act
        var token = await browser.PostAsync("/oauth/v1/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "crmsync-simulator-client",
            ["client_secret"] = "crmsync-simulator-secret",
            ["redirect_uri"] = "http://localhost/cb",
            ["code"] = code,
        }));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(token);
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["access_token"]!.GetValue<string>());
        var deals = await fixture.Client.GetAsync("/crm/v3/objects/deals");
        var owners = await fixture.Client.GetAsync("/crm/v3/owners");

        // Assert
        Assert.Equal(["crm.objects.contacts.read", "crm.objects.deals.read"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, deals.StatusCode);
        await AssertMissingScopesAsync(owners, "crm.objects.owners.read");
    }
}
