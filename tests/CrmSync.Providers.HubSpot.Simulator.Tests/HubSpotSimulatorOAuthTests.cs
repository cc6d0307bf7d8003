using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorOAuthTests
{
    private const string RedirectUri = "http://localhost:5055/callback";
    private const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough";

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<(string Code, string State)> AuthorizeAsync(HubSpotSimulatorFixture fixture, HttpClient browser, string? challenge)
    {
        var url = $"/oauth/authorize?client_id=crmsync-simulator-client&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=crm.objects.contacts.read%20crm.objects.contacts.write&state=xyz";
        if (challenge is not null)
        {
            url += $"&code_challenge={challenge}&code_challenge_method=S256";
        }

        var page = await browser.GetStringAsync(url);
        var allow = HttpUtility.HtmlDecode(Regex.Match(page, "id=\"allow\" href=\"([^\"]+)\"").Groups[1].Value);
        var redirect = await browser.GetAsync(allow);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        return (query["code"]!, query["state"]!);
    }

    private static HttpClient Browser(HubSpotSimulatorFixture fixture) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Simulator.BaseUrl };

    private static Task<HttpResponseMessage> TokenAsync(HttpClient client, params (string Key, string Value)[] fields)
    {
        var all = new List<KeyValuePair<string, string>>
        {
            new("client_id", "crmsync-simulator-client"),
            new("client_secret", "crmsync-simulator-secret"),
        };
        all.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
        return client.PostAsync("/oauth/v1/token", new FormUrlEncodedContent(all));
    }

    [Fact]
    public async Task Authorize_AllowWithPkce_ExchangesCodeForTokensThatCallTheApi()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);
        var (code, state) = await AuthorizeAsync(fixture, browser, Challenge(Verifier));

        // Act
        var response = await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Verifier));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);
        using var api = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body["access_token"]!.ToString());
        var call = await api.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal("xyz", state);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1800, (int)body["expires_in"]!);
        Assert.Equal("bearer", body["token_type"]!.ToString());
        Assert.False(string.IsNullOrEmpty(body["refresh_token"]!.ToString()));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task Token_WrongCodeVerifier_ReturnsInvalidGrant()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);
        var (code, _) = await AuthorizeAsync(fixture, browser, Challenge(Verifier));

        // Act
        var response = await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Verifier + "-tampered"));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(body["error"]);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
    }

    [Fact]
    public async Task Token_CodeUsedTwice_SecondExchangeReturnsInvalidGrant()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);
        var (code, _) = await AuthorizeAsync(fixture, browser, challenge: null);
        await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));

        // Act
        var response = await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BAD_AUTH_CODE", body["status"]!.ToString());
        Assert.Null(body["error"]);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
    }

    [Theory]
    [InlineData("client_id=wrong&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&scope=a&state=s")]
    [InlineData("client_id=crmsync-simulator-client&scope=a&state=s")]
    [InlineData("client_id=crmsync-simulator-client&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&scope=a")]
    public async Task Authorize_InvalidClientRedirectOrMissingState_Returns400Page(string query)
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);

        // Act
        var response = await browser.GetAsync("/oauth/authorize?" + query);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Authorization error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_MalformedCodeChallenge_RedirectsWithInvalidRequest()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);

        // Act
        var response = await browser.GetAsync($"/oauth/authorize?client_id=crmsync-simulator-client&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=a&state=s&code_challenge=short&code_challenge_method=S256");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=invalid_request", response.Headers.Location!.Query, StringComparison.Ordinal);
        Assert.Contains("state=s", response.Headers.Location!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RefreshAfterRevokeAllTokens_ReturnsInvalidGrant()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var browser = Browser(fixture);
        var (code, _) = await AuthorizeAsync(fixture, browser, challenge: null);
        var tokens = await HubSpotSimulatorFixture.ReadJsonAsync(await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri)));
        var refreshToken = tokens["refresh_token"]!.ToString();
        var refreshed = await TokenAsync(browser, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));

        // Act
        fixture.Simulator.RevokeAllTokens();
        var afterRevoke = await TokenAsync(browser, ("grant_type", "refresh_token"), ("refresh_token", refreshToken));
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(afterRevoke);

        // Assert
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke.StatusCode);
        Assert.Null(body["error"]);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
        Assert.Equal("BAD_REFRESH_TOKEN", body["status"]!.ToString());
    }

    [Fact]
    public async Task Api_TokenPastExpiry_Returns401ExpiredAuthentication()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Time.Advance(TimeSpan.FromSeconds(1807));

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", body["status"]!.ToString());
        Assert.Equal("The OAuth token used to make this call expired 7 second(s) ago.", body["message"]!.ToString());
        Assert.Equal("EXPIRED_AUTHENTICATION", body["category"]!.ToString());
        Assert.Equal("2026-03-10T09:30:00.000Z", body["context"]!["expire time"]![0]!.ToString());
    }

    [Fact]
    public async Task Api_TokenJustBeforeExpiry_Succeeds()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Time.Advance(TimeSpan.FromSeconds(1799));

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExpireAccessTokens_ExistingToken_Returns401Expired()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        fixture.Simulator.ExpireAccessTokens();
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("EXPIRED_AUTHENTICATION", body["category"]!.ToString());
    }

    [Fact]
    public async Task Api_MissingOrRevokedToken_Returns401WithAuthFailureHeader()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        using var anonymous = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var missing = await anonymous.GetAsync("/crm/v3/objects/contacts");
        fixture.Simulator.RevokeAllTokens();
        var revoked = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(revoked);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("401 Unauthorized", missing.Headers.GetValues("x-hubspot-auth-failure").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.StartsWith("Authentication credentials not found.", body["message"]!.ToString(), StringComparison.Ordinal);
    }
}
