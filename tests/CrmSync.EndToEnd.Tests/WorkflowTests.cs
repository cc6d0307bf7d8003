using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>The <c>crm_sync</c> workflow step of the demo's workflow engine and each lead's timeline.</summary>
public sealed class WorkflowTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private ILocator Lead(string id) => Page.Locator($"section[data-lead='{id}']");

    private async Task RunStepAsync(string id, string? syncFields = null)
    {
        await GotoAsync("/workflow");
        if (syncFields is not null)
        {
            await Page.Locator("#sync-fields").FillAsync(syncFields);
        }

        var before = await Lead(id).Locator(".crmsync-timeline__event").CountAsync();
        await Lead(id).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(Lead(id).Locator(".crmsync-timeline__event")).ToHaveCountAsync(before + 2);
    }

    private async Task SimulateAsync(string button)
    {
        await GotoAsync("/simulate");
        await Page.Locator("section[data-provider='hubspot']").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Page.Locator("p.notice[role='status']").WaitForAsync();
    }

    [Fact]
    public async Task CrmSyncStep_NoIntegrationThenConnected_TimelineShowsTheFailureThenSuccess()
    {
        // Act: no CRM yet, then HubSpot connected.
        await RunStepAsync("lead-grace");
        var failure = Lead("lead-grace").Locator(".crmsync-timeline__event--failed");
        await Expect(failure).ToContainTextAsync("No CRM integration is configured for this workspace.");
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await RunStepAsync("lead-grace");

        // Assert
        var success = Lead("lead-grace").Locator(".crmsync-timeline__event--succeeded");
        await Expect(success).ToContainTextAsync("Synced to HubSpot");
        var contacts = await RecordsAsync("hubspot", "contacts");
        var grace = Assert.Single(contacts, c => c.GetProperty("properties").GetProperty("email").GetString() == "grace.hopper@example.com");
        Assert.Equal("answered call, 184 s: Qualified", grace.GetProperty("properties").GetProperty("jobtitle").GetString());
        await ScreenshotAsync("workflow-timeline-success");
    }

    [Fact]
    public async Task CrmSyncStep_RejectedOutageAndRevoked_EachEndsWithItsReason()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();

        // Act + Assert: a field HubSpot does not have.
        await RunStepAsync("lead-alan", "crmsync_no_such_property = {{callStatus}}");
        await Expect(Lead("lead-alan").Locator(".crmsync-timeline__event--failed").Last).ToContainTextAsync("crmsync_no_such_property");

        // HubSpot down.
        await SimulateAsync("Start outage");
        await RunStepAsync("lead-grace");
        await Expect(Lead("lead-grace").Locator(".crmsync-timeline__event--failed").Last).ToContainTextAsync("is not responding");
        await SimulateAsync("End outage");

        // The sign-in revoked (the refresh is refused).
        await SimulateAsync("Revoke tokens");
        await RunStepAsync("lead-alan");
        await Expect(Lead("lead-alan").Locator(".crmsync-timeline__event--failed").Last).ToContainTextAsync("refused the saved sign-in");
        await ScreenshotAsync("workflow-timeline-failures");
    }
}
