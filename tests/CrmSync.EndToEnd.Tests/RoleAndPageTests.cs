using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class OwnerPagesTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    [Fact]
    public async Task EveryPage_RendersForAnOwner_WithScreenshots()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();

        // Act + Assert
        foreach (var (path, name, heading) in new[]
        {
            ("/crm", "crm", "CRM"),
            ("/crm?tab=inbox", "crm-inbox", "CRM"),
            ("/settings/integrations", "integrations", "Settings → Integrations"),
            ("/settings/integrations/hubspot", "connection-hubspot", "HubSpot connection"),
            ("/settings/integrations/hubspot?tab=field-mapping", "connection-hubspot-field-mapping", "HubSpot connection"),
            ("/simulate", "simulate", "Simulate"),
            ("/gallery", "widget-gallery", "Widget gallery"),
        })
        {
            await GotoAsync(path);
            await Assertions.Expect(Page.Locator("h1").First).ToHaveTextAsync(heading);
            await ScreenshotAsync($"page-{name}");
        }
    }
}

public sealed class MemberRoleTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    protected override string Role => "member";

    [Fact]
    public async Task Member_SeesSyncHealthButNotIntegrationsNorTheInbox()
    {
        // Act
        await GotoAsync("/settings/integrations");

        // Assert
        await Assertions.Expect(Page.Locator("[role='alert']").First).ToContainTextAsync("owner or an admin");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Settings → Integrations" })).ToHaveCountAsync(0);
        await GotoAsync("/crm?tab=inbox");
        await Assertions.Expect(Page.Locator("main")).ToContainTextAsync("Ask");
        await ScreenshotAsync("member-inbox");
    }
}

public sealed class ManagerRoleTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    protected override string Role => "manager";

    [Fact]
    public async Task Manager_ReviewsTheInboxButCannotManageConnections()
    {
        // Act
        await GotoAsync("/crm?tab=inbox");

        // Assert
        await Assertions.Expect(Page.Locator("main")).Not.ToContainTextAsync("Ask a manager");
        await GotoAsync("/settings/integrations/hubspot");
        await Assertions.Expect(Page.Locator("[role='alert']").First).ToContainTextAsync("owner or an admin");
        await ScreenshotAsync("manager-integrations-denied");
    }
}
