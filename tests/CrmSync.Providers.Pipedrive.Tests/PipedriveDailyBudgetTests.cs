using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The daily token budget without the undocumented <c>x-daily-ratelimit-token-*</c> headers.</summary>
public sealed class PipedriveDailyBudgetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpsertAsync_DailyBudgetSpent_PausesUntilMidnightUtcWithOrWithoutTheUndocumentedHeaders(bool sendDailyTokenHeaders)
    {
        // Arrange: by default the simulator sends only the documented headers; 09:00 UTC, so midnight is 15 hours away.
        await using var h = PipedriveHarness.Create(simulator: o =>
        {
            o.DailyTokenBudget = 1;
            o.SendDailyTokenHeaders = sendDailyTokenHeaders;
        });
        var context = PipedriveProviderContractTests.Context(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [PipedriveProviderContractTests.Person("p-1")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromHours(15), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_BurstWindowFull_WaitsTheRetryAfterPenalty()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = PipedriveProviderContractTests.Context(h);
        h.Sim.SetBurstLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [PipedriveProviderContractTests.Person("p-1")]));

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
    }
}
