using CrmSync.Sdk;
using CrmSync.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CrmSync.Sdk.Testing.Tests;

public class InMemoryCrmProviderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static CrmRecordWrite Contact(string id, string? owner = null, string lastName = "Lovelace") => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = id,
        ExternalIdField = "ext_id",
        Fields = new Dictionary<string, string?> { ["lastName"] = lastName },
        OwnerIdOnCreate = owner,
    };

    private CrmProviderContext Context(InMemoryCrmProvider provider, CrmCredentials? credentials = null) =>
        new("t", Guid.NewGuid(), null, new ConnectionSettings(), new FixedCredentials(credentials ?? provider.IssueTokens(), provider));

    [Fact]
    public async Task UpsertAsync_SameExternalIdTwice_UpdatesOneRecordKeepingOwner()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time);
        var context = Context(sut);

        // Act
        var created = await sut.UpsertAsync(context, [Contact("c1", owner: "o1")]);
        var updated = await sut.UpsertAsync(context, [Contact("c1", owner: "o2", lastName: "Byron")]);

        // Assert
        Assert.True(created[0].Created);
        Assert.False(updated[0].Created);
        Assert.Equal(created[0].CrmRecordId, updated[0].CrmRecordId);
        var record = Assert.Single(sut.Records);
        Assert.Equal(("o1", "Byron", "c1", 2), (record.OwnerId, record.Fields["lastName"], record.Fields["ext_id"], record.WriteCount));
    }

    [Fact]
    public async Task UpsertAsync_OverBatchSize_IsRejected()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(capabilities: new CrmProviderCapabilities { MaxBatchSize = 2 }, timeProvider: _time);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => sut.UpsertAsync(Context(sut), [Contact("a"), Contact("b"), Contact("c")]));

        // Assert
        Assert.Equal("Batch of 3 exceeds the limit of 2.", ex.Message);
        Assert.Empty(sut.Records);
    }

    [Fact]
    public async Task Injected_FailuresRateLimitsOutageRevocation_ThrowTheSdkExceptions()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time);
        var context = Context(sut);
        sut.FailNextCalls(1);
        sut.RateLimitNextCalls(1, TimeSpan.FromSeconds(7), dailyLimit: true);

        // Act + Assert
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => sut.UpsertAsync(context, [Contact("a")]));
        var limited = await Assert.ThrowsAsync<CrmRateLimitedException>(() => sut.UpsertAsync(context, [Contact("a")]));
        Assert.Equal((TimeSpan.FromSeconds(7), true), (limited.RetryAfter!.Value, limited.IsDailyLimit));
        sut.SimulateOutage(true);
        Assert.Equal(503, (await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => sut.UpsertAsync(context, [Contact("a")]))).Status);
        sut.Revoke("gone");
        Assert.Equal("gone", (await Assert.ThrowsAsync<CrmAuthRevokedException>(() => sut.UpsertAsync(context, [Contact("a")]))).Reason);
        sut.Restore();
        Assert.True((await sut.UpsertAsync(context, [Contact("a")]))[0].Succeeded);
    }

    [Fact]
    public async Task LoseNextResponses_WriteAppliedButCallerSeesTimeout()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time);
        sut.LoseNextResponses(1);

        // Act
        await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => sut.UpsertAsync(Context(sut), [Contact("a")]));
        var next = await sut.UpsertAsync(Context(sut), [Contact("a")]);

        // Assert
        Assert.Single(sut.Records);
        Assert.False(next[0].Created);
    }

    [Fact]
    public async Task UpsertAsync_ExpiredToken_RefreshesThroughContext()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time);
        var credentials = new FixedCredentials(sut.IssueTokens(), sut);
        var context = new CrmProviderContext("t", Guid.NewGuid(), null, new ConnectionSettings(), credentials);
        _time.Advance(TimeSpan.FromMinutes(31));

        // Act
        await sut.UpsertAsync(context, [Contact("a")]);

        // Assert
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task Latency_UsesTheProvidersClock()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time) { Latency = TimeSpan.FromSeconds(5) };

        // Act
        var call = sut.UpsertAsync(Context(sut), [Contact("a")]);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        await call;

        // Assert
        Assert.Single(sut.Records);
    }

    [Fact]
    public void GetRecordLink_PointsAtRecord()
    {
        // Arrange
        var sut = new InMemoryCrmProvider(timeProvider: _time);

        // Act + Assert
        Assert.Equal(new Uri("https://crm.example.test/contacts/000042"), sut.GetRecordLink(Context(sut), CrmObjectType.Contact, "000042"));
    }

    private sealed class FixedCredentials(CrmCredentials credentials, InMemoryCrmProvider provider) : ICrmCredentialAccessor
    {
        private CrmCredentials _current = credentials;

        public int Refreshes { get; private set; }

        public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(_current);

        public async Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
        {
            Refreshes++;
            _current = await provider.RefreshAsync(null!, rejected, cancellationToken);
            return _current;
        }
    }
}
