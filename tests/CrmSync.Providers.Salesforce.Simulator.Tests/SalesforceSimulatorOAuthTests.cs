using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Web;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

public class SalesforceSimulatorOAuthTests
{
    private const string RedirectUri = "http://localhost:5055/sf/callback";
    private const string Verifier = "sf-verifier-0123456789-0123456789-0123456789-abcdef";

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static HttpClient Browser(SalesforceSimulatorFixture fixture) =>
        new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Simulator.BaseUrl };

    private static async Task<string> AuthorizeAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync($"/services/oauth2/authorize?response_type=code&client_id=crmsync-simulator-client&redirect_uri={Uri.EscapeDataString(RedirectUri)}&scope=api%20refresh_token&state=st1&code_challenge={Challenge(Verifier)}&code_challenge_method=S256");
        var allow = HttpUtility.HtmlDecode(Regex.Match(page, "id=\"allow\" href=\"([^\"]+)\"").Groups[1].Value);
        var redirect = await browser.GetAsync(allow);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var query = HttpUtility.ParseQueryString(redirect.Headers.Location!.Query);
        Assert.Equal("st1", query["state"]);
        return query["code"]!;
    }

    private static Task<HttpResponseMessage> TokenAsync(HttpClient client, params (string Key, string Value)[] fields) =>
        client.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("client_id", "crmsync-simulator-client"))));

    [Fact]
    public async Task Token_AuthorizationCodeWithPkce_ReturnsInstanceUrlWithoutExpiresIn()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var browser = Browser(fixture);
        var code = await AuthorizeAsync(browser);

        // Act
        var response = await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Verifier));
        var body = (await SalesforceSimulatorFixture.ReadJsonAsync(response)).AsObject();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.Simulator.BaseUrl.ToString().TrimEnd('/'), body["instance_url"]!.ToString());
        Assert.Equal("Bearer", body["token_type"]!.ToString());
        Assert.StartsWith("5Aep", body["refresh_token"]!.ToString(), StringComparison.Ordinal);
        Assert.False(body.ContainsKey("expires_in"));
        Assert.Equal(fixture.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), body["issued_at"]!.ToString());
    }

    [Fact]
    public async Task Token_WrongVerifier_ReturnsInvalidGrantObject()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var browser = Browser(fixture);
        var code = await AuthorizeAsync(browser);

        // Act
        var response = await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Verifier + "x"));
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", body["error"]!.ToString());
    }

    [Fact]
    public async Task Token_RefreshAfterRevoke_ReturnsExpiredAccessRefreshToken()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var browser = Browser(fixture);
        var code = await AuthorizeAsync(browser);
        var tokens = await SalesforceSimulatorFixture.ReadJsonAsync(await TokenAsync(browser, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RedirectUri), ("code_verifier", Verifier)));
        var refresh = tokens["refresh_token"]!.ToString();
        var refreshed = (await SalesforceSimulatorFixture.ReadJsonAsync(await TokenAsync(browser, ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_secret", "crmsync-simulator-secret")))).AsObject();

        // Act
        fixture.Simulator.RevokeAllTokens();
        var response = await TokenAsync(browser, ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_secret", "crmsync-simulator-secret"));
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.True(refreshed.ContainsKey("access_token"));
        Assert.False(refreshed.ContainsKey("refresh_token"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\"}", body.ToJsonString());
    }

    [Fact]
    public async Task Authorize_UnknownClient_Returns400Page()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var browser = Browser(fixture);

        // Act
        var response = await browser.GetAsync($"/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=s");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Api_SessionIdleLongerThanTimeout_Returns401InvalidSessionId()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture(o => o.SessionTimeout = TimeSpan.FromMinutes(30));
        var active = await fixture.Client.GetAsync($"{SalesforceSimulatorFixture.Api}/limits");
        fixture.Time.Advance(TimeSpan.FromMinutes(29));
        var slid = await fixture.Client.GetAsync($"{SalesforceSimulatorFixture.Api}/limits");
        fixture.Time.Advance(TimeSpan.FromMinutes(30));

        // Act
        var response = await fixture.Client.GetAsync($"{SalesforceSimulatorFixture.Api}/limits");

        // Assert
        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpireAccessTokens_ThenCall_Returns401()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        fixture.Simulator.ExpireAccessTokens();
        var response = await fixture.Client.GetAsync($"{SalesforceSimulatorFixture.Api}/limits");

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("refresh_token openid", HttpStatusCode.Unauthorized)]
    [InlineData("api", HttpStatusCode.OK)]
    [InlineData("full refresh_token", HttpStatusCode.OK)]
    public async Task RestCall_TokenScopes_NeedApiOrFull(string scope, HttpStatusCode expected)
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        using var request = new HttpRequestMessage(HttpMethod.Get, SalesforceSimulatorFixture.Api + "/limits");
        request.Headers.Authorization = new("Bearer", fixture.Simulator.IssueAccessToken(scope));

        // Act
        using var response = await fixture.Client.SendAsync(request);

        // Assert
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("[{\"message\":\"This session is not valid for use with the REST API\",\"errorCode\":\"INVALID_SESSION_ID\"}]", await response.Content.ReadAsStringAsync());
        }
    }
}
