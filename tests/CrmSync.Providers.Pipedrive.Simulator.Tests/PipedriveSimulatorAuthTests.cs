using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public sealed class PipedriveSimulatorAuthTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task Request_WrongApiToken_Returns401WithGatewayHeaders()
    {
        // Arrange
        using var request = ApiRequest(HttpMethod.Get, "api/v1/users", token: "wrong");

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            """{"success":false,"error":"unauthorized access","errorCode":401,"error_info":"Please check developers.pipedrive.com"}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("true", response.Headers.GetValues("x-401-by-gw").Single());
        Assert.True(response.Headers.Contains("x-correlation-id"));
    }

    [Fact]
    public async Task Request_ApiTokenInQueryString_Returns401()
    {
        // Act
        using var response = await Http.GetAsync(new Uri($"api/v1/users?api_token={Sut.ApiToken}", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_ValidClient_ReturnsHtmlLinkWithCodeAndState()
    {
        // Act
        using var response = await Http.GetAsync(new Uri("oauth/authorize?client_id=sim-client-id&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s1", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("href=\"https://app.example/cb?code=", html, StringComparison.Ordinal);
        Assert.Contains("&amp;state=s1\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_AuthorizationCode_ReturnsBearerWithApiDomainAndExpiry()
    {
        // Act
        var token = await GetOAuthTokenAsync();

        // Assert
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3599, token["expires_in"]!.GetValue<int>());
        Assert.Equal(Sut.BaseUrl.GetLeftPart(UriPartial.Authority), token["api_domain"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(token["refresh_token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Token_CodeReused_ReturnsInvalidGrant()
    {
        // Arrange
        using var authorize = await Http.GetAsync(new Uri("oauth/authorize?client_id=sim-client-id&redirect_uri=https%3A%2F%2Fapp.example%2Fcb", UriKind.Relative));
        var code = ExtractCodeWithoutState(await authorize.Content.ReadAsStringAsync());
        async Task<HttpResponseMessage> ExchangeAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = "https://app.example/cb" }),
            };
            request.Headers.Authorization = BasicAuth();
            return await Http.SendAsync(request);
        }

        // Act
        using var first = await ExchangeAsync();
        using var second = await ExchangeAsync();

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await ReadJsonAsync(second))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_WrongClientSecret_ReturnsInvalidClient()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "x" }),
        };
        request.Headers.Authorization = BasicAuth(secret: "nope");

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await ReadJsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task BearerToken_AfterExpiresIn_Returns401AndRefreshRestoresAccess()
    {
        // Arrange
        var token = await GetOAuthTokenAsync();
        Time.Advance(TimeSpan.FromSeconds(3600));

        // Act
        using var expired = await SendBearerAsync(token["access_token"]!.GetValue<string>());
        var refreshed = await RefreshAsync(token["refresh_token"]!.GetValue<string>());
        using var fresh = await SendBearerAsync(refreshed["access_token"]!.GetValue<string>());

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(token["refresh_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task BearerToken_BeforeExpiry_IsAccepted()
    {
        // Arrange
        var token = await GetOAuthTokenAsync();
        Time.Advance(TimeSpan.FromSeconds(3598));

        // Act
        using var response = await SendBearerAsync(token["access_token"]!.GetValue<string>());

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RefreshToken_UnusedFor61Days_ReturnsInvalidGrant()
    {
        // Arrange
        var token = await GetOAuthTokenAsync();
        Time.Advance(TimeSpan.FromDays(61));

        // Act
        using var request = RefreshRequest(token["refresh_token"]!.GetValue<string>());
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await ReadJsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpireAccessTokens_ThenRequest_Returns401()
    {
        // Arrange
        var token = await GetOAuthTokenAsync();
        Sut.ExpireAccessTokens();

        // Act
        using var response = await SendBearerAsync(token["access_token"]!.GetValue<string>());

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RevokeAllTokens_ThenRefreshAndApiToken_AreRejected()
    {
        // Arrange
        var token = await GetOAuthTokenAsync();
        Sut.RevokeAllTokens();

        // Act
        using var refresh = await Http.SendAsync(RefreshRequest(token["refresh_token"]!.GetValue<string>()));
        using var api = await SendAsync(HttpMethod.Get, "api/v1/users");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await ReadJsonAsync(refresh))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    private static string ExtractCodeWithoutState(string html)
    {
        const string marker = "code=";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = html.IndexOf('"', start);
        return Uri.UnescapeDataString(html[start..end]);
    }

    private async Task<HttpResponseMessage> SendBearerAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await Http.SendAsync(request);
    }

    private static HttpRequestMessage RefreshRequest(string refreshToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }),
        };
        request.Headers.Authorization = BasicAuth();
        return request;
    }

    private async Task<JsonObject> RefreshAsync(string refreshToken)
    {
        using var request = RefreshRequest(refreshToken);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }
}
