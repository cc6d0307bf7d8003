using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

public sealed class PipedriveSimulatorLimitsTests() : PipedriveSimulatorTestBase(o => o.SendDailyTokenHeaders = true)
{
    [Fact]
    public async Task Request_Accepted_CarriesRateLimitAndDailyTokenHeaders()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/persons");

        // Assert
        Assert.Equal("40", Header(response, "x-ratelimit-limit"));
        Assert.Equal("39", Header(response, "x-ratelimit-remaining"));
        Assert.Equal("2", Header(response, "x-ratelimit-reset"));
        Assert.Equal("60000", Header(response, "x-daily-ratelimit-token-limit"));
        Assert.Equal("59990", Header(response, "x-daily-ratelimit-token-remaining"));
    }

    [Fact]
    public async Task BurstLimit_Exceeded_Returns429UntilWindowResets()
    {
        // Arrange
        Sut.SetBurstLimit(2);
        (await SendAsync(HttpMethod.Get, "api/v1/users/me")).Dispose();
        (await SendAsync(HttpMethod.Get, "api/v1/users/me")).Dispose();

        // Act
        using var limited = await SendAsync(HttpMethod.Get, "api/v1/users/me");
        Time.Advance(TimeSpan.FromSeconds(2));
        using var afterReset = await SendAsync(HttpMethod.Get, "api/v1/users/me");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", Header(limited, "x-ratelimit-remaining"));
        Assert.Equal("2", Header(limited, "x-ratelimit-reset"));
        var body = await ReadJsonAsync(limited);
        Assert.False(body["success"]!.GetValue<bool>());
        Assert.Equal(429, body["errorCode"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
    }

    [Fact]
    public async Task SearchBurstLimit_ElevenSearches_Returns429OnEleventh()
    {
        // Arrange
        for (var i = 0; i < 10; i++)
        {
            using var ok = await SendAsync(HttpMethod.Get, "api/v2/persons/search?term=ab");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // Act
        using var limited = await SendAsync(HttpMethod.Get, "api/v2/persons/search?term=ab");
        using var nonSearch = await SendAsync(HttpMethod.Get, "api/v2/persons");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("10", Header(limited, "x-ratelimit-limit"));
        Assert.Equal(HttpStatusCode.OK, nonSearch.StatusCode);
    }

    [Fact]
    public async Task DailyLimit_Exhausted_Returns429WithZeroRemainingUntilMidnight()
    {
        // Arrange: a v2 create costs 5 tokens, a v2 get costs 1.
        Sut.SetDailyLimit(6);
        var id = await CreatePersonAsync("Budget");
        using var get = await SendAsync(HttpMethod.Get, $"api/v2/persons/{id}");

        // Act
        using var exhausted = await SendAsync(HttpMethod.Get, $"api/v2/persons/{id}");
        Time.Advance(TimeSpan.FromHours(15));
        using var nextDay = await SendAsync(HttpMethod.Get, $"api/v2/persons/{id}");

        // Assert
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("0", Header(get, "x-daily-ratelimit-token-remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal("0", Header(exhausted, "x-daily-ratelimit-token-remaining"));
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        Assert.Equal("5", Header(nextDay, "x-daily-ratelimit-token-remaining"));
    }

    [Fact]
    public async Task Repeated429s_ReachingThreshold_ServeHtml403BlockPage()
    {
        // Arrange
        Sut.SetBurstLimit(0);
        for (var i = 0; i < 10; i++)
        {
            using var limited = await SendAsync(HttpMethod.Get, "api/v1/users/me");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        // Act
        using var blocked = await SendAsync(HttpMethod.Get, "api/v1/users/me");
        Sut.SetBurstLimit(40);
        Time.Advance(TimeSpan.FromMinutes(10));
        using var unblocked = await SendAsync(HttpMethod.Get, "api/v1/users/me");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("text/html", blocked.Content.Headers.ContentType!.MediaType);
        var html = await blocked.Content.ReadAsStringAsync();
        Assert.Contains("Sorry, you have been blocked", html, StringComparison.Ordinal);
        Assert.Contains("Cloudflare Ray ID", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unblocked.StatusCode);
    }

    [Fact]
    public async Task Spread429s_OutsideAbuseWindow_DoNotBlock()
    {
        // Arrange
        Sut.SetBurstLimit(0);

        // Act
        for (var i = 0; i < 12; i++)
        {
            (await SendAsync(HttpMethod.Get, "api/v1/users/me")).Dispose();
            Time.Advance(TimeSpan.FromSeconds(10));
        }

        using var response = await SendAsync(HttpMethod.Get, "api/v1/users/me");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    [Fact]
    public async Task SimulateOutage_ServiceUnavailable_Returns503ThenRecovers()
    {
        // Arrange
        Sut.SimulateOutage(true, PipedriveOutageKind.ServiceUnavailable);

        // Act
        using var during = await SendAsync(HttpMethod.Get, "api/v1/users");
        Sut.SimulateOutage(false);
        using var after = await SendAsync(HttpMethod.Get, "api/v1/users");

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.True(during.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SimulateOutage_Timeout_ClientTimesOut()
    {
        // Arrange
        Sut.SimulateOutage(true, PipedriveOutageKind.Timeout);
        using var client = new HttpClient { BaseAddress = Sut.BaseUrl, Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = ApiRequest(HttpMethod.Get, "api/v1/users");

        // Act
        var exception = await Record.ExceptionAsync(() => client.SendAsync(request));

        // Assert
        Assert.IsType<TaskCanceledException>(exception);
        Sut.SimulateOutage(false, PipedriveOutageKind.Timeout);
        using var after = await SendAsync(HttpMethod.Get, "api/v1/users");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task LoseNextResponses_Create_AppliesWriteButDropsConnection()
    {
        // Arrange
        Sut.LoseNextResponses(1);

        // Act
        var exception = await Record.ExceptionAsync(() => SendAsync(HttpMethod.Post, "api/v2/persons", new JsonObject { ["name"] = "Lost" }));
        using var next = await SendAsync(HttpMethod.Get, "api/v2/persons/1");

        // Assert
        Assert.IsType<HttpRequestException>(exception);
        Assert.Equal("Lost", Assert.Single(Sut.GetRecords("persons")).Properties["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task SetLatency_Positive_DelaysResponses()
    {
        // Arrange
        Sut.SetLatency(TimeSpan.FromMilliseconds(200));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v1/users");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(190), $"elapsed {started.Elapsed}");
    }

    [Fact]
    public async Task RequestCountAndReset_AfterTraffic_CountsThenClears()
    {
        // Arrange
        await CreatePersonAsync("A");
        (await Http.GetAsync(new Uri("api/v1/users", UriKind.Relative))).Dispose();

        // Act
        var counted = Sut.RequestCount;
        Sut.Reset();

        // Assert
        Assert.Equal(2, counted);
        Assert.Equal(0, Sut.RequestCount);
        Assert.Empty(Sut.GetRecords("persons"));
    }

    [Fact]
    public async Task UnknownRoute_Returns404Envelope()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "api/v2/deals/unknown/thing");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False((await ReadJsonAsync(response))["success"]!.GetValue<bool>());
    }

    [Fact]
    public void GetRecords_UnknownObjectType_Throws()
    {
        // Act
        var exception = Record.Exception(() => Sut.GetRecords("invoices"));

        // Assert
        Assert.IsType<ArgumentException>(exception);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();
}
