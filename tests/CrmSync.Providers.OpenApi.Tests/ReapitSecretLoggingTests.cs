using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>
/// Tokens and the client secret stay out of every log record a host can capture, Trace included: not only the message but
/// the structured state and the scopes that structured sinks (OpenTelemetry, Serilog, Application Insights) store.
/// </summary>
public sealed class ReapitSecretLoggingTests
{
    private const string Tenant = ReapitHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_TraceLoggingAcrossTokenRenewalAndCalls_NoSecretInAnyLogRecord()
    {
        // Arrange: a host logging at Trace (the harness) connects with client credentials; the token then expires
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, ReapitHarness.Contact("c-1"));
        var first = await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Sim.ExpireTokens();
        await h.Client.EnqueueAsync(Tenant, ReapitHarness.Contact("c-2"));

        // Act: a sync that renews the token (Basic client credentials on the token client), then writes
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert: the calls really ran and the HTTP clients (API and token endpoint) were logged
        Assert.Equal(SyncRunOutcome.Success, first.Outcome);
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(2, h.Sim.GetRecords("contacts").Count);
        var logs = h.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("/token", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.Contains("/contacts", StringComparison.Ordinal));

        // … and no access token, client credential or client secret in any record: message, exception, structured state, scopes
        string[] secrets = [.. h.Secrets.Distinct(), h.Sim.ClientSecret];
        Assert.True(secrets.Length >= 4, "Expected two access tokens (before and after the renewal), the Basic client credential and the client secret: " + secrets.Length);
        Assert.All(secrets, secret => Assert.All(logs, r => Assert.DoesNotContain(secret, LogRecordText.Of(r), StringComparison.Ordinal)));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, first.Message + run.Message, StringComparison.Ordinal));
    }
}
