using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using LogRecordText = CrmSync.TestUtils.LogRecordText;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>OAuth sign-in, refresh and revocation through the SDK client, and secrets kept out of logs and exceptions.</summary>
public sealed class PipedriveOAuthTests
{
    [Fact]
    public async Task BeginSignInAsync_OAuthConfigured_PointsAtAuthorizeWithClientRedirectAndState()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.Client.CreateConnectionAsync(PipedriveHarness.Tenant, PipedriveCrmProvider.ProviderName);

        // Act
        var uri = await h.Client.BeginSignInAsync(PipedriveHarness.Tenant, connection.Id, PipedriveHarness.RedirectUri);

        // Assert
        Assert.StartsWith(h.Sim.AuthorizeUrl.ToString(), uri.ToString(), StringComparison.Ordinal);
        Assert.Contains("client_id=sim-client-id", uri.Query, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=" + Uri.EscapeDataString(PipedriveHarness.RedirectUri.ToString()), uri.Query, StringComparison.Ordinal);
        Assert.Contains("state=", uri.Query, StringComparison.Ordinal);
        Assert.Equal(new Uri(h.Sim.BaseUrl, "oauth/token"), h.Provider.TokenUri);
    }

    [Fact]
    public async Task CompleteSignInAsync_Simulator_ConnectsWithCompanyLabelAndApiDomain()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();

        // Act
        var connection = await h.ConnectWithOAuthAsync();
        var users = await h.Client.GetCrmUsersAsync(PipedriveHarness.Tenant, connection.Id);

        // Assert
        var stored = await h.Client.GetConnectionAsync(PipedriveHarness.Tenant, connection.Id);
        Assert.True(stored.HasCredentials);
        Assert.Equal("Acme (acme.pipedrive.com)", stored.AccountLabel);
        Assert.Equal(2, users.Count);
    }

    [Fact]
    public async Task GetCrmUsersAsync_TwentyConcurrentCallsAfterExpiry_RefreshOnce()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithOAuthAsync();
        h.Sim.ExpireAccessTokens();

        // Act
        var calls = Enumerable.Range(0, 20).Select(_ => h.Client.GetCrmUsersAsync(PipedriveHarness.Tenant, connection.Id));
        var results = await Task.WhenAll(calls);

        // Assert
        Assert.All(results, users => Assert.Equal(2, users.Count));
        var log = await h.Client.GetSyncLogAsync(PipedriveHarness.Tenant, connection.Id);
        Assert.Single(log, e => e.EventType == SyncEventTypes.AuthRefresh);
    }

    [Fact]
    public async Task SyncNowAsync_RefreshTokenRevoked_MovesToRevokedAndAlertsOnce()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithOAuthAsync();
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, PipedriveHarness.Contact("c-1"));
        h.Sim.RevokeAllTokens();

        // Act
        var first = await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        Assert.False(second.Ran && second.Outcome != SyncRunOutcome.Revoked);
        var stored = await h.Client.GetConnectionAsync(PipedriveHarness.Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Revoked, stored.Status.Status);
        Assert.Contains("Pipedrive", stored.State.RevokedReason, StringComparison.Ordinal);
        Assert.Single(h.Alerts, a => a.Kind == CrmSyncAlertKind.Revoked);
    }

    [Fact]
    public async Task SignInRefreshAndRevocation_Always_KeepTokensOutOfLogsAndExceptions()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithOAuthAsync();
        h.Sim.ExpireAccessTokens();
        await h.Client.GetCrmUsersAsync(PipedriveHarness.Tenant, connection.Id);
        h.Sim.RevokeAllTokens();
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, PipedriveHarness.Contact("c-1"));

        // Act
        var run = await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);
        var revoked = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Client.GetCrmUsersAsync(PipedriveHarness.Tenant, connection.Id));

        // Assert: the simulator hands out "v1u:…" access tokens and "sim-refresh-…" refresh tokens
        var text = string.Join("\n", h.Logs.GetSnapshot().Select(LogRecordText.Of))
            + run.Message + revoked + string.Join("\n", (await h.Client.GetSyncLogAsync(PipedriveHarness.Tenant, connection.Id)).Select(e => e.Error));
        Assert.NotEmpty(h.Logs.GetSnapshot());
        Assert.DoesNotContain("v1u:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-refresh-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sim-client-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Sim.ApiToken, text, StringComparison.Ordinal);
    }
}
