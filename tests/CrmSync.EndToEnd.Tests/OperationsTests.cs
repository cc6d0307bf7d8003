using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class OperationsTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task SyncNowOnCardAsync()
    {
        await GotoAsync("/settings/integrations");
        var card = Page.Locator(".crmsync-card").First;
        var syncNow = card.Locator(".crmsync-card__sync-now");

        // A scheduled run may already have found the tokens revoked, which rightly hides Sync now: nothing to click then.
        await Expect(syncNow.Or(card.Locator(".crmsync-status[data-status='Revoked']"))).ToBeVisibleAsync();
        if (await syncNow.CountAsync() > 0)
        {
            await syncNow.ClickAsync();
        }

        // The run may end where Sync now cannot help (revoked): wait for the card, not for the button.
        await Expect(card).ToHaveAttributeAsync("aria-busy", "false");
    }

    [Fact]
    public async Task ThreeFailedSyncs_RaiseOneAlertAndTheRedBadge_ThenRetryClearsThem()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await SimulateAsync("hubspot", "Map a field the CRM rejects");
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(0);

        // Act: three runs in a row in which the CRM rejects every record.
        for (var i = 0; i < 3; i++)
        {
            await AddActivityAsync();
            await SyncNowOnCardAsync();
        }

        // Assert: the badge turns red and the card shows the error.
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".crmsync-card--error")).ToHaveCountAsync(1);
        await ScreenshotAsync("integrations-after-three-failures");

        // Act: fix the cause, then Retry failed records from the Last 24 hours card.
        await SimulateAsync("hubspot", "Stop rejecting");
        await GotoAsync("/settings/integrations/hubspot");
        await Expect(Page.Locator(".crmsync-last24")).ToContainTextAsync("does not exist");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Retry failed records" }).ClickAsync();
        await Page.Locator(".crmsync-last24__message").GetByText("Re-queued 3 failed records").WaitForAsync();
        await SyncNowOnCardAsync();

        // Assert
        var contacts = await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 3, "the three retried contacts");
        Assert.Equal(3, contacts.Length);
        await GotoAsync("/settings/integrations/hubspot");
        await Page.Locator(".crmsync-last24__clean").WaitForAsync();
        await ScreenshotAsync("connection-page-after-retry");
    }

    [Fact]
    public async Task RevokedTokens_ShowDisconnectedWithReason_ThenReconnectRestores()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await SimulateAsync("hubspot", "Revoke tokens");

        // Act
        await AddActivityAsync();
        await SyncNowOnCardAsync();
        await GotoAsync("/settings/integrations/hubspot");

        // Assert
        await Expect(Page.Locator(".crmsync-status[data-status='Revoked']").First).ToContainTextAsync("Disconnected");
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(1);
        await ScreenshotAsync("connection-page-revoked");

        // Act: Reconnect signs in again through OAuth.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reconnect" }).ClickAsync();
        var allow = Page.Locator("#allow");
        await allow.WaitForAsync();
        await allow.ClickAsync();
        await Page.WaitForURLAsync("**/settings/integrations/hubspot?connected=1**");
        await WaitInteractiveAsync();

        // Assert
        await Expect(Page.Locator(".crmsync-status[data-status='Revoked']")).ToHaveCountAsync(0);
        await SyncNowOnCardAsync();
        await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 1, "the contact after reconnecting");
    }

    [Fact]
    public async Task Disconnect_KeepsTheCrmRecordsAndStopsSyncing()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" }).ClickAsync();
        await WaitForRecordsAsync("hubspot", "contacts", r => r.Length == 1, "the test contact");

        // Act
        await Page.Locator(".crmsync-danger").GetByRole(AriaRole.Button, new() { Name = "Disconnect HubSpot" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Yes, disconnect" }).ClickAsync();
        await Page.GetByText("Nothing was deleted").First.WaitForAsync();
        await AddActivityAsync();

        // Assert
        Assert.Single(await RecordsAsync("hubspot", "contacts"));
        await GotoAsync("/crm");
        await Expect(Page.Locator(".crmsync-status[data-status='Disconnected']").First).ToBeVisibleAsync();
        await ScreenshotAsync("crm-after-disconnect");
    }
}
