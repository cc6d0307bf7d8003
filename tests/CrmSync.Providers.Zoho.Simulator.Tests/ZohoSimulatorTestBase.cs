using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public abstract class ZohoSimulatorTestBase : IDisposable
{
    protected ZohoSimulatorTestBase(Action<ZohoSimulatorOptions>? configure = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        // Most record tests work on an organization whose admin created the unique External_Id field; field tests turn it off.
        var options = new ZohoSimulatorOptions { TimeProvider = Time, ExternalIdFieldExists = true };
        configure?.Invoke(options);
        Sut = ZohoSimulator.Start(options);
        Http = new HttpClient();
    }

    protected const string RedirectUri = "https://app.example/zoho/callback";

    protected FakeTimeProvider Time { get; }

    protected ZohoSimulator Sut { get; }

    protected HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        Sut.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The scopes the provider asks for: modules, users, field metadata (read and create) and COQL.</summary>
    protected const string AllScopes = "ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.settings.fields.READ,ZohoCRM.settings.fields.CREATE,ZohoCRM.coql.READ";

    /// <summary>Runs the consent page and code exchange; returns the token response and the redirect query.</summary>
    protected async Task<(JsonObject Token, Dictionary<string, string> Redirect)> AuthorizeAsync(ZohoDataCenter startAt = ZohoDataCenter.Us, string scope = AllScopes)
    {
        var accounts = Sut.GetAccountsServer(startAt);
        using var consent = await Http.GetAsync(new Uri($"{accounts}/oauth/v2/auth?scope={scope}&client_id=1000.SIMCLIENT&response_type=code&access_type=offline&prompt=consent&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=st"));
        consent.EnsureSuccessStatusCode();
        var redirect = ParseRedirect(await consent.Content.ReadAsStringAsync());
        using var response = await PostTokenAsync(new Uri(redirect["accounts-server"]), new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["redirect_uri"] = RedirectUri,
            ["code"] = redirect["code"],
        });
        return (await ReadJsonAsync(response), redirect);
    }

    protected async Task<string> AccessTokenAsync(string scope = AllScopes) => (await AuthorizeAsync(scope: scope)).Token["access_token"]!.GetValue<string>();

    protected Task<HttpResponseMessage> PostTokenAsync(Uri accountsServer, Dictionary<string, string> form) =>
        Http.PostAsync(new Uri(accountsServer + "/oauth/v2/token"), new FormUrlEncodedContent(form));

    protected Task<HttpResponseMessage> RefreshAsync(Uri accountsServer, string refreshToken) =>
        PostTokenAsync(accountsServer, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "1000.SIMCLIENT",
            ["client_secret"] = "sim-client-secret",
            ["refresh_token"] = refreshToken,
        });

    protected HttpRequestMessage ApiRequest(HttpMethod method, string pathAndQuery, string token, JsonNode? body = null, ZohoDataCenter dc = ZohoDataCenter.Us, string scheme = "Zoho-oauthtoken")
    {
        var request = new HttpRequestMessage(method, new Uri(Sut.GetApiDomain(dc) + "/crm/v8/" + pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    protected async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string token, JsonNode? body = null)
    {
        using var request = ApiRequest(method, pathAndQuery, token, body);
        return await Http.SendAsync(request);
    }

    protected async Task<string> InsertAsync(string token, string module, JsonObject record)
    {
        using var response = await SendAsync(HttpMethod.Post, module, token, new JsonObject { ["data"] = new JsonArray(record) });
        var json = await ReadJsonAsync(response);
        Assert.Equal("SUCCESS", json["data"]![0]!["code"]!.GetValue<string>());
        return json["data"]![0]!["details"]!["id"]!.GetValue<string>();
    }

    protected static Dictionary<string, string> ParseRedirect(string html)
    {
        const string marker = "id=\"accept\" href=\"";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = html.IndexOf('"', start);
        var href = System.Net.WebUtility.HtmlDecode(html[start..end]);
        var query = new Uri(href).Query.TrimStart('?');
        return query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
    }
}
