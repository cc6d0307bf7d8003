using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class ImportTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    protected override string Role => "admin";

    [Fact]
    public async Task ConnectImportConfirm_ClosedLostDeals_ReachTheHostOnlyAfterApproval()
    {
        // Arrange: the HubSpot simulator holds 6 closed-lost and 2 closed-won deals.
        await ConnectAsync("hubspot");
        await SkipImportAsync();

        // Act: Import — preview with the default filter (closed-lost deals), then import into the inbox.
        await Page.Locator(".crmsync-import__preview").ClickAsync();
        await Assertions.Expect(Page.Locator(".crmsync-import")).ToContainTextAsync("6 records match these filters.");
        await Page.Locator(".crmsync-import__start").ClickAsync();
        await Page.Locator(".crmsync-import__inbox").WaitForAsync();
        await ScreenshotAsync("import-wizard-done");

        // Confirm — nothing reached the host yet; approve all in the inbox.
        await GotoAsync("/crm?tab=inbox");
        await Assertions.Expect(Page.Locator("main")).Not.ToContainTextAsync("Approved and now monitored");
        await Page.Locator(".crmsync-inbox__approve-all").ClickAsync();
        await Page.Locator(".crmsync-inbox__yes").ClickAsync();
        await GotoAsync("/crm?tab=inbox");

        // Assert
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Approved and now monitored");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Contoso Pharma");
        await Assertions.Expect(Page.Locator("main")).Not.ToContainTextAsync("Northwind Traders");
        await ScreenshotAsync("crm-inbox-approved");
    }
}
