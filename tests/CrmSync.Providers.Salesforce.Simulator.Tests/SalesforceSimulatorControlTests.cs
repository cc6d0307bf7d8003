using System.Net;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

public class SalesforceSimulatorControlTests
{
    private const string Limits = SalesforceSimulatorFixture.Api + "/limits";

    [Fact]
    public async Task ApiCall_Always_CarriesSforceLimitInfo()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        await fixture.Client.GetAsync(Limits);

        // Act
        var response = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal("api-usage=2/15000", response.Headers.GetValues("Sforce-Limit-Info").Single());
    }

    [Fact]
    public async Task SetDailyLimit_Exceeded_Returns403RequestLimitExceededUntilWindowRolls()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture(o => o.SessionTimeout = TimeSpan.FromDays(2));
        fixture.Simulator.SetDailyLimit(2);
        await fixture.Client.GetAsync(Limits);
        await fixture.Client.GetAsync(Limits);

        // Act
        var limited = await fixture.Client.GetAsync(Limits);
        fixture.Time.Advance(TimeSpan.FromHours(24));
        var later = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", await limited.Content.ReadAsStringAsync());
        Assert.Equal("api-usage=2/2", limited.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task SetBurstLimit_Exceeded_Returns403RequestLimitExceeded()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.SetBurstLimit(1, TimeSpan.FromSeconds(5));
        await fixture.Client.GetAsync(Limits);

        // Act
        var limited = await fixture.Client.GetAsync(Limits);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var later = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", (await SalesforceSimulatorFixture.ReadJsonAsync(limited))[0]!["errorCode"]!.ToString());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task ConcurrentLongRequests_AtLimitFor20Seconds_RefuseNewRequestsUntilTheyFinish()
    {
        // Arrange: two requests held open on the simulator's clock; Salesforce counts them only once they have run 20 s.
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.SetConcurrentLongRequestLimit(2);
        fixture.Simulator.SetLatency(TimeSpan.FromSeconds(60));
        var held = new[] { fixture.Client.GetAsync(Limits), fixture.Client.GetAsync(Limits) };
        await WaitUntilAsync(() => fixture.Simulator.InFlightRequests == 2);
        fixture.Simulator.SetLatency(TimeSpan.Zero);

        // Act
        fixture.Time.Advance(TimeSpan.FromSeconds(19));
        var beforeThreshold = await fixture.Client.GetAsync(Limits);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var atThreshold = await fixture.Client.GetAsync(Limits);
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        var finished = await Task.WhenAll(held);
        var afterwards = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal(HttpStatusCode.OK, beforeThreshold.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, atThreshold.StatusCode);
        Assert.Equal("[{\"message\":\"ConcurrentPerOrgLongTxn Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", await atThreshold.Content.ReadAsStringAsync());
        Assert.All(finished, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task ConcurrentLongRequests_ManyShortRequests_NeverLimited()
    {
        // Arrange: the real rule limits long requests only; a burst of quick ones is fine.
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.SetConcurrentLongRequestLimit(1);

        // Act
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => fixture.Client.GetAsync(Limits)));

        // Assert
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    /// <summary>Waits (bounded) for requests to reach the simulator; nothing is timed, only a condition awaited.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    [Fact]
    public async Task SimulateOutage_ServiceUnavailableThenTimeout_FailsUntilCleared()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act: only the hanging request gets a short deadline, so a busy machine cannot fail the others.
        fixture.Simulator.SimulateOutage(true);
        var unavailable = await fixture.Client.GetAsync(Limits);
        fixture.Simulator.SimulateOutage(true, SalesforceOutageKind.Timeout);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var timeout = await Record.ExceptionAsync(() => fixture.Client.GetAsync(Limits, deadline.Token));
        fixture.Simulator.SimulateOutage(false);
        var after = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.IsType<TaskCanceledException>(timeout);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task LoseNextResponses_Upsert_AppliesWriteButDropsConnection()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        fixture.Simulator.LoseNextResponses(1);

        // Act
        var error = await Record.ExceptionAsync(() => fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" }));
        var retry = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });

        // Assert
        Assert.IsType<HttpRequestException>(error);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Single(fixture.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task RevokeAllTokens_ExistingSession_Returns401()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        fixture.Simulator.RevokeAllTokens();
        var response = await fixture.Client.GetAsync(Limits);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Reset_AfterActivity_ClearsRecordsAndRequestCount()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });

        // Act
        var before = fixture.Simulator.RequestCount;
        fixture.Simulator.Reset();

        // Assert
        Assert.Equal(1, before);
        Assert.Equal(0, fixture.Simulator.RequestCount);
        Assert.Empty(fixture.Simulator.GetRecords("Contact"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client.GetAsync(Limits)).StatusCode);
    }
}
