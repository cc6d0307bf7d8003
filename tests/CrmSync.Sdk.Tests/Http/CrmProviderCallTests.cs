using System.Net;
using CrmSync.Sdk.Http;

namespace CrmSync.Sdk.Tests.Http;

public class CrmProviderCallTests
{
    [Fact]
    public async Task SendAsync_RejectedOnce_RefreshesOnceAndReturnsTheSecondAnswer()
    {
        // Arrange
        var credentials = new Credentials();
        var context = Context(credentials);
        var sent = new List<string?>();

        // Act
        using var response = await CrmProviderCall.SendAsync(
            context,
            new Provider(),
            (c, _) =>
            {
                sent.Add(c.AccessToken);
                return Task.FromResult(new HttpResponseMessage(sent.Count == 1 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK));
            },
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            (_, _) => null,
            CancellationToken.None);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["old", "fresh"], sent);
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task SendAsync_RejectedAfterRefresh_ThrowsWhatTheProviderMapsWithTheCredentialsUsed()
    {
        // Arrange
        var credentials = new Credentials();
        CrmCredentials? mappedWith = null;

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => CrmProviderCall.SendAsync(
            Context(credentials),
            new Provider(),
            (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized)),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            (r, used) =>
            {
                mappedWith = used;
                return r.StatusCode == HttpStatusCode.Unauthorized ? new CrmAuthRevokedException("Reconnect Test CRM.", "testcrm") : null;
            },
            CancellationToken.None));

        // Assert
        Assert.Equal("Reconnect Test CRM.", ex.Message);
        Assert.Equal("fresh", mappedWith?.AccessToken);
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task SendAsync_ConnectionDropped_ThrowsUnavailableNamingTheCrm()
    {
        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => CrmProviderCall.SendAsync<HttpResponseMessage>(
            Context(new Credentials()),
            new Provider(),
            (_, _) => throw new HttpRequestException("connection reset"),
            _ => false,
            (_, _) => null,
            CancellationToken.None));

        // Assert
        Assert.Contains("Test CRM", ex.Message, StringComparison.Ordinal);
        Assert.Equal("testcrm", ex.Provider);
    }

    [Fact]
    public async Task SendAsync_SuccessTheClientCouldNotRead_ThrowsUnavailableSoTheRecordsStayQueued()
    {
        // Arrange: a 200 whose JSON was cut off, as Refit reports it (the content is missing, the error says why).
        var settings = new Refit.RefitSettings();
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://crm.example.test/batch/upsert");
        var http = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("{\"results\":[{\"id\":\"1\"", System.Text.Encoding.UTF8, "application/json") };
        var error = await Refit.ApiException.Create("An error occured deserializing the response.", request, HttpMethod.Post, http, settings, new System.Text.Json.JsonException("unexpected end"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => CrmProviderCall.SendAsync(
            Context(new Credentials()),
            new Provider(),
            (_, _) => Task.FromResult<Refit.IApiResponse<string>>(new Refit.ApiResponse<string>(http, null, settings, error)),
            _ => false,
            (_, _) => null,
            CancellationToken.None));

        // Assert
        Assert.Equal("Test CRM answered with a response CrmSync could not read; the records stay queued and are sent again.", ex.Message);
        Assert.Equal("testcrm", ex.Provider);
    }

    [Fact]
    public async Task SendAsync_CallerCancelled_ThrowsCancellationNotUnavailable()
    {
        // Arrange
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        // Act + Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CrmProviderCall.SendAsync<HttpResponseMessage>(
            Context(new Credentials()),
            new Provider(),
            (_, ct) => Task.FromException<HttpResponseMessage>(new TaskCanceledException("cancelled", null, ct)),
            _ => false,
            (_, _) => null,
            cts.Token));
    }

    private static CrmProviderContext Context(ICrmCredentialAccessor credentials) =>
        new("tenant", Guid.NewGuid(), null, new ConnectionSettings(), credentials);

    private sealed class Credentials : ICrmCredentialAccessor
    {
        public int Refreshes { get; private set; }

        public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new CrmCredentials { AccessToken = Refreshes == 0 ? "old" : "fresh" });

        public Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
        {
            Refreshes++;
            return Task.FromResult(new CrmCredentials { AccessToken = "fresh" });
        }
    }

    private sealed class Provider : ICrmProvider
    {
        public string Name => "testcrm";

        public string DisplayName => "Test CRM";

        public CrmProviderCapabilities Capabilities { get; } = new() { MaxBatchSize = 1 };

        public Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by these tests.");

        public Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Not used by these tests.");

        public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId) => null;
    }
}
