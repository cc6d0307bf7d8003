using System.Net;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public sealed class ZohoSimulatorDataCenterTests : ZohoSimulatorTestBase
{
    public ZohoSimulatorDataCenterTests()
        : base(o => o.OrganizationDataCenter = ZohoDataCenter.Eu)
    {
    }

    [Fact]
    public async Task Authorize_StartedAtUs_RedirectsToEuAccountsAndEuApiDomain()
    {
        // Act
        var (token, redirect) = await AuthorizeAsync(ZohoDataCenter.Us);

        // Assert
        Assert.Equal("eu", redirect["location"]);
        Assert.EndsWith("/accounts.zoho.eu", redirect["accounts-server"], StringComparison.Ordinal);
        Assert.EndsWith("/www.zohoapis.eu", token["api_domain"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CodeExchange_AtWrongAccountsServer_ReturnsInvalidClient()
    {
        // Arrange
        using var consent = await Http.GetAsync(new Uri($"{Sut.GetAccountsServer(ZohoDataCenter.Us)}/oauth/v2/auth?client_id=1000.SIMCLIENT&response_type=code&redirect_uri={Uri.EscapeDataString(RedirectUri)}"));
        var redirect = ParseRedirect(await consent.Content.ReadAsStringAsync());

        // Act
        using var response = await PostTokenAsync(Sut.GetAccountsServer(ZohoDataCenter.Us), new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["redirect_uri"] = RedirectUri,
            ["code"] = redirect["code"],
        });

        // Assert
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Refresh_AtWrongAccountsServer_ReturnsInvalidClient()
    {
        // Arrange
        var (token, _) = await AuthorizeAsync();

        // Act
        using var response = await RefreshAsync(Sut.GetAccountsServer(ZohoDataCenter.In), token["refresh_token"]!.GetValue<string>());

        // Assert
        Assert.Equal("""{"error":"invalid_client"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(ZohoDataCenter.Us)]
    [InlineData(ZohoDataCenter.In)]
    [InlineData(ZohoDataCenter.Au)]
    [InlineData(ZohoDataCenter.Jp)]
    public async Task EuToken_AtOtherApiDomain_ReturnsInvalidToken(ZohoDataCenter wrong)
    {
        // Arrange
        var token = (await AuthorizeAsync()).Token["access_token"]!.GetValue<string>();
        using var request = ApiRequest(HttpMethod.Get, "users", token, dc: wrong);

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("INVALID_TOKEN", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task EuToken_AtEuApiDomain_IsAccepted()
    {
        // Arrange
        var token = (await AuthorizeAsync()).Token["access_token"]!.GetValue<string>();
        using var request = ApiRequest(HttpMethod.Get, "users?type=CurrentUser", token, dc: ZohoDataCenter.Eu);

        // Act
        using var response = await Http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HostHeader_WithoutPathPrefix_SelectsDataCenter()
    {
        // Arrange
        var token = (await AuthorizeAsync()).Token["access_token"]!.GetValue<string>();
        using var euRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(Sut.BaseUrl, "crm/v8/users"));
        euRequest.Headers.Host = "www.zohoapis.eu";
        euRequest.Headers.TryAddWithoutValidation("Authorization", "Zoho-oauthtoken " + token);
        using var usRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(Sut.BaseUrl, "crm/v8/users"));
        usRequest.Headers.Host = "www.zohoapis.com";
        usRequest.Headers.TryAddWithoutValidation("Authorization", "Zoho-oauthtoken " + token);

        // Act
        using var eu = await Http.SendAsync(euRequest);
        using var us = await Http.SendAsync(usRequest);

        // Assert
        Assert.Equal(HttpStatusCode.OK, eu.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, us.StatusCode);
    }

    [Fact]
    public async Task Request_UnknownHost_ReturnsInvalidUrlPattern()
    {
        // Act
        using var response = await Http.GetAsync(new Uri(Sut.BaseUrl, "crm/v8/users"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("INVALID_URL_PATTERN", (await ReadJsonAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_DataCenterNotServed_ReturnsInvalidUrlPattern()
    {
        // Arrange
        using var euOnly = ZohoSimulator.Start(new ZohoSimulatorOptions { DataCenters = [ZohoDataCenter.Eu], OrganizationDataCenter = ZohoDataCenter.Eu });

        // Act
        using var response = await Http.GetAsync(new Uri(euOnly.GetAccountsServer(ZohoDataCenter.Us) + "/oauth/v2/auth?client_id=1000.SIMCLIENT&response_type=code&redirect_uri=https%3A%2F%2Fa.example"));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
