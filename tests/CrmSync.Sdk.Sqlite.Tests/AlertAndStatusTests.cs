using CrmSync.Sdk;

namespace CrmSync.Sdk.Sqlite.Tests;

public class AlertAndStatusTests
{
    private static async Task<SyncRunResult> RunAgainAsync(SyncHarness h, Guid connectionId)
    {
        h.Time.Advance(TimeSpan.FromMinutes(5));
        return await h.Client.SyncNowAsync(SyncHarness.Tenant, connectionId);
    }

    [Fact]
    public async Task SyncNowAsync_ThreeRealFailures_RaiseExactlyOneAlert()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.FailNextCalls(5);

        // Act
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SyncRunOutcome.Failed, (await RunAgainAsync(h, connection.Id)).Outcome);
        }

        // Assert
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.ConsecutiveFailures, alert.Kind);
        Assert.Equal("In-memory CRM", alert.CrmName);
        Assert.Equal(3, alert.ConsecutiveFailures);
        Assert.Equal(new Uri("https://app.example.test/settings/integrations"), alert.Link);
        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Error, view.Status.Status);
        Assert.Equal(ConnectionHealth.Red, view.Status.Health);
        Assert.Equal(5, view.State.ConsecutiveFailures);
        Assert.True(await h.Client.NeedsAttentionAsync(SyncHarness.Tenant));
        Assert.Single(await h.Client.GetAlertsAsync(SyncHarness.Tenant));
    }

    [Fact]
    public async Task SyncNowAsync_SuccessAfterFailures_ResetsEpisodeSoNextStreakAlertsAgain()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.AlertAfterConsecutiveFailures = 2);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.FailNextCalls(2);

        // Act
        await RunAgainAsync(h, connection.Id);
        await RunAgainAsync(h, connection.Id);
        var success = await RunAgainAsync(h, connection.Id);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c2"));
        h.Provider.FailNextCalls(2);
        await RunAgainAsync(h, connection.Id);
        await RunAgainAsync(h, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, success.Outcome);
        Assert.Equal(2, h.Alerts.Received.Count);
    }

    [Fact]
    public async Task SyncNowAsync_RateLimitsAndOutages_DoNotCountTowardAlerts()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.RateLimitNextCalls(3, TimeSpan.FromSeconds(10));

        // Act
        var limited = new List<SyncRunResult>();
        for (var i = 0; i < 3; i++)
        {
            limited.Add(await RunAgainAsync(h, connection.Id));
        }

        h.Provider.SimulateOutage(true);
        var outages = new List<SyncRunResult>();
        for (var i = 0; i < 3; i++)
        {
            outages.Add(await RunAgainAsync(h, connection.Id));
        }

        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.All(limited, r => Assert.Equal(SyncRunOutcome.RateLimited, r.Outcome));
        Assert.Contains("rate limit", limited[0].Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), limited[0].RetryAfter);
        Assert.All(outages, r => Assert.Equal(SyncRunOutcome.ProviderUnavailable, r.Outcome));
        Assert.Empty(h.Alerts.Received);
        Assert.Equal(0, view.State.ConsecutiveFailures);
        Assert.NotEqual(ConnectionStatus.Error, view.Status.Status);
        Assert.Equal(1, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task SyncNowAsync_Revoked_MovesToRevokedWithReasonAndAlertsOnce()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.Revoke("The app was uninstalled from the CRM account.");

        // Act
        var first = await RunAgainAsync(h, connection.Id);
        var second = await RunAgainAsync(h, connection.Id);
        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        Assert.False(second.Ran);
        Assert.Equal(ConnectionStatus.Revoked, view.Status.Status);
        Assert.Equal("The app was uninstalled from the CRM account.", view.Status.Reason);
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.Revoked, alert.Kind);

        // Reconnect with new credentials restores syncing and clears the alert.
        h.Provider.Restore();
        await h.Client.SetCredentialsAsync(SyncHarness.Tenant, connection.Id, h.Provider.IssueTokens());
        var resumed = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        Assert.Equal(1, resumed.Synced);
        Assert.Equal(ConnectionStatus.Active, (await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id)).Status.Status);
        Assert.Empty(await h.Client.GetAlertsAsync(SyncHarness.Tenant));
    }

    [Fact]
    public async Task SyncNowAsync_DailyLimit_PausesUntilResetThenResumes()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        h.Provider.RateLimitNextCalls(1, TimeSpan.FromHours(3), dailyLimit: true);

        // Act
        var limited = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var paused = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromHours(2));
        var dueBeforeReset = await h.Client.RunDueSyncsAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        var dueAfterReset = await h.Client.RunDueSyncsAsync();
        var resumed = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, limited.Outcome);
        Assert.Equal(ConnectionStatus.Paused, paused.Status.Status);
        Assert.StartsWith("In-memory CRM daily API limit reached", paused.Status.Reason, StringComparison.Ordinal);
        Assert.Equal(0, dueBeforeReset);
        Assert.Equal(1, dueAfterReset);
        Assert.Equal(ConnectionStatus.Active, resumed.Status.Status);
        Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Empty(h.Alerts.Received);
    }

    [Fact]
    public async Task GetConnectionAsync_NoSuccessFor36Hours_IsStaleAndNeedsAttention()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        h.Provider.SimulateOutage(true);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));

        // Act
        h.Time.Advance(TimeSpan.FromHours(36));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var atBoundary = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var after = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.NotEqual(ConnectionStatus.Stale, atBoundary.Status.Status);
        Assert.Equal(ConnectionStatus.Stale, after.Status.Status);
        Assert.True(after.Status.NeedsAttention);
    }

    [Fact]
    public async Task GetProviderOutagesAsync_TwoTenantsFailing_ReportsProvider()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var a = await h.ConnectAsync(tenant: "tenant-a");
        var b = await h.ConnectAsync(tenant: "tenant-b");
        h.Provider.SimulateOutage(true);
        await h.Client.EnqueueAsync("tenant-a", SyncHarness.Contact("c1"));
        await h.Client.EnqueueAsync("tenant-b", SyncHarness.Contact("c1"));

        // Act
        await h.Client.SyncNowAsync("tenant-a", a.Id);
        var oneTenant = await h.Client.GetProviderOutagesAsync();
        await h.Client.SyncNowAsync("tenant-b", b.Id);
        var twoTenants = await h.Client.GetProviderOutagesAsync();

        // Assert
        Assert.Empty(oneTenant);
        Assert.Equal(["In-memory CRM"], twoTenants);
    }

    [Fact]
    public async Task PauseAsync_ByUser_StopsSyncingUntilResumed()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));

        // Act
        var paused = await h.Client.PauseAsync(SyncHarness.Tenant, connection.Id);
        var whilePaused = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        await h.Client.ResumeAsync(SyncHarness.Tenant, connection.Id);
        var resumed = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(ConnectionStatus.Paused, paused.Status.Status);
        Assert.False(whilePaused.Ran);
        Assert.Equal(1, resumed.Synced);
    }
}
