using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>Note 000's first-connect flow and note 002's common questions.</summary>
public sealed class FirstConnectTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    private ILocator CrmNav => Page.Locator("nav[aria-label='Main'] a[href^='/crm']");

    [Fact]
    public async Task Manager_ImportsFromTheCrmPageAndApproves()
    {
        // Arrange: the owner connects HubSpot (6 closed-lost deals in the simulator).
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await SignInAsync("manager");

        // Act
        await GotoAsync("/crm?tab=inbox");
        await Page.Locator(".crmsync-import__preview").ClickAsync();
        await Assertions.Expect(Page.Locator(".crmsync-import")).ToContainTextAsync("6 records match these filters.");
        await Page.Locator(".crmsync-import__start").ClickAsync();
        await Page.Locator(".crmsync-import__inbox").WaitForAsync();
        await GotoAsync("/crm?tab=inbox");
        await Page.Locator(".crmsync-inbox__approve-all").ClickAsync();
        await Page.Locator(".crmsync-inbox__yes").ClickAsync();
        await GotoAsync("/crm?tab=inbox");

        // Assert
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Approved and now monitored");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Contoso Pharma");
        await ScreenshotAsync("manager-import-approved");
    }
}
