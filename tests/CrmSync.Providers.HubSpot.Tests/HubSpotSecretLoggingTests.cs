using CrmSync.Sdk;
using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>
/// Tokens and the client secret stay out of every log record a host can capture, Trace included: not only the message but
/// the structured state and the scopes that structured sinks (OpenTelemetry, Serilog, Application Insights) store.
/// </summary>
public sealed class HubSpotSecretLoggingTests
{
    private const string Tenant = HubSpotHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_TraceLoggingAcrossSignInRefreshAndCalls_NoSecretInAnyLogRecord()
    {
        // Arrange: a host logging at Trace (the harness) signs in through OAuth; the access token then expires
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [HubSpotHarness.Contact("c-1"), HubSpotHarness.Contact("c-2")]);
        h.Time.Advance(TimeSpan.FromMinutes(31));

        // Act: a sync (refresh, then writes) and a read
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var users = await h.Client.GetCrmUsersAsync(Tenant, connection.Id);

        // Assert: the calls really ran, with a refresh, and the HTTP clients (API and OAuth token endpoint) were logged
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(2, users.Count);
        Assert.Single(await h.Client.GetSyncLogAsync(Tenant, connection.Id), e => e.EventType == SyncEventTypes.AuthRefresh);
        Assert.Equal(2, h.Simulator.GetRecords("contacts").Count);
        var logs = h.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("/oauth/", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.Contains("/crm/", StringComparison.Ordinal));

        // … and no access token, refresh token or client secret in any record: message, exception, structured state, scopes
        string[] secrets = [.. h.Secrets.Distinct(), h.ClientSecret];
        Assert.True(secrets.Length >= 4, "Expected two access tokens (before and after the refresh), the refresh token and the client secret: " + secrets.Length);
        Assert.All(secrets, secret => Assert.All(logs, r => Assert.DoesNotContain(secret, LogRecordText.Of(r), StringComparison.Ordinal)));
        Assert.Contains(logs, r => r.Level == LogLevel.Debug || r.Level == LogLevel.Trace);
        await h.AssertNoSecretLeakedAsync(connection.Id, run.Message);
    }
}
