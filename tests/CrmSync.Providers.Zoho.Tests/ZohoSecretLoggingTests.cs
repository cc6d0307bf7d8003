using CrmSync.Sdk;
using LogRecordText = CrmSync.TestUtils.LogRecordText;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>
/// Tokens and the client secret stay out of every log record a host can capture, Trace included: not only the message but
/// the structured state and the scopes that structured sinks (OpenTelemetry, Serilog, Application Insights) store.
/// </summary>
public sealed class ZohoSecretLoggingTests
{
    private const string Tenant = ZohoHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_TraceLoggingAcrossSignInRefreshAndCalls_NoSecretInAnyLogRecord()
    {
        // Arrange: a host logging at Trace (the harness) signs in through OAuth; the access token then expires
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [ZohoHarness.Contact("c-1"), ZohoHarness.Contact("c-2")]);
        h.Sim.ExpireAccessTokens();

        // Act: a sync (a refresh, then writes) and a read
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var users = await h.Client.GetCrmUsersAsync(Tenant, connection.Id);

        // Assert: the calls really ran, with a refresh, and the HTTP clients (API and accounts token endpoint) were logged
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.NotEmpty(users);
        Assert.Single(await h.Client.GetSyncLogAsync(Tenant, connection.Id), e => e.EventType == SyncEventTypes.AuthRefresh);
        var logs = h.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("/oauth/v2/token", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.Contains("/crm/", StringComparison.Ordinal));

        // … and no access token, refresh token or client secret in any record: message, exception, structured state, scopes
        string[] secrets = [.. h.Secrets.Distinct(), ZohoHarness.ClientSecret];
        Assert.True(secrets.Length >= 4, "Expected two access tokens (before and after the refresh), a refresh token and the client secret: " + secrets.Length);
        Assert.All(secrets, secret => Assert.All(logs, r => Assert.DoesNotContain(secret, LogRecordText.Of(r), StringComparison.Ordinal)));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, run.Message ?? string.Empty, StringComparison.Ordinal));
    }
}
