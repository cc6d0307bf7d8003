using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>API-key sign-in (the Harbor profile's <c>X-Harbor-Key</c> header): the key goes in the header only, never in a URL, a log line or an exception.</summary>
public sealed class HarborApiKeyTests
{
    [Fact]
    public async Task SyncNowAsync_ApiKeyProfile_SendsTheKeyInItsHeaderAndNeverLeaksIt()
    {
        // Arrange: a connection that syncs, then loses its key
        await using var h = HarborHarness.Create();
        var key = h.Sim.ApiKey;
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(HarborHarness.Tenant, ReapitHarness.Contact("c-1"));
        var synced = await h.Client.SyncNowAsync(HarborHarness.Tenant, connection.Id);
        h.Sim.RevokeKey();
        await h.Client.EnqueueAsync(HarborHarness.Tenant, ReapitHarness.Contact("c-2"));

        // Act
        var revoked = await h.Client.SyncNowAsync(HarborHarness.Tenant, connection.Id);
        var state = await h.Client.GetConnectionAsync(HarborHarness.Tenant, connection.Id);
        var thrown = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.UpsertAsync(h.Context(key), [HarborHarness.Person("c-3", "Byron")]));

        // Assert: every request carried the key in X-Harbor-Key and none in its URL
        Assert.Equal(SyncRunOutcome.Success, synced.Outcome);
        Assert.Equal(SyncRunOutcome.Revoked, revoked.Outcome);
        Assert.Equal(ConnectionStatus.Revoked, state.Status.Status);
        Assert.NotEmpty(h.Sim.Requests);
        Assert.All(h.Sim.Requests, r => Assert.Equal(key, r.ApiKey));
        Assert.All(h.Sim.Requests, r => Assert.DoesNotContain(key, r.PathAndQuery, StringComparison.Ordinal));
        Assert.Single(h.Sim.GetRecords("people"));

        // … and nowhere in what a host sees: log records (message, exception, structured state, scopes), run messages, status, the exception
        var logs = h.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.DoesNotContain(key, LogRecordText.Of(l), StringComparison.Ordinal));
        Assert.DoesNotContain(key, synced.Message ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(key, revoked.Message ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(key, state.Status.Reason ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(key, thrown.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_WrongApiKey_ThrowsAuthRevokedWithoutTheKey()
    {
        // Arrange
        await using var h = HarborHarness.Create();
        const string WrongKey = "harbor-typo-key-123";

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.UpsertAsync(h.Context(WrongKey), [HarborHarness.Person("c-1", "Lovelace")]));

        // Assert: Harbor saw the key in the header, the message does not repeat it
        Assert.Equal(WrongKey, Assert.Single(h.Sim.Requests).ApiKey);
        Assert.DoesNotContain(WrongKey, ex.ToString(), StringComparison.Ordinal);
        Assert.All(h.Logs.GetSnapshot(), l => Assert.DoesNotContain(WrongKey, l.Message + " " + l.Exception, StringComparison.Ordinal));
        Assert.Empty(h.Sim.GetRecords("people"));
    }
}
