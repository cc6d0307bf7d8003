using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncBannersTests : WidgetTestBase
{
    [Fact]
    public async Task Render_AllHealthy_RendersNoBanner()
    {
        // Arrange
        await ConnectAsync();

        // Act
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));

        // Assert
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-banner")));
    }

    [Fact]
    public async Task Render_ProviderOutageAcrossTenants_ShowsWeRetryAutomatically()
    {
        // Arrange
        var mine = await ConnectAsync(Tenant);
        var theirs = await ConnectAsync("tenant-b");
        await EnqueueContactAsync("a1", tenant: Tenant);
        await EnqueueContactAsync("b1", tenant: "tenant-b");
        Provider.SimulateOutage(true);
        await Client.SyncNowAsync(Tenant, mine.Id);
        await Client.SyncNowAsync("tenant-b", theirs.Id);

        // Act
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));

        // Assert
        cut.WaitForAssertion(() =>
        {
            var banner = cut.Find(".crmsync-banner--outage");
            Assert.Null(banner.GetAttribute("role"));
            Assert.Null(banner.GetAttribute("aria-live"));
            Assert.Contains("HubSpot is having a wider outage right now. We retry automatically; nothing is lost.", banner.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Render_StaleConnection_LinksToItsDiagnostics()
    {
        // Arrange
        await ConnectAsync();
        Time.Advance(TimeSpan.FromHours(40));

        // Act
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));

        // Assert
        cut.WaitForAssertion(() =>
        {
            var banner = cut.Find(".crmsync-banner--stale");
            Assert.Contains("HubSpot hasn't synced in over a day and a half.", banner.TextContent, StringComparison.Ordinal);
            Assert.Equal("/settings/integrations/inmemory", banner.QuerySelector("a")!.GetAttribute("href"));
        });
    }

    [Fact]
    public async Task Reconnect_RevokedConnection_NavigatesToCrmSignIn()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.Revoke("The app was uninstalled from the CRM account.");
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));
        cut.WaitForAssertion(() => Assert.Equal("alert", cut.Find(".crmsync-banner--revoked").GetAttribute("role")));
        Assert.Contains("HubSpot is disconnected. The app was uninstalled from the CRM account.", cut.Find(".crmsync-banner--revoked").TextContent, StringComparison.Ordinal);

        // Act
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
        cut.Find(".crmsync-connect__button").Click();

        // Assert
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.StartsWith("https://crm.example.test/oauth/authorize?state=", navigation.Uri, StringComparison.Ordinal));
        Assert.Contains("redirect_uri=http%3A%2F%2Flocalhost%2Fcrmsync%2Fsignin-callback", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_RevokedConnection_SaysTheReasonOnce()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.Revoke("The app was uninstalled from the CRM account.");
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
        var text = cut.Find(".crmsync-banner--revoked").TextContent;
        Assert.Equal(text.IndexOf("uninstalled", StringComparison.Ordinal), text.LastIndexOf("uninstalled", StringComparison.Ordinal));
        Assert.Contains("HubSpot is disconnected. The app", text, StringComparison.Ordinal);
        Assert.DoesNotContain("disconnected:", text, StringComparison.Ordinal);
        Assert.Contains("crmsync-callout--danger", cut.Find(".crmsync-banner--revoked").ClassList);
        Assert.Empty(cut.FindAll(".crmsync-connect__reason"));
    }

    [Fact]
    public async Task Render_ExpiredCredentials_SaysPausedLikeTheChipNeverDisconnected()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.ExpireSignIn();
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncBanners>(p => p.Add(x => x.TenantId, Tenant));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Reconnect", cut.Find(".crmsync-connect__button").TextContent.Trim()));
        var text = cut.Find(".crmsync-banner--revoked").TextContent;
        Assert.Contains("HubSpot is paused. Expired credentials", text, StringComparison.Ordinal);
        Assert.DoesNotContain("paused:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("disconnected", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("crmsync-banner--paused", cut.Find(".crmsync-banner--revoked").ClassList);
        Assert.Contains("crmsync-callout--warning", cut.Find(".crmsync-banner--revoked").ClassList);
    }
}
