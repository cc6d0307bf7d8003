using System.Net;

namespace CrmSync.Providers.Pipedrive.Simulator.Tests;

/// <summary>The simulator sends Pipedrive's documented limit headers, and the undocumented daily token headers only when asked to.</summary>
public sealed class PipedriveSimulatorHeadersTests : PipedriveSimulatorTestBase
{
    [Fact]
    public async Task Get_ApiToken_SendsDocumentedHeadersOnly()
    {
        // Act
        using var response = await SendAsync(HttpMethod.Get, "/api/v1/users");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("x-ratelimit-limit"));
        Assert.True(response.Headers.Contains("x-ratelimit-remaining"));
        Assert.True(response.Headers.Contains("x-ratelimit-reset"));
        Assert.Equal("10000", response.Headers.GetValues("x-daily-requests-left").Single());
        Assert.False(response.Headers.Contains("x-daily-ratelimit-token-remaining"));
    }

    [Fact]
    public async Task Get_BurstWindowFull_Answers429WithRetryAfterTenSeconds()
    {
        // Arrange
        Sut.SetBurstLimit(0);

        // Act
        using var response = await SendAsync(HttpMethod.Get, "/api/v1/users");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        Assert.Equal("0", response.Headers.GetValues("x-ratelimit-remaining").Single());
    }
}
