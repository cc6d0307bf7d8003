using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public abstract class PipedriveSimulatorTestBase : IDisposable
{
    protected PipedriveSimulatorTestBase(Action<PipedriveSimulatorOptions>? configure = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        var options = new PipedriveSimulatorOptions { TimeProvider = Time };
        configure?.Invoke(options);
        Sut = PipedriveSimulator.Start(options);
        Http = new HttpClient { BaseAddress = Sut.BaseUrl };
    }

    protected FakeTimeProvider Time { get; }

    protected PipedriveSimulator Sut { get; }

    protected HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        Sut.Dispose();
        GC.SuppressFinalize(this);
    }

    protected HttpRequestMessage ApiRequest(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("x-api-token", token ?? Sut.ApiToken);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return request;
    }

    protected Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null) =>
        Http.SendAsync(ApiRequest(method, path, body));

    protected static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    protected async Task<long> CreatePersonAsync(string name, string? email = null, JsonObject? customFields = null)
    {
        var body = new JsonObject { ["name"] = name };
        if (email is not null)
        {
            body["emails"] = new JsonArray(new JsonObject { ["value"] = email, ["label"] = "work" });
        }

        if (customFields is not null)
        {
            body["custom_fields"] = customFields;
        }

        using var response = await SendAsync(HttpMethod.Post, "api/v2/persons", body);
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response))["data"]!["id"]!.GetValue<long>();
    }

    protected async Task<string> CreateExternalIdFieldAsync()
    {
        using var response = await SendAsync(HttpMethod.Post, "api/v1/personFields", new JsonObject { ["name"] = "External ID", ["field_type"] = "varchar" });
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response))["data"]!["key"]!.GetValue<string>();
    }

    protected async Task<JsonObject> GetOAuthTokenAsync()
    {
        using var authorize = await Http.GetAsync(new Uri($"oauth/authorize?client_id=sim-client-id&redirect_uri={Uri.EscapeDataString("https://app.example/callback")}&state=xyz", UriKind.Relative));
        var html = await authorize.Content.ReadAsStringAsync();
        var code = ExtractCode(html);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = "https://app.example/callback",
            }),
        };
        tokenRequest.Headers.Authorization = BasicAuth();
        using var response = await Http.SendAsync(tokenRequest);
        response.EnsureSuccessStatusCode();
        return await ReadJsonAsync(response);
    }

    protected static AuthenticationHeaderValue BasicAuth(string id = "sim-client-id", string secret = "sim-client-secret") =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    protected static string ExtractCode(string html)
    {
        const string marker = "code=";
        var start = html.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = html.IndexOf("&amp;", start, StringComparison.Ordinal);
        return Uri.UnescapeDataString(html[start..end]);
    }
}
