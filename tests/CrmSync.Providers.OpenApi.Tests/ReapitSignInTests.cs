using CrmSync.Sdk;
using Microsoft.Extensions.Logging.Testing;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>Sign-in kinds other than client credentials, and secrets staying out of logs.</summary>
public sealed class ReapitSignInTests
{
    private static readonly Uri RedirectUri = new("https://app.example.test/crm/callback");

    private static OpenApiProfile AuthorizationCodeProfile => OpenApiProfiles.Reapit with
    {
        Auth = OpenApiProfiles.Reapit.Auth with { Kind = OpenApiAuthKind.AuthorizationCode, Scopes = ["openid"] },
    };

    [Fact]
    public async Task AuthorizationCode_SignInSyncRefreshThenUninstall_EndsRevoked()
    {
        // Arrange: sign in through Reapit Connect's authorize redirect (state and PKCE checked by the SDK and the simulator)
        await using var h = ReapitHarness.Create(profile: AuthorizationCodeProfile);
        var connection = await h.Client.CreateConnectionAsync(ReapitHarness.Tenant, "reapit");
        var authorize = await h.Client.BeginSignInAsync(ReapitHarness.Tenant, connection.Id, RedirectUri);
        var (code, state) = await FollowRedirectAsync(authorize);
        connection = await h.Client.CompleteSignInAsync(state, code);
        await h.Client.ChooseStartingPointAsync(ReapitHarness.Tenant, connection.Id, StartingPoint.Skip);

        // Act
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1"));
        var first = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        h.Sim.ExpireTokens();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-2"));
        var refreshed = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        h.Sim.ExpireTokens();
        h.Sim.UninstallApp(ReapitHarness.Customer);
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-3"));
        var revoked = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        var state2 = await h.Client.GetConnectionAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, first.Outcome);
        Assert.Equal(SyncRunOutcome.Success, refreshed.Outcome);
        Assert.Equal(SyncRunOutcome.Revoked, revoked.Outcome);
        Assert.Equal(ConnectionStatus.Revoked, state2.Status.Status);
        Assert.Equal(2, h.Sim.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task Sync_WithTokenRenewalAndRevocation_NeverLogsTheClientSecret()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1"));
        await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        h.Sim.ExpireTokens();
        h.Sim.UninstallApp(ReapitHarness.Customer);
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-2"));

        // Act
        var run = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, run.Outcome);
        var logs = h.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs, r =>
        {
            Assert.DoesNotContain(h.Sim.ClientSecret, r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Bearer ", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(h.Sim.ClientSecret, r.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(h.Sim.ClientSecret, run.Message ?? string.Empty, StringComparison.Ordinal);
    }

    private static async Task<(string Code, string State)> FollowRedirectAsync(Uri authorize)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(authorize);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var query = response.Headers.Location!.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        return (query["code"], query["state"]);
    }
}
