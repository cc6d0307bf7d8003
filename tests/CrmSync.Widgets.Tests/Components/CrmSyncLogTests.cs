using CrmSync.Sdk.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncLogTests : WidgetTestBase
{
    [Fact]
    public async Task Render_AfterRuns_ListsTimeTypeRecordsAndOutcome()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await EnqueueContactAsync("c2");
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncLog>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        var sync = cut.FindAll(".crmsync-log__row").Single(r => r.TextContent.Contains("Contacts synced", StringComparison.Ordinal));
        Assert.Equal("2", sync.QuerySelector(".crmsync-log__records")!.TextContent);
        Assert.Contains("success", sync.QuerySelector(".crmsync-outcome--success")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(sync.QuerySelector("time[datetime='2026-07-01T09:00:00Z']"));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public async Task Render_FailedRun_ShowsErrorOutcome()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncLog>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        var row = cut.FindAll(".crmsync-log__row").First(r => r.QuerySelector(".crmsync-outcome--error") is not null);
        Assert.Contains("Sync failed", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector("[data-event-type='sync_failed']"));
        Assert.Contains("error", row.QuerySelector(".crmsync-outcome--error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncNowOnCard_LogOnSamePage_RefreshesItself()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        var cut = Render(builder =>
        {
            builder.OpenComponent<CrmSyncConnectionCard>(0);
            builder.AddAttribute(1, nameof(CrmSyncConnectionCard.TenantId), Tenant);
            builder.AddAttribute(2, nameof(CrmSyncConnectionCard.ConnectionId), connection.Id);
            builder.CloseComponent();
            builder.OpenComponent<CrmSyncLog>(3);
            builder.AddAttribute(4, nameof(CrmSyncLog.TenantId), Tenant);
            builder.AddAttribute(5, nameof(CrmSyncLog.ConnectionId), connection.Id);
            builder.CloseComponent();
        });
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-loading")));
        Assert.DoesNotContain("Contacts synced", cut.Find(".crmsync-log").TextContent, StringComparison.Ordinal);

        // Act
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-card__sync-now")));
        cut.Find(".crmsync-card__sync-now").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Contacts synced", cut.Find(".crmsync-log").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeFeed_ScheduledRunOutsideWidgets_AppearsWithoutWaitingForAPoll()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncLog>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        await EnqueueContactAsync("c1");

        // Act
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("contact_sync", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_ChangeNotAnnounced_AppearsAfterRefreshInterval()
    {
        // Arrange: another host instance wrote to the shared store; this process's change feed never heard of it.
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncLog>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        await Services.GetRequiredService<ICrmSyncStore>().AppendLogAsync([new SyncLogEntry(Tenant, connection.Id, Time.GetUtcNow(), SyncEventTypes.ContactSync, 1, SyncLogOutcome.Success)]);
        Assert.DoesNotContain("contact_sync", cut.Markup, StringComparison.Ordinal);

        // Act
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("contact_sync", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_Limit_ShowsAtMostLimitEvents()
    {
        // Arrange
        var connection = await ConnectAsync();
        for (var i = 0; i < 5; i++)
        {
            await EnqueueContactAsync($"c{i}");
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        // Act
        var cut = Render<CrmSyncLog>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.Limit, 3));
        WaitLoaded(cut);

        // Assert
        Assert.Equal(3, cut.FindAll(".crmsync-log__row").Count);
    }
}
