using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets.Tests.Components;

/// <summary>Every widget state of issue 11, on facts the engine produces against the in-memory CRM.</summary>
public class CrmSyncStatusTruthTests : WidgetTestBase
{
    private IRenderedComponent<CrmSyncConnectionCard> RenderCard(Guid connectionId)
    {
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connectionId).Add(x => x.ManageHref, "/settings/integrations/hubspot"));
        WaitLoaded(cut);
        return cut;
    }

    private Task EnqueueWithoutLastNameAsync(string id) =>
        Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Contact, id, new Dictionary<string, string?> { [CrmFieldNames.Email] = $"{id}@example.com" }));

    private async Task FailThreeRunsAsync(Guid connectionId)
    {
        Provider.RequireContactField(CrmFieldNames.LastName);
        await EnqueueWithoutLastNameAsync("c1");
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(5));
            await Client.TryResyncAsync(Tenant, connectionId);
        }
    }

    [Fact]
    public async Task ConnectionCard_Outage_ShowsWaitNoRetryNoSyncNowAndAmber()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.SimulateOutage(true);
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("Paused", cut.Find(".crmsync-chip__label").TextContent);
        Assert.Equal("ProviderOutage", cut.Find(".crmsync-card__problem").GetAttribute("data-reason"));
        Assert.Contains("HubSpot is not responding", cut.Find(".crmsync-card__problem-text").TextContent, StringComparison.Ordinal);
        Assert.Contains("We retry automatically", cut.Find(".crmsync-card__problem-hint").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-card__retry"));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
        Assert.Equal("Amber", cut.Find("[data-health]").GetAttribute("data-health"));
    }

    [Fact]
    public async Task ConnectionCard_ExpiredCredentials_PausedWithReconnectAndNoConnectedTo()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.ExpireSignIn();
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("Paused", cut.Find(".crmsync-chip__label").TextContent);
        Assert.StartsWith("Expired credentials", cut.Find(".crmsync-card__problem-text").TextContent.Trim().TrimStart('⚠', '▲', 'ℹ').Trim(), StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
        Assert.Empty(cut.FindAll(".crmsync-card__account"));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
    }

    [Fact]
    public async Task ConnectionCard_Revoked_NoConnectedToNoSyncNowAndReconnect()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.Revoke();
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("Disconnected", cut.Find(".crmsync-chip__label").TextContent);
        Assert.Empty(cut.FindAll(".crmsync-card__account"));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
        Assert.Empty(cut.FindAll(".crmsync-card__retry"));
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
    }

    [Fact]
    public async Task ConnectionCard_DisconnectedByUser_SaysSoWithReconnectAndNothingToMeasure()
    {
        // Arrange: a connection that synced, then a user disconnected it.
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        await Client.DisconnectAsync(Tenant, connection.Id);

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("Disconnected", cut.Find(".crmsync-chip__label").TextContent);
        Assert.Equal("DisconnectedByUser", cut.Find(".crmsync-card__problem").GetAttribute("data-reason"));
        Assert.Contains("Disconnected by a user. Nothing was deleted; reconnect any time.", cut.Find(".crmsync-card__problem-text").TextContent, StringComparison.Ordinal);
        Assert.Equal("Unknown", cut.Find("[data-health]").GetAttribute("data-health"));
        Assert.Empty(cut.FindAll(".crmsync-card__account"));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
        Assert.Empty(cut.FindAll(".crmsync-card__retry"));
        Assert.Empty(cut.FindAll(".crmsync-card__pause"));
        Assert.Empty(cut.FindAll(".crmsync-card__no-errors"));
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
    }

    [Fact]
    public async Task ConnectionCard_MemberRole_HasNoPauseOrResumeControl()
    {
        // Arrange
        var active = await ConnectAsync();
        var paused = await ConnectAsync(account: "Acme Support");
        await Client.PauseAsync(Tenant, paused.Id);
        Auth.SetRoles("member");

        // Act
        var activeCard = RenderCard(active.Id);
        var pausedCard = RenderCard(paused.Id);

        // Assert
        Assert.Equal("Active", activeCard.Find(".crmsync-chip__label").TextContent);
        Assert.Empty(activeCard.FindAll(".crmsync-card__pause"));
        Assert.Equal("Paused", pausedCard.Find(".crmsync-chip__label").TextContent);
        Assert.Empty(pausedCard.FindAll(".crmsync-card__resume"));
    }

    [Fact]
    public async Task ConnectionCard_AdminRole_HasThePauseControl()
    {
        // Arrange
        var connection = await ConnectAsync();
        Auth.SetRoles("admin");

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-card__pause")));
    }

    [Fact]
    public async Task ConnectionCard_SetupIncomplete_NoSyncNowButFinishSetup()
    {
        // Arrange
        var connection = await Client.CreateConnectionAsync(Tenant, Provider.Name);

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("Setup incomplete", cut.Find(".crmsync-chip__label").TextContent);
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
        Assert.Equal("/settings/integrations/hubspot", cut.Find(".crmsync-card__finish-setup").GetAttribute("href"));
    }

    [Fact]
    public async Task ConnectionCard_DailyLimit_SaysWaitForResetWithoutRetry()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.RateLimitNextCalls(1, TimeSpan.FromHours(3), dailyLimit: true);
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = RenderCard(connection.Id);

        // Assert
        Assert.Equal("DailyLimit", cut.Find(".crmsync-card__problem").GetAttribute("data-reason"));
        Assert.Contains("resets", cut.Find(".crmsync-card__problem-hint").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-card__retry"));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
    }

    [Fact]
    public async Task ConnectionCard_RejectedRecords_RetrySaysHowManyAndStaysErrorUntilTheySync()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RequireContactField(CrmFieldNames.LastName);
        await EnqueueWithoutLastNameAsync("c1");
        await EnqueueWithoutLastNameAsync("c2");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = RenderCard(connection.Id);
        Assert.Equal("Error", cut.Find(".crmsync-chip__label").TextContent);
        Assert.Contains("2 records failed to sync", cut.Find(".crmsync-card__problem-text").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-card__retry").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Re-queued 2 failed records.", cut.Find(".crmsync-card__run").TextContent, StringComparison.Ordinal));
        Assert.Equal("Error", cut.Find(".crmsync-chip__label").TextContent);

        // Act: fix the cause, retry again.
        Provider.RejectRecordsWhere(null);
        cut.Find(".crmsync-card__retry").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find(".crmsync-chip__label").TextContent));
        Assert.Equal("No recent errors.", cut.Find(".crmsync-card__no-errors").TextContent.Trim());
    }

    [Fact]
    public async Task ConnectionCard_PauseThenResume_FollowsStatus()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = RenderCard(connection.Id);

        // Act
        cut.Find(".crmsync-card__pause").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Paused", cut.Find(".crmsync-chip__label").TextContent));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
        Assert.Empty(cut.FindAll(".crmsync-card__pause"));

        // Act
        cut.Find(".crmsync-card__resume").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find(".crmsync-chip__label").TextContent));
        Assert.NotNull(cut.Find(".crmsync-card__sync-now"));
    }

    [Fact]
    public async Task Alerts_ThreeFailedRuns_ListOneAlertThatAnOwnerAcknowledges()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncAlerts>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);
        Assert.NotNull(cut.Find(".crmsync-alerts__none"));

        // Act
        await FailThreeRunsAsync(connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-alert")));
        Assert.Equal("HubSpot", cut.Find(".crmsync-alert__crm").TextContent);
        Assert.Equal("3 failed syncs in a row", cut.Find(".crmsync-alert__failures").TextContent);
        Assert.Equal("/settings/integrations", cut.Find(".crmsync-alert__link").GetAttribute("href"));
        Assert.NotNull(cut.Find(".crmsync-alert__time"));

        // Act
        cut.Find(".crmsync-alert__acknowledge").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-alerts__none")));
        var closed = Assert.Single(await Client.GetAlertsAsync(Tenant, openOnly: false));
        Assert.Equal(CrmSyncAlertState.Acknowledged, closed.State);
        Assert.Equal("ada", closed.AcknowledgedBy);
    }

    [Fact]
    public async Task Alerts_MemberRole_SeesAlertsButCannotAcknowledge()
    {
        // Arrange
        var connection = await ConnectAsync();
        await FailThreeRunsAsync(connection.Id);
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncAlerts>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-alert")));
        Assert.Empty(cut.FindAll(".crmsync-alert__acknowledge"));
    }

    [Fact]
    public async Task Page_SeveralWidgets_UpdateTogetherOnFailureAndRecoveryWithoutPolling()
    {
        // Arrange
        var connection = await ConnectAsync();
        var badge = Render<CrmSyncNavBadge>(p => p.Add(x => x.TenantId, Tenant));
        var alerts = Render<CrmSyncAlerts>(p => p.Add(x => x.TenantId, Tenant));
        var chip = RenderCard(connection.Id);
        WaitLoaded(alerts);
        Assert.Empty(badge.FindAll(".crmsync-nav__badge"));

        // Act: runs happen outside the widgets (the scheduler); no time passes, so no poll runs.
        await FailThreeRunsAsync(connection.Id);

        // Assert
        badge.WaitForAssertion(() => Assert.NotNull(badge.Find(".crmsync-nav__badge")));
        alerts.WaitForAssertion(() => Assert.Single(alerts.FindAll(".crmsync-alert")));
        chip.WaitForAssertion(() => Assert.Equal("Error", chip.Find(".crmsync-chip__label").TextContent));

        // Act: recovery.
        Provider.RejectRecordsWhere(null);
        await Client.TryResyncAsync(Tenant, connection.Id);

        // Assert
        badge.WaitForAssertion(() => Assert.Empty(badge.FindAll(".crmsync-nav__badge")));
        alerts.WaitForAssertion(() => Assert.NotNull(alerts.Find(".crmsync-alerts__none")));
        chip.WaitForAssertion(() => Assert.Equal("Active", chip.Find(".crmsync-chip__label").TextContent));
    }

    [Fact]
    public async Task Banners_OneTenantInOutage_ShowsItsOwnOutageBanner()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));
        Provider.SimulateOutage(true);

        // Act
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("HubSpot is not responding; we retry automatically. Nothing is lost.", cut.Find(".crmsync-banner--outage .crmsync-callout__text").TextContent.Trim()));

        // Act
        Provider.SimulateOutage(false);
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-banner--outage")));
    }

    [Fact]
    public async Task Banners_ShowAllOutages_TellsOperatorsHubSpotIsDownForSeveralCustomers()
    {
        // Arrange: two customers' HubSpot connections fail at once; the operator's tenant has no HubSpot connection of its own.
        var b = await ConnectAsync(tenant: "tenant-b");
        var c = await ConnectAsync(tenant: "tenant-c");
        await EnqueueContactAsync("c1", tenant: "tenant-b");
        await EnqueueContactAsync("c1", tenant: "tenant-c");
        var operators = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ShowAllOutages, true));
        var customerView = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));
        Assert.Empty(operators.FindAll(".crmsync-banner--outage"));
        Provider.SimulateOutage(true);

        // Act
        await Client.SyncNowAsync("tenant-b", b.Id);
        await Client.SyncNowAsync("tenant-c", c.Id);

        // Other tenants' changes are not on this tenant's change feed: the operators' view learns of them on its next poll.
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        operators.WaitForAssertion(() => Assert.Equal(
            "HubSpot is down for several customers. CrmSync retries automatically; nothing is lost.",
            operators.Find(".crmsync-banner--wide-outage .crmsync-callout__text").TextContent.Trim()));
        customerView.WaitForAssertion(() => Assert.Empty(customerView.FindAll(".crmsync-banner--outage")));

        // Act: the CRM answers again.
        Provider.SimulateOutage(false);
        await Client.SyncNowAsync("tenant-b", b.Id);
        await Client.SyncNowAsync("tenant-c", c.Id);
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        operators.WaitForAssertion(() => Assert.Empty(operators.FindAll(".crmsync-banner--outage")));
    }

    [Fact]
    public async Task DangerZone_DeleteMistakenSetup_AsksThenDeletesWithoutTouchingTheCrm()
    {
        // Arrange
        var connection = await Client.CreateConnectionAsync(Tenant, Provider.Name);
        Guid? deleted = null;
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.OnDeleted, id => deleted = id));
        WaitLoaded(cut);

        // Act
        cut.Find(".crmsync-danger__delete-one").Click();
        Assert.Contains("Records already in HubSpot stay there", cut.Find(".crmsync-danger__confirm-delete").TextContent, StringComparison.Ordinal);
        Assert.Single(await Client.GetConnectionsAsync(Tenant));
        cut.Find(".crmsync-danger__yes-delete").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(connection.Id, deleted));
        Assert.Equal("HubSpot was deleted. Nothing in the CRM was touched.", cut.Find(".crmsync-danger__message").TextContent.Trim());
        Assert.Empty(await Client.GetConnectionsAsync(Tenant));
    }

    [Fact]
    public async Task DangerZone_CancelDelete_KeepsTheConnection()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Act
        cut.Find(".crmsync-danger__delete-one").Click();
        cut.Find(".crmsync-danger__confirm-delete .crmsync-danger__cancel").Click();

        // Assert
        Assert.Single(await Client.GetConnectionsAsync(Tenant));
        Assert.NotNull(cut.Find(".crmsync-danger__delete-one"));
    }

    [Fact]
    public async Task StatusChip_HostLabel_ShowsFailedSyncForError()
    {
        // Arrange
        Services.GetRequiredService<IOptionsMonitor<CrmSyncOptions>>().CurrentValue.StatusLabels[ConnectionStatus.Error] = "Failed Sync";
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        var status = (await Client.GetConnectionAsync(Tenant, connection.Id)).Status;

        // Act
        var cut = Render<CrmSyncStatusChip>(p => p.Add(x => x.Status, status));

        // Assert
        Assert.Equal("Failed Sync", cut.Find(".crmsync-chip__label").TextContent);
    }

    [Fact]
    public async Task SetupChecklist_StepsDoneOutOfOrder_CountsEveryTick()
    {
        // Arrange: connected, mapping reviewed and a test contact sent, but the starting point not chosen.
        var connection = await ConnectAsync(startingPoint: StartingPoint.NotChosen);
        await Client.MarkMappingReviewedAsync(Tenant, connection.Id);
        await Client.SendTestContactAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncSetupChecklist>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".crmsync-step--done").Count));
        Assert.Equal("3 of 4 steps done", cut.Find(".crmsync-checklist__progress").TextContent);
    }

    [Fact]
    public async Task HealthBar_RevokedConnection_ReadsNothingToMeasure()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        Provider.Revoke();
        await EnqueueContactAsync("c2");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var status = (await Client.GetConnectionAsync(Tenant, connection.Id)).Status;

        // Act
        var cut = Render<CrmSyncHealthBar>(p => p.Add(x => x.SuccessRate, status.SuccessRate).Add(x => x.SuccessRateHealth, status.SuccessRateHealth));

        // Assert
        Assert.Contains("— (nothing to measure)", cut.Find(".crmsync-healthbar__value").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[role=progressbar]"));
    }
}
