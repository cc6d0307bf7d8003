using System.Net;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Tests;

public sealed class ZohoSimulatorLimitsTests : ZohoSimulatorTestBase
{
    [Fact]
    public async Task BurstLimit_Exceeded_Returns429TooManyRequests()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SetBurstLimit(1, TimeSpan.FromSeconds(10));
        using var first = await SendAsync(HttpMethod.Get, "users", token);

        // Act
        using var second = await SendAsync(HttpMethod.Get, "users", token);
        Time.Advance(TimeSpan.FromSeconds(10));
        using var third = await SendAsync(HttpMethod.Get, "users", token);

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var body = await ReadJsonAsync(second);
        Assert.Equal("TOO_MANY_REQUESTS", body["code"]!.GetValue<string>());
        Assert.Equal("error", body["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task ConcurrencyLimit_WithLatency_RejectsExtraInFlightCalls()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SetConcurrencyLimit(1);
        Sut.SetLatency(TimeSpan.FromSeconds(1));

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => SendAsync(HttpMethod.Get, "users", token)));

        // Assert
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task DailyLimit_CreditsExhausted_Returns429UntilRolling24HoursPass()
    {
        // Arrange: 15 records cost 2 credits, a GET costs 1.
        var token = await AccessTokenAsync();
        Sut.SetDailyLimit(3);
        var data = new JsonArray(Enumerable.Range(0, 15).Select(i => (JsonNode?)new JsonObject { ["Last_Name"] = $"L{i}" }).ToArray());
        using var batch = await SendAsync(HttpMethod.Post, "Leads", token, new JsonObject { ["data"] = data });
        using var get = await SendAsync(HttpMethod.Get, "users", token);

        // Act
        using var exhausted = await SendAsync(HttpMethod.Get, "users", token);
        Time.Advance(TimeSpan.FromHours(24));
        var fresh = await AccessTokenAsync();
        using var nextDay = await SendAsync(HttpMethod.Get, "users", fresh);

        // Assert
        Assert.Equal(HttpStatusCode.Created, batch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal("LIMIT_EXCEEDED", (await ReadJsonAsync(exhausted))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task SimulateOutage_ServiceUnavailable_Returns503()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SimulateOutage(true, ZohoOutageKind.ServiceUnavailable);

        // Act
        using var during = await SendAsync(HttpMethod.Get, "users", token);
        Sut.SimulateOutage(false);
        using var after = await SendAsync(HttpMethod.Get, "users", token);

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SimulateOutage_Timeout_ClientTimesOut()
    {
        // Arrange
        var token = await AccessTokenAsync();
        Sut.SimulateOutage(true, ZohoOutageKind.Timeout);
        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = ApiRequest(HttpMethod.Get, "users", token);

        // Act
        var exception = await Record.ExceptionAsync(() => client.SendAsync(request));

        // Assert
        Assert.IsType<TaskCanceledException>(exception);
    }

    [Fact]
    public async Task LoseNextResponses_Upsert_AppliesWriteAndRetryUpdatesSameRecord()
    {
        // Arrange
        var token = await AccessTokenAsync();
        var body = new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["Last_Name"] = "Lost", ["External_Id"] = "lost-1" }),
            ["duplicate_check_fields"] = new JsonArray("External_Id"),
        };
        Sut.LoseNextResponses(1);

        // Act
        var exception = await Record.ExceptionAsync(() => SendAsync(HttpMethod.Post, "Leads/upsert", token, body.DeepClone()));
        using var retry = await SendAsync(HttpMethod.Post, "Leads/upsert", token, body.DeepClone());

        // Assert
        Assert.IsType<HttpRequestException>(exception);
        Assert.Equal("update", (await ReadJsonAsync(retry))["data"]![0]!["action"]!.GetValue<string>());
        Assert.Single(Sut.GetRecords("Leads"));
    }

    [Fact]
    public async Task RequestCountAndReset_AfterTraffic_CountsThenClears()
    {
        // Arrange
        var token = await AccessTokenAsync();
        await InsertAsync(token, "Leads", new JsonObject { ["Last_Name"] = "X" });

        // Act
        var counted = Sut.RequestCount;
        Sut.Reset();

        // Assert
        Assert.Equal(3, counted);
        Assert.Equal(0, Sut.RequestCount);
        Assert.Empty(Sut.GetRecords("Leads"));
        using var afterReset = await SendAsync(HttpMethod.Get, "users", token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReset.StatusCode);
    }

    [Fact]
    public void GetRecords_UnknownModule_Throws()
    {
        // Act
        var exception = Record.Exception(() => Sut.GetRecords("Campaigns"));

        // Assert
        Assert.IsType<ArgumentException>(exception);
    }
}
