using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public sealed class ZohoSimulatorAuthTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task Authorize_Consent_RedirectCarriesCodeLocationAccountsServerAndState()
    {
        // Act
        var (_, redirect) = await AuthorizeAsync();

        // Assert
        Assert.Equal("us", redirect["location"]);
        Assert.Equal(Sut.GetAccountsServer(ZohoDataCenter.Us).ToString().TrimEnd('/'), redirect["accounts-server"]);
        Assert.Equal("st", redirect["state"]);
        Assert.StartsWith("1000.", redirect["code"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_AuthorizationCode_ReturnsContractShape()
    {
        // Act
        var (token, _) = await AuthorizeAsync();

        // Assert
        Assert.StartsWith("1000.", token["access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("1000.", token["refresh_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(AllScopes, token["scope"]!.GetValue<string>());
        Assert.Equal(Sut.GetApiDomain(ZohoDataCenter.Us).ToString().TrimEnd('/'), token["api_domain"]!.GetValue<string>());
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Token_Refresh_ReturnsAccessTokenWithoutRefreshToken()
    {
        // Arrange
        var (token, redirect) = await AuthorizeAsync();

        // Act
        using var response = await RefreshAsync(new Uri(redirect["accounts-server"]), token["refresh_token"]!.GetValue<string>());

        // Assert
        var json = await ReadJsonAsync(response);
        Assert.False(json.ContainsKey("refresh_token"));
        Assert.Equal(3600, json["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Token_BadCode_Returns200WithInvalidCode()
    {
        // Act
        using var response = await PostTokenAsync(Sut.GetAccountsServer(ZohoDataCenter.Us), new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["redirect_uri"] = RedirectUri,
            ["code"] = "1000.nope",
        });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"error":"invalid_code"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_WrongSecret_Returns200WithInvalidClient()
    {
        // Act
        using var response = await PostTokenAsync(Sut.GetAccountsServer(ZohoDataCenter.Us), new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "wrong",
            ["refresh_token"] = "1000.x",
        });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_ParametersInQueryString_AreAccepted()
    {
        // Arrange
        var (token, redirect) = await AuthorizeAsync();
        var url = $"{redirect["accounts-server"]}/oauth/v2/token?grant_type=refresh_token&client_id=1000.SIMCLIENT&client_secret=sim-client-secret&refresh_token={Uri.EscapeDataString(token["refresh_token"]!.GetValue<string>())}";

        // Act
        using var response = await Http.PostAsync(new Uri(url), content: null);

        // Assert
        Assert.True((await ReadJsonAsync(response)).ContainsKey("access_token"));
    }

    [Fact]
    public async Task Revoke_RefreshToken_ThenRefreshReturnsInvalidCodeAndAccessTokenDies()
    {
        // Arrange
        var (token, redirect) = await AuthorizeAsync();
        var refresh = token["refresh_token"]!.GetValue<string>();
        var accounts = new Uri(redirect["accounts-server"]);

        // Act
        using var revoke = await Http.PostAsync(new Uri($"{accounts}/oauth/v2/token/revoke?token={Uri.EscapeDataString(refresh)}"), content: null);
        using var refreshed = await RefreshAsync(accounts, refresh);
        using var api = await SendAsync(HttpMethod.Get, "users", token["access_token"]!.GetValue<string>());

        // Assert
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("invalid_code", (await ReadJsonAsync(refreshed))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task Refresh_MoreThanTenIn10Minutes_IsBlockedUntilWindowPasses()
    {
        // Arrange: the code exchange minted one token already.
        var (token, redirect) = await AuthorizeAsync();
        var accounts = new Uri(redirect["accounts-server"]);
        var refresh = token["refresh_token"]!.GetValue<string>();
        for (var i = 0; i < 9; i++)
        {
            using var ok = await RefreshAsync(accounts, refresh);
            Assert.True((await ReadJsonAsync(ok)).ContainsKey("access_token"));
        }

        // Act
        using var blocked = await RefreshAsync(accounts, refresh);
        Time.Advance(TimeSpan.FromMinutes(10));
        using var later = await RefreshAsync(accounts, refresh);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Equal("Access Denied", (await ReadJsonAsync(blocked))["error"]!.GetValue<string>());
        Assert.True((await ReadJsonAsync(later)).ContainsKey("access_token"));
    }

    [Fact]
    public async Task AccessToken_After3600Seconds_ReturnsInvalidToken()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Time.Advance(TimeSpan.FromSeconds(3599));
        using var stillValid = await SendAsync(HttpMethod.Get, "users", token);
        Time.Advance(TimeSpan.FromSeconds(1));

        // Act
        using var expired = await SendAsync(HttpMethod.Get, "users", token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("""{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}""", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_BearerScheme_IsRejected()
    {
        // Arrange
        var token = await AccessTokenAsync();
        using var request = ApiRequest(HttpMethod.Get, "users", token, scheme: "Bearer");

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("INVALID_TOKEN", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_NoAuthorizationHeader_ReturnsAuthenticationFailure()
    {
        // Act
        using var response = await Http.GetAsync(new Uri(Sut.GetApiDomain(ZohoDataCenter.Us) + "/crm/v8/users"));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AUTHENTICATION_FAILURE", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpireAccessTokens_ThenRefresh_RestoresAccess()
    {
        // Arrange
        var (token, redirect) = await AuthorizeAsync();
        Sut.ExpireAccessTokens();
        using var expired = await SendAsync(HttpMethod.Get, "users", token["access_token"]!.GetValue<string>());

        // Act
        using var refreshed = await RefreshAsync(new Uri(redirect["accounts-server"]), token["refresh_token"]!.GetValue<string>());
        using var again = await SendAsync(HttpMethod.Get, "users", (await ReadJsonAsync(refreshed))["access_token"]!.GetValue<string>());

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task RevokeAllTokens_ThenRefresh_ReturnsInvalidCode()
    {
        // Arrange
        var (token, redirect) = await AuthorizeAsync();
        Sut.RevokeAllTokens();

        // Act
        using var refreshed = await RefreshAsync(new Uri(redirect["accounts-server"]), token["refresh_token"]!.GetValue<string>());

        // Assert
        Assert.Equal("invalid_code", (await ReadJsonAsync(refreshed))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshTokens_TwentyFirstIssued_DeletesOldest()
    {
        // Arrange
        var (first, redirect) = await AuthorizeAsync();
        for (var i = 0; i < 20; i++)
        {
            await AuthorizeAsync();
        }

        // Act
        using var response = await RefreshAsync(new Uri(redirect["accounts-server"]), first["refresh_token"]!.GetValue<string>());

        // Assert
        Assert.Equal("invalid_code", (await ReadJsonAsync(response))["error"]!.GetValue<string>());
    }
}
