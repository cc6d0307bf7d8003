using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class LeadSourceTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    protected override string Role => "admin";

    [Fact]
    public async Task LeadSource_WrongThenExpectedSource_CompletesSetupToActive()
    {
        // Arrange: the CRM page shows its operations view once a CRM is connected.
        await ConnectAsync("hubspot");
        await SkipImportAsync();

        // Act: the lead partner first sends the wrong source value.
        await GotoAsync("/simulate");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test lead with a wrong source" }).ClickAsync();
        await Page.Locator("p.notice[role='status']").WaitForAsync();
        await GotoAsync("/crm");
        var source = Page.Locator(".crmsync-leadsource").First;

        // Assert
        await Assertions.Expect(source.Locator(".crmsync-leadsource__mismatch")).ToContainTextAsync("Received \"partner_demo_leads\", expected \"partner-demo-leads\"");
        await Assertions.Expect(source.Locator(".crmsync-leadsource__complete")).ToBeDisabledAsync();

        // Act: then the expected one, and an admin completes setup.
        await GotoAsync("/simulate");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test lead with the expected source" }).ClickAsync();
        await Page.Locator("p.notice[role='status']").WaitForAsync();
        await GotoAsync("/crm");
        source = Page.Locator(".crmsync-leadsource").First;
        await source.Locator(".crmsync-leadsource__complete").ClickAsync();

        // Assert
        await Assertions.Expect(source).ToHaveAttributeAsync("data-status", "Active");
        await ScreenshotAsync("crm-lead-source-active");
    }
}
