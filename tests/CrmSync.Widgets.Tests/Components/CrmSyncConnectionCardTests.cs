using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncConnectionCardTests : WidgetTestBase
{
    [Fact]
    public async Task Render_ActiveConnection_ShowsNameAccountLastSyncedHealthAndLogo()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p
            .Add(x => x.TenantId, Tenant)
            .Add(x => x.ConnectionId, connection.Id)
            .Add(x => x.ManageHref, "/settings/integrations/hubspot")
            .Add(x => x.Logo, "<img alt=\"HubSpot logo\" src=\"hubspot.svg\" />"));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("HubSpot", cut.Find(".crmsync-card__name").TextContent);
        Assert.Equal("Connected to Acme Sales", cut.Find(".crmsync-card__account").TextContent);
        Assert.Equal("2026-07-01T09:00:00Z", cut.Find(".crmsync-card__last-synced time").GetAttribute("datetime"));
        Assert.Equal("Healthy", cut.Find(".crmsync-health__label").TextContent);
        Assert.Equal("Active", cut.Find(".crmsync-pill__label").TextContent);
        Assert.NotNull(cut.Find(".crmsync-card__logo img[alt='HubSpot logo']"));
        Assert.Equal("/settings/integrations/hubspot", cut.Find(".crmsync-card__manage").GetAttribute("href"));
        Assert.Equal("No recent errors.", cut.Find(".crmsync-card__no-errors").TextContent.Trim());
        Assert.Equal("false", cut.Find(".crmsync-card").GetAttribute("aria-busy"));
    }

    [Fact]
    public async Task Render_NeverSynced_SaysNever()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("Never", cut.Find(".crmsync-card__last-synced").TextContent.Trim());
    }

    [Fact]
    public async Task SyncNow_PendingChange_PushesRecordAndShowsStatus()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Act
        cut.Find(".crmsync-card__sync-now").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("1 records synced.", cut.Find(".crmsync-card__run").TextContent, StringComparison.Ordinal));
        Assert.Null(cut.Find(".crmsync-card__run").GetAttribute("role"));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message.Contains("1 records synced.", StringComparison.Ordinal) && a.Tone == CrmSyncTone.Success);
        Assert.NotNull(Provider.Find(CrmObjectType.Contact, "c1"));
    }

    [Fact]
    public async Task SyncNow_CrmRateLimits_ShowsTheRejectionAsAlert()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.RateLimitNextCalls(1, TimeSpan.FromSeconds(10));
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Act
        cut.Find(".crmsync-card__sync-now").Click();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var run = cut.Find(".crmsync-card__run");
            Assert.Equal("alert", run.GetAttribute("role"));
            Assert.Contains("HubSpot rejected the request because of its rate limit: Too many requests.", run.TextContent, StringComparison.Ordinal);
        });
        Assert.Null(Provider.Find(CrmObjectType.Contact, "c1"));
    }

    [Fact]
    public async Task Render_FailedRun_ListsErrorWithRetryThatResyncs()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        Assert.Contains("property 'bad_field' does not exist", cut.Find(".crmsync-card__error-text").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find(".crmsync-card__error time"));
        Assert.Equal("Error", cut.Find(".crmsync-pill__label").TextContent);
        Assert.Equal("Failing", cut.Find(".crmsync-health__label").TextContent);

        // Act
        cut.Find(".crmsync-card__retry").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find(".crmsync-pill__label").TextContent));
        Assert.NotNull(Provider.Find(CrmObjectType.Contact, "c1"));
    }

    [Fact]
    public async Task Render_MemberRole_HidesActionsAndAsksAnAdmin()
    {
        // Arrange
        var connection = await ConnectAsync();
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Ask an admin to sync this CRM or retry its errors.", cut.Find(".crmsync-ask-admin").TextContent.Replace("🔒", "", StringComparison.Ordinal).Trim()));
        Assert.Empty(cut.FindAll(".crmsync-card__sync-now"));
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("admin")]
    public async Task Render_ManagerRoles_ShowSyncNow(string role)
    {
        // Arrange
        var connection = await ConnectAsync();
        Auth.SetRoles(role);

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-card__sync-now")));
        Assert.Empty(cut.FindAll(".crmsync-ask-admin"));
    }

    [Fact]
    public async Task Render_UnknownConnection_ShowsAlert()
    {
        // Arrange
        await ConnectAsync();

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.TenantId, "other-tenant").Add(x => x.ConnectionId, Guid.NewGuid()));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("alert", cut.Find(".crmsync-error").GetAttribute("role"));
    }

    [Fact]
    public async Task Render_CascadingTenant_UsedWhenNoParameter()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncConnectionCard>(p => p.Add(x => x.ConnectionId, connection.Id).AddCascadingValue(new CrmSyncTenant(Tenant)));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("HubSpot", cut.Find(".crmsync-card__name").TextContent);
    }
}
