using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>Note 000's first-connect flow and note 002's common questions.</summary>
public sealed class FirstConnectTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    private ILocator CrmNav => Page.Locator("nav[aria-label='Main'] a[href^='/crm']");

    [Fact]
    public async Task FirstConnect_CrmNavLeadsToTheInbox_AndTheThirteenQuestionsAnswer()
    {
        // Arrange: a sign-in that was started and abandoned is not a connection.
        await GotoAsync("/settings/integrations/hubspot");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Page.Locator("#allow, #accept").WaitForAsync();
        await GotoAsync("/crm");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Connect your CRM");
        await Assertions.Expect(CrmNav).ToHaveAttributeAsync("href", "/crm");

        // Act
        await ConnectAsync("hubspot");
        await CrmNav.ClickAsync();
        await Page.WaitForURLAsync("**/crm?tab=inbox");

        // Assert: the inbox is for managers and admins (note 000): the owner is told whom to ask, a manager how records arrive.
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Ask a manager or admin to review imported records.");
        await GotoAsync("/settings/integrations/hubspot");
        await Assertions.Expect(Page.Locator(".faq details")).ToHaveCountAsync(13);
        await Assertions.Expect(Page.Locator(".faq")).ToContainTextAsync("Every minute. CrmSync Demo pushes any matching new activity");
        await Assertions.Expect(Page.Locator(".faq")).ToContainTextAsync("How do I disconnect?");
        await SignInAsync("manager");
        await CrmNav.ClickAsync();
        await Page.WaitForURLAsync("**/crm?tab=inbox");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Records arrive here when someone runs an import");
        await ScreenshotAsync("first-connect-inbox");
    }

    [Fact]
    public async Task MarketplaceInstall_ComesBackWithoutState_ConnectsOnlyAfterTheSignedInUserConfirms()
    {
        // Arrange: "Install" on Pipedrive's Marketplace listing; Pipedrive redirects back with a code and no state.
        await GotoAsync("/simulate");
        await Page.Locator("section[data-provider='pipedrive']").GetByRole(AriaRole.Link, new() { Name = "Install from the Pipedrive Marketplace" }).ClickAsync();
        var allow = Page.Locator("#allow, #accept");
        await allow.WaitForAsync();
        await allow.ClickAsync();
        await Page.WaitForURLAsync("**/settings/integrations/install/**");
        await WaitInteractiveAsync();
        var confirmPage = new Uri(Page.Url).PathAndQuery;

        // Assert: nothing is connected until the user confirms which account it is.
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Connect Pipedrive to this workspace?" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("install-account")).Not.ToBeEmptyAsync();
        await ScreenshotAsync("marketplace-install-confirm");
        await GotoAsync("/settings/integrations");
        await Assertions.Expect(Page.Locator(".crmsync-card")).ToHaveCountAsync(0);

        // Act
        await GotoAsync(confirmPage);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect Pipedrive" }).ClickAsync();
        await Page.WaitForURLAsync("**/settings/integrations/pipedrive?connected=1**");
        await WaitInteractiveAsync();

        // Assert: connected like any first connect, and the install cannot be confirmed twice.
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Skip, only sync new activity" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator(".status-line").Filter(new() { HasText = "Linked to" })).ToBeVisibleAsync();
        await GotoAsync(confirmPage);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "This install can no longer be confirmed" })).ToBeVisibleAsync();
        await ScreenshotAsync("marketplace-install-expired");
    }

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
