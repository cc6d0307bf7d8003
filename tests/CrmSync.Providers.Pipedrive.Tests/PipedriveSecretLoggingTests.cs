using CrmSync.Sdk;
using LogRecordText = CrmSync.TestUtils.LogRecordText;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>
/// Tokens, the API token and the client secret stay out of every log record a host can capture, Trace included: not only
/// the message but the structured state and the scopes that structured sinks (OpenTelemetry, Serilog, Application Insights) store.
/// </summary>
public sealed class PipedriveSecretLoggingTests
{
    private const string Tenant = PipedriveHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_TraceLoggingAcrossSignInRefreshAndCalls_NoSecretInAnyLogRecord()
    {
        // Arrange: a host logging at Trace (the harness) signs one connection in through OAuth, whose access token then
        // expires, and connects another with an API token (sent in x-api-token)
        await using var h = PipedriveHarness.Create();
        var oauth = await h.ConnectWithOAuthAsync();
        var apiToken = await h.ConnectWithApiTokenAsync();
        await h.Client.EnqueueAsync(Tenant, [PipedriveHarness.Contact("c-1"), PipedriveHarness.Contact("c-2")]);
        h.Sim.ExpireAccessTokens();

        // Act: syncs (a refresh, then writes) and reads on both connections
        var run = await h.Client.SyncNowAsync(Tenant, oauth.Id);
        var users = await h.Client.GetCrmUsersAsync(Tenant, oauth.Id);
        var apiTokenRun = await h.Client.SyncNowAsync(Tenant, apiToken.Id);
        var apiTokenUsers = await h.Client.GetCrmUsersAsync(Tenant, apiToken.Id);

        // Assert: the calls really ran, with a refresh, and the HTTP clients (API and OAuth token endpoint) were logged
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(SyncRunOutcome.Success, apiTokenRun.Outcome);
        Assert.NotEmpty(users);
        Assert.NotEmpty(apiTokenUsers);
        Assert.Single(await h.Client.GetSyncLogAsync(Tenant, oauth.Id), e => e.EventType == SyncEventTypes.AuthRefresh);
        var logs = h.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Message.Contains("/oauth/token", StringComparison.Ordinal));
        Assert.Contains(logs, r => r.Message.Contains("/persons", StringComparison.Ordinal));

        // … and no access token, refresh token, API token or client secret in any record: message, exception, structured state, scopes
        string[] secrets = [.. h.Secrets.Distinct(), h.Sim.ApiToken, PipedriveHarness.ClientSecret];
        Assert.True(secrets.Length >= 5, "Expected two access tokens (before and after the refresh), a refresh token, the API token and the client secret: " + secrets.Length);
        Assert.All(secrets, secret => Assert.All(logs, r => Assert.DoesNotContain(secret, LogRecordText.Of(r), StringComparison.Ordinal)));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, run.Message + apiTokenRun.Message, StringComparison.Ordinal));
    }
}
