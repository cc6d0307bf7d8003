using System.Net;
using CrmSync.Sdk.Http;

namespace CrmSync.Sdk.Tests.Http;

public class CrmHttpHelpersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("10", 10)]
    [InlineData("2.5", 2.5)]
    [InlineData("-3", 0)]
    [InlineData("Mon, 23 Nov 2026 09:00:30 GMT", 30)]
    [InlineData("Mon, 23 Nov 2026 08:00:00 GMT", 0)]
    public void ParseRetryAfter_Value_ReturnsWait(string value, double seconds)
    {
        // Act
        var wait = CrmHttpHeaders.ParseRetryAfter(value, Now);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void ParseRetryAfter_MissingOrUnreadable_ReturnsNull(string? value)
    {
        // Act
        var wait = CrmHttpHeaders.ParseRetryAfter(value, Now);

        // Assert
        Assert.Null(wait);
    }

    [Fact]
    public void GetRetryAfter_DeltaHeader_ReturnsDelta()
    {
        // Arrange
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        // Act
        var wait = CrmHttpHeaders.GetRetryAfter(response.Headers, Now);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(7), wait);
    }

    [Fact]
    public void GetInt32_NumericAndBadHeaders_ParsesOnlyNumbers()
    {
        // Arrange
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Remaining", "42");
        response.Headers.TryAddWithoutValidation("X-RateLimit-Max", "lots");

        // Act
        var remaining = CrmHttpHeaders.GetInt32(response.Headers, "x-ratelimit-remaining");
        var max = CrmHttpHeaders.GetInt32(response.Headers, "X-RateLimit-Max");

        // Assert
        Assert.Equal(42, remaining);
        Assert.Null(max);
    }

    [Fact]
    public void IsTransportFailure_CancellationRequestedByCaller_IsNotATransportFailure()
    {
        // Arrange
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        // Act
        var callerCancelled = CrmHttpFailures.IsTransportFailure(new TaskCanceledException(), cts.Token);
        var timedOut = CrmHttpFailures.IsTransportFailure(new TaskCanceledException(), CancellationToken.None);
        var dropped = CrmHttpFailures.IsTransportFailure(new HttpRequestException("reset"), CancellationToken.None);
        var bug = CrmHttpFailures.IsTransportFailure(new InvalidOperationException(), CancellationToken.None);

        // Assert
        Assert.False(callerCancelled);
        Assert.True(timedOut);
        Assert.True(dropped);
        Assert.False(bug);
    }

    [Fact]
    public void Unavailable_Timeout_SaysItDidNotAnswerInTime()
    {
        // Act
        var ex = CrmHttpFailures.Unavailable(new TaskCanceledException(), "testcrm", "Test CRM");

        // Assert
        Assert.Equal("Test CRM did not answer in time.", ex.Message);
        Assert.Equal("testcrm", ex.Provider);
    }

    [Theory]
    [InlineData(503, true)]
    [InlineData(524, true)]
    [InlineData(429, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    public void IsTransientStatus_Status_ClassifiesOutages(int status, bool transient)
    {
        // Act
        var result = CrmHttpFailures.IsTransientStatus(status);

        // Assert
        Assert.Equal(transient, result);
    }

    [Fact]
    public void DescribeBody_TokensAndLongText_MasksAndTruncates()
    {
        // Arrange
        var body = "{\"access_token\":\"secret-token-123\",\"message\":\"" + new string('x', 1000) + "\"} Bearer abc.def.ghi plain-secret-99";

        // Act
        var text = CrmHttpFailures.DescribeBody(body, ["plain-secret-99"]);

        // Assert
        Assert.DoesNotContain("secret-token-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-secret-99", text, StringComparison.Ordinal);
        Assert.True(text.Length <= 501);
    }

    [Fact]
    public async Task SendAsync_Rejected_RefreshesOnceAndResends()
    {
        // Arrange
        var accessor = new CountingAccessor();
        var sent = new List<string>();

        // Act
        var status = await CrmCredentialRetry.SendAsync(
            accessor,
            (credentials, _) =>
            {
                sent.Add(credentials.AccessToken!);
                return Task.FromResult(credentials.AccessToken == "old" ? 401 : 200);
            },
            s => s == 401);

        // Assert
        Assert.Equal(200, status);
        Assert.Equal(["old", "new"], sent);
        Assert.Equal(1, accessor.Refreshes);
    }

    [Fact]
    public async Task SendAsync_Accepted_DoesNotRefresh()
    {
        // Arrange
        var accessor = new CountingAccessor();

        // Act
        var status = await CrmCredentialRetry.SendAsync(accessor, (_, _) => Task.FromResult(200), s => s == 401);

        // Assert
        Assert.Equal(200, status);
        Assert.Equal(0, accessor.Refreshes);
    }

    [Fact]
    public async Task BudgetHandler_RequestWithConnectionId_TakesASlotAndReadsLimits()
    {
        // Arrange
        var budget = new CrmRequestBudget("testcrm", "Test CRM", new CrmRequestBudgetOptions { DailyLimit = 100 });
        using var handler = new CrmRequestBudgetHandler(budget, _ => new CrmRateLimitSnapshot { DailyLimit = 100, DailyRemaining = 90 }) { InnerHandler = new OkHandler() };
        using var client = new HttpClient(handler);
        var id = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://crm.test/");
        request.Options.Set(CrmHttpRequestOptions.ConnectionId, id);

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        Assert.Equal(10, budget.GetUsage(id).DailyUsed);
    }

    private sealed class CountingAccessor : ICrmCredentialAccessor
    {
        private CrmCredentials _current = new() { AccessToken = "old" };

        public int Refreshes { get; private set; }

        public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(_current);

        public Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
        {
            Refreshes++;
            _current = new CrmCredentials { AccessToken = "new" };
            return Task.FromResult(_current);
        }
    }

    private sealed class OkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
