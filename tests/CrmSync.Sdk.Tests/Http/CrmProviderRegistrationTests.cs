using System.Net;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk.Tests.Http;

public class CrmProviderRegistrationTests
{
    private const string ClientName = "CrmSync.Test";

    [Theory]
    [InlineData("GET", false, 3)]
    [InlineData("PATCH", false, 3)]
    [InlineData("POST", false, 1)]
    [InlineData("POST", true, 3)]
    public async Task HttpClient_TransientAnswer_RetriedOnlyWhenSafeToRepeat(string method, bool markedIdempotent, int expectedAttempts)
    {
        // Arrange
        var primary = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        await using var services = Build(primary, o => o.MaxTransportRetries = 2);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/objects");
        request.Options.Set(CrmHttpRequestOptions.Idempotent, markedIdempotent);

        // Act
        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName).SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(expectedAttempts, primary.Attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task HttpClient_LimitOrAuthAnswer_NeverRetried(HttpStatusCode status)
    {
        // Arrange
        var primary = new ScriptedHandler(_ => new HttpResponseMessage(status));
        await using var services = Build(primary, o => o.MaxTransportRetries = 2);

        // Act
        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName).GetAsync(new Uri("/objects", UriKind.Relative));

        // Assert
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, primary.Attempts);
    }

    [Fact]
    public async Task HttpClient_RequestOfAConnection_CountsAgainstTheKeyedBudget()
    {
        // Arrange
        var primary = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        await using var services = Build(primary, o => o.RequestBudget.BurstLimit = 5);
        var connection = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/objects");
        request.Options.Set(CrmHttpRequestOptions.ConnectionId, connection);

        // Act
        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName).SendAsync(request);

        // Assert
        Assert.Equal(1, services.GetCrmRequestBudget(TestProvider.ProviderName).GetUsage(connection).BurstUsed);
    }

    [Fact]
    public async Task HttpClient_TraceLoggingOfARequestWithCredentials_LogsNoHeaderValueAndNoQuery()
    {
        // Arrange: a host logging everything at Trace; a request with a bearer token, an API-key header and a query
        const string Token = "sk-live-token-0123456789";
        const string ApiKey = "api-key-9876543210";
        var primary = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        await using var services = Build(primary, _ => { }, logging => logging
            .AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/objects?email=ada%40example.test");
        request.Headers.Authorization = new("Bearer", Token);
        request.Headers.Add("x-api-token", ApiKey);

        // Act
        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName).SendAsync(request);

        // Assert: one header-free record (provider, method, path, status), and no secret or query anywhere in any record
        var logs = services.GetRequiredService<FakeLogCollector>().GetSnapshot();
        var record = Assert.Single(logs, r => r.Category == "CrmSync.Http");
        Assert.Equal(9110, record.Id.Id);
        Assert.Equal("testcrm", record.GetStructuredStateValue("Provider"));
        Assert.Equal("/objects", record.GetStructuredStateValue("Path"));
        Assert.Equal("200", record.GetStructuredStateValue("Status"));
        Assert.DoesNotContain(logs, r => r.Category?.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) == true);
        Assert.All(logs, r =>
        {
            var text = string.Join("\n", [r.Message, r.Exception?.ToString(), .. (r.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"), .. r.Scopes.Select(s => s?.ToString())]);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("example.test", text.Replace("crm.example.test", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AddCrmProvider_RegisteredTwice_AddsOneProviderAndBothConfigurations()
    {
        // Arrange
        var services = new ServiceCollection();
        var builder = services.AddCrmSync(o => o.EnableScheduler = false);

        // Act
        builder.AddCrmProvider<TestProvider, TestOptions>(TestProvider.ProviderName, "Test CRM", o => o.ClientId = "id", _ => { }, _ => new TestProvider());
        builder.AddCrmProvider<TestProvider, TestOptions>(TestProvider.ProviderName, "Test CRM", o => o.ClientSecret = "secret", _ => { }, _ => new TestProvider());
        using var provider = services.BuildServiceProvider();

        // Assert
        Assert.Single(provider.GetServices<ICrmProvider>().OfType<TestProvider>());
        var options = provider.GetRequiredService<IOptions<TestOptions>>().Value;
        Assert.True(options.HasOAuthClient);
    }

    [Fact]
    public void ValidateCommon_BadTimeoutsHalfAClientAndARelativeAddress_NamesEachProblem()
    {
        // Arrange
        var options = new TestOptions { ClientId = "id", AttemptTimeout = TimeSpan.FromMinutes(2), TotalRequestTimeout = TimeSpan.FromMinutes(1) };

        // Act
        var failures = options.ValidateCommon("Test CRM", ("ApiBaseAddress", new Uri("/relative", UriKind.Relative)));

        // Assert
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("TotalRequestTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ApiBaseAddress", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(ScriptedHandler primary, Action<TestOptions> configure, Action<IServiceCollection>? logging = null)
    {
        var services = new ServiceCollection();
        logging?.Invoke(services);
        services.AddCrmSync(o => o.EnableScheduler = false).AddCrmProvider<TestProvider, TestOptions>(
            TestProvider.ProviderName,
            "Test CRM",
            o =>
            {
                o.TransportRetryDelay = TimeSpan.Zero;
                configure(o);
            },
            http => http.AddHttpClient(ClientName, o => o.ApiBaseAddress).ConfigurePrimaryHttpMessageHandler(() => primary),
            _ => new TestProvider());
        return services.BuildServiceProvider();
    }

    private sealed class TestOptions : CrmProviderOptions
    {
        public Uri ApiBaseAddress { get; set; } = new("https://crm.example.test/");
    }

    private sealed class TestProvider : ICrmProvider
    {
        public const string ProviderName = "testcrm";

        public string Name => ProviderName;

        public string DisplayName => "Test CRM";

        public CrmProviderCapabilities Capabilities { get; } = new() { MaxBatchSize = 10 };

        public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by these tests.");

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by these tests.");

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => null;
    }

    /// <summary>The network: answers every attempt with the script and counts attempts.</summary>
    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return Task.FromResult(answer(request));
        }
    }
}
