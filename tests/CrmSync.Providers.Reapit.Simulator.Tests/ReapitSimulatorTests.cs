using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Providers.Reapit.Simulator.Tests;

/// <summary>The simulator's wire contract, over HTTP with a plain client (never the provider: it must catch the provider's mistakes).</summary>
public sealed class ReapitSimulatorTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly ReapitSimulator _sim;
    private readonly HttpClient _http = new();

    public ReapitSimulatorTests()
    {
        _sim = ReapitSimulator.Start(new ReapitSimulatorOptions { TimeProvider = _time });
    }

    public void Dispose()
    {
        _http.Dispose();
        _sim.Dispose();
    }

    [Fact]
    public async Task Token_WrongSecret_AnswersInvalidClient()
    {
        // Arrange
        using var request = TokenRequest("client_credentials", secret: "nope");

        // Act
        using var response = await _http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutApiVersion_Answers400WithTheEnvelope()
    {
        // Arrange
        var token = await TokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sim.BaseUrl, "contacts/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("reapit-customer", "SBOX");

        // Act
        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Contains("api-version", body["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task Api_ClientCredentialsWithoutCustomer_Answers400()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "contacts/", customer: null);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reapit-customer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContact_MissingSurnameAndBadConsent_Answers422WithEveryField()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "contacts/", body: """{"forename":"Ada","marketingConsent":"maybe","shoeSize":42}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // Assert
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var fields = body["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("surname", fields);
        Assert.Contains("marketingConsent", fields);
        Assert.Contains("shoeSize", fields);
        Assert.Empty(_sim.GetRecords("contacts"));
    }

    [Fact]
    public async Task CreateContact_Valid_Answers201WithLocationAndNoBody()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "contacts/", body: """{"surname":"Lovelace","marketingConsent":"notAsked","metadata":{"crmSyncExternalId":"c-1"}}""");

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        var id = Assert.Single(_sim.GetRecords("contacts")).Id;
        Assert.EndsWith("/contacts/" + id, response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchContact_WithoutOrWithStaleIfMatch_IsRefused()
    {
        // Arrange
        using var created = await SendAsync(HttpMethod.Post, "contacts/", body: """{"surname":"Lovelace","marketingConsent":"notAsked"}""");
        var path = created.Headers.Location!.AbsolutePath.TrimStart('/');
        using var read = await SendAsync(HttpMethod.Get, path);
        var etag = read.Headers.GetValues("ETag").Single();
        _sim.EditContact("SBOX", _sim.GetRecords("contacts").Single().Id, "title", "Dr");

        // Act
        using var missing = await SendAsync(HttpMethod.Patch, path, body: """{"forename":"Ada"}""");
        using var stale = await SendAsync(HttpMethod.Patch, path, body: """{"forename":"Ada"}""", ifMatch: etag);
        using var again = await SendAsync(HttpMethod.Get, path);
        using var fresh = await SendAsync(HttpMethod.Patch, path, body: """{"forename":"Ada"}""", ifMatch: again.Headers.GetValues("ETag").Single());

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fresh.StatusCode);
        Assert.Equal("Ada", _sim.GetRecords("contacts").Single().Data["forename"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListContacts_Paged_ReportsHalTotalsAndFiltersByMetadata()
    {
        // Arrange
        for (var i = 0; i < 30; i++)
        {
            using var _ = await SendAsync(HttpMethod.Post, "contacts/", body: $$$"""{"surname":"S{{{i}}}","marketingConsent":"notAsked","metadata":{"crmSyncExternalId":"c-{{{i}}}"}}""");
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Act
        using var page = await SendAsync(HttpMethod.Get, "contacts/?pageSize=10&pageNumber=3");
        using var filtered = await SendAsync(HttpMethod.Get, "contacts/?metadata=" + Uri.EscapeDataString("metadata.crmSyncExternalId $eq c-7"));
        using var badFilter = await SendAsync(HttpMethod.Get, "contacts/?metadata=" + Uri.EscapeDataString("crmSyncExternalId = c-7"));
        using var badSize = await SendAsync(HttpMethod.Get, "contacts/?pageSize=101");
        using var unknown = await SendAsync(HttpMethod.Get, "contacts/?mobilePhone=1");
        var body = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
        var match = JsonNode.Parse(await filtered.Content.ReadAsStringAsync())!;

        // Assert
        Assert.Equal(10, body["_embedded"]!.AsArray().Count);
        Assert.Equal(3, body["pageNumber"]!.GetValue<int>());
        Assert.Equal(3, body["totalPageCount"]!.GetValue<int>());
        Assert.Equal(30, body["totalCount"]!.GetValue<int>());
        Assert.Equal("S7", Assert.Single(match["_embedded"]!.AsArray())!["surname"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task GetBurstAllowance_TwoAndAHalfSeconds_AdmitsWhatTheRollingSecondLets()
    {
        // Arrange: three full seconds of requests as fast as the limit lets them through
        var token = await TokenAsync();
        var admitted = 0;
        for (var second = 0; second < 3; second++)
        {
            for (var i = 0; i < 25; i++)
            {
                using var response = await SendAsync(HttpMethod.Get, "negotiators/", token: token);
                admitted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }

            _time.Advance(second < 2 ? TimeSpan.FromSeconds(1) : TimeSpan.Zero);
        }

        // Act
        var allowance = _sim.GetBurstAllowance(TimeSpan.FromSeconds(2.5));
        var metered = _sim.GetUsage().Used;

        // Assert: 20 at the start and 20 after each full second; the meter charged exactly what was let through
        Assert.Equal(60, allowance);
        Assert.Equal(admitted, allowance);
        Assert.Equal(60, metered);
        Assert.Equal(20, _sim.GetBurstAllowance(TimeSpan.Zero));
    }

    [Fact]
    public async Task Api_OverTwentyRequestsInASecond_Answers429WithoutLimitHeadersAndMeters()
    {
        // Arrange
        var token = await TokenAsync();
        var statuses = new List<HttpStatusCode>();

        // Act
        for (var i = 0; i < 21; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "negotiators/", token: token);
            statuses.Add(response.StatusCode);
            if (i == 20)
            {
                Assert.False(response.Headers.Contains("Retry-After"));
                Assert.DoesNotContain(response.Headers, h => h.Key.Contains("RateLimit", StringComparison.OrdinalIgnoreCase));
            }
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        using var later = await SendAsync(HttpMethod.Get, "negotiators/", token: token);

        // Assert
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(1, _sim.Usage.Throttled);
        Assert.Equal(20, _sim.Usage.PeakRequestsPerSecond);
        Assert.Equal(1.0, _sim.Usage.PeakShareOfLimit);
    }

    [Fact]
    public async Task JournalEntry_ForUnknownContact_Answers422()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Post, "journalEntries/", body: """{"associatedType":"contact","associatedId":"NOPE","typeId":"TC","description":"Called"}""");

        // Assert
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Empty(_sim.GetRecords("journalEntries"));
    }

    [Fact]
    public async Task Api_AppUninstalled_Answers401()
    {
        // Arrange
        var token = await TokenAsync();
        _sim.UninstallApp("SBOX");

        // Act
        using var response = await SendAsync(HttpMethod.Get, "contacts/", token: token);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private HttpRequestMessage TokenRequest(string grant, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _sim.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grant }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_sim.ClientId + ":" + (secret ?? _sim.ClientSecret))));
        return request;
    }

    private async Task<string> TokenAsync()
    {
        using var request = TokenRequest("client_credentials");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? ifMatch = null, string? customer = "SBOX", string? token = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_sim.BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await TokenAsync());
        request.Headers.Add("api-version", ReapitSimulator.ApiVersion);
        if (customer is not null)
        {
            request.Headers.Add("reapit-customer", customer);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await _http.SendAsync(request);
    }
}
