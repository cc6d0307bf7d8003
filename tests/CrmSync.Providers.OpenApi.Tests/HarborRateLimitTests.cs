using System.Globalization;
using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>
/// Harbor CRM's rate-limit answers through the OpenAPI provider: <c>Retry-After</c> (seconds or an HTTP date),
/// <c>X-RateLimit-Reset</c> (seconds or a Unix time) and <c>X-RateLimit-Limit</c>/<c>-Remaining</c> feeding the request budget,
/// with the outcome the built-in providers give (<see cref="CrmRateLimitedException"/>, the budget holding requests).
/// </summary>
public sealed class HarborRateLimitTests
{
    [Fact]
    public async Task UpsertAsync_RetryAfterInSeconds_ThrowsRateLimitedAndTheBudgetHoldsTheNextRequest()
    {
        // Arrange: the budget may not wait, so a held request shows as a BUDGET pause
        await using var h = HarborHarness.Create(o => o.MaxBudgetWait = TimeSpan.Zero);
        var context = h.Context();
        h.Sim.ThrottleNextRequests(1, new Dictionary<string, string> { ["Retry-After"] = "7" });

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace")]));
        var sent = h.Sim.Requests.Count;
        var held = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace")]));
        var sentWhileHeld = h.Sim.Requests.Count - sent;
        h.Time.Advance(TimeSpan.FromSeconds(7));
        var after = await h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace")]);

        // Assert: Harbor's wait, no request before it is over, then the write goes through
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.False(ex.IsDailyLimit);
        Assert.Equal("RATE_LIMIT", ex.PolicyName);
        Assert.Equal("BUDGET", held.PolicyName);
        Assert.Equal(0, sentWhileHeld);
        Assert.True(after[0].Created);
        Assert.Equal(1, h.Sim.ThrottledCount);
    }

    [Fact]
    public async Task UpsertAsync_RetryAfterAsHttpDate_WaitsUntilThatTime()
    {
        // Arrange
        await using var h = HarborHarness.Create();
        var until = h.Time.GetUtcNow().AddSeconds(45);
        h.Sim.ThrottleNextRequests(1, new Dictionary<string, string> { ["Retry-After"] = until.ToString("R", CultureInfo.InvariantCulture) });

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(h.Context(), [HarborHarness.Person("c-1", "Lovelace")]));

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(45), ex.RetryAfter);
        Assert.Equal("RATE_LIMIT", ex.PolicyName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpsertAsync_XRateLimitResetWithoutRetryAfter_WaitsUntilTheReset(bool unixTime)
    {
        // Arrange: 12 seconds, as a delay or as the Unix time it ends
        await using var h = HarborHarness.Create();
        var reset = unixTime ? h.Time.GetUtcNow().AddSeconds(12).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "12";
        h.Sim.ThrottleNextRequests(1, new Dictionary<string, string> { ["X-RateLimit-Limit"] = "10", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset });

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(h.Context(), [HarborHarness.Person("c-1", "Lovelace")]));

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(12), ex.RetryAfter);
        Assert.False(ex.IsDailyLimit);
    }

    [Fact]
    public async Task UpsertAsync_XRateLimitLimitLowerThanConfigured_BudgetPausesBeforeHarborAnswers429()
    {
        // Arrange: Harbor allows 3 requests per second; the host configured far more
        await using var h = HarborHarness.Create(o => o.MaxBudgetWait = TimeSpan.Zero);
        h.Sim.RequestsPerSecond = 3;
        var context = h.Context();

        // Act: search by reference, email and phone use Harbor's 3 requests; the create must wait for the next second
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace", email: "ada@example.test", phone: "+447700900001")]));

        // Assert: paused by CrmSync at Harbor's reported limit, not by a 429
        Assert.Equal("BUDGET", ex.PolicyName);
        Assert.Equal(3, h.Sim.Requests.Count);
        Assert.Equal(0, h.Sim.ThrottledCount);
        Assert.Equal(3, h.Provider.RequestBudget.GetUsage(context.ConnectionId).BurstUsed);
    }

    [Fact]
    public async Task UpsertAsync_XRateLimitRemainingShowsOtherTraffic_BudgetCountsItsRequests()
    {
        // Arrange: another client used 7 of Harbor's 10 requests this second
        await using var h = HarborHarness.Create(o => o.MaxBudgetWait = TimeSpan.Zero);
        h.Sim.RequestsPerSecond = 10;
        h.Sim.AddRequestsFromElsewhere(7);
        var context = h.Context();

        // Act: the first answer says 2 remain; the budget holds the slots it did not count
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace", email: "ada@example.test", phone: "+447700900001")]));

        // Assert: 3 requests reached Harbor (its window full), the create waits in CrmSync, no 429
        Assert.Equal("BUDGET", ex.PolicyName);
        Assert.Equal(3, h.Sim.Requests.Count);
        Assert.Equal(0, h.Sim.ThrottledCount);
        Assert.Equal(10, h.Provider.RequestBudget.GetUsage(context.ConnectionId).BurstUsed);
    }
}
