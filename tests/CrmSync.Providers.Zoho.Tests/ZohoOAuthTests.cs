using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>Refresh shortly before expiry, revocation and secrets kept out of logs and exceptions, through the SDK client.</summary>
public sealed class ZohoOAuthTests
{
    [Fact]
    public async Task GetCrmUsersAsync_TwentyConcurrentCallsJustBeforeExpiry_RefreshOnceAheadOfTime()
    {
        // Arrange: 59 minutes after sign-in the one-hour token is inside the refresh margin but still valid
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Eu);
        var connection = await h.ConnectAsync("eu");
        h.Time.Advance(TimeSpan.FromMinutes(59));
        var before = h.Sim.RequestCount;

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => h.Client.GetCrmUsersAsync(ZohoHarness.Tenant, connection.Id)));

        // Assert: one token call plus 20 API calls, and no 401 along the way
        Assert.All(results, users => Assert.Equal(2, users.Count));
        var log = await h.Client.GetSyncLogAsync(ZohoHarness.Tenant, connection.Id);
        Assert.Single(log, e => e.EventType == SyncEventTypes.AuthRefresh);
        Assert.Equal(21, h.Sim.RequestCount - before);
    }

    [Fact]
    public async Task GetCrmUsersAsync_TwentyConcurrentCallsAfterTokensExpired_RefreshOnce()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        h.Sim.ExpireAccessTokens();

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => h.Client.GetCrmUsersAsync(ZohoHarness.Tenant, connection.Id)));

        // Assert
        Assert.All(results, users => Assert.Equal(2, users.Count));
        Assert.Single(await h.Client.GetSyncLogAsync(ZohoHarness.Tenant, connection.Id), e => e.EventType == SyncEventTypes.AuthRefresh);
    }

    [Fact]
    public async Task SyncNowAsync_RefreshTokenRevoked_MovesToRevokedAndAlertsOnce()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, ZohoHarness.Contact("c-1"));
        h.Sim.RevokeAllTokens();

        // Act
        var first = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        var stored = await h.Client.GetConnectionAsync(ZohoHarness.Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Revoked, stored.Status.Status);
        Assert.Contains("revoked", stored.State.RevokedReason, StringComparison.Ordinal);
        Assert.Single(h.Alerts, a => a.Kind == CrmSyncAlertKind.Revoked);
    }

    [Fact]
    public async Task SignInRefreshAndRevocation_Always_KeepTokensOutOfLogsAndExceptions()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        h.Sim.ExpireAccessTokens();
        await h.Client.GetCrmUsersAsync(ZohoHarness.Tenant, connection.Id);
        h.Sim.RevokeAllTokens();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, ZohoHarness.Contact("c-1"));

        // Act
        var run = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        var revoked = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Client.GetCrmUsersAsync(ZohoHarness.Tenant, connection.Id));

        // Assert: the simulator's access and refresh tokens all start with "1000."
        var text = string.Join("\n", h.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception))
            + run.Message + revoked + string.Join("\n", (await h.Client.GetSyncLogAsync(ZohoHarness.Tenant, connection.Id)).Select(e => e.Error));
        Assert.NotEmpty(h.Logs.GetSnapshot());
        Assert.DoesNotContain("1000.", text.Replace("1000.SIMCLIENT", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("sim-client-secret", text, StringComparison.Ordinal);
    }
}
