using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed partial class StatusTruthTests
{
    /// <summary>
    /// Several widgets on pages that stay open update together from the SDK change feed alone: the widgets' fallback polling is
    /// set to an hour, and a marker on <c>window</c> proves no page was reloaded.
    /// </summary>
    public sealed class ChangeFeed(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
    {
        private const float Slow = 60_000;

        protected override IReadOnlyDictionary<string, string>? PortalEnvironment => new Dictionary<string, string>
        {
            ["Portal__WidgetRefreshInterval"] = "01:00:00",
            ["Portal__SchedulerPollInterval"] = "00:00:01",
            ["CrmSync__SchedulerPollInterval"] = "00:00:01",
            ["CrmSync__DefaultRetryDelay"] = "00:00:02",
            ["CrmSync__Status__OutageAfterWaits"] = "1",
            ["CrmSync__Status__OutageAfter"] = "00:00:01",
        };

        private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

        private static async Task MarkAsync(IPage page, string marker) =>
            await page.EvaluateAsync("m => { window.__crmsyncNoReload = m; }", marker);

        private static Task<string?> MarkerAsync(IPage page) =>
            page.EvaluateAsync<string?>("() => window.__crmsyncNoReload ?? null");

        private static async Task OpenAsync(IPage page, string path)
        {
            await page.GotoAsync(path);
            await page.WaitForSelectorAsync("#portal-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        }

        [Fact]
        public async Task Outage_OnAndOffFromAnotherTab_ChipCardHeaderBannerAndLast24HoursUpdateWithoutReload()
        {
            // Arrange: HubSpot connected and synced once; the connection page and the Integrations page stay open in their own tabs.
            await ConnectAsync("hubspot");
            await SkipImportAsync();
            await AddActivityAsync();
            await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 1, "the first contact");
            var connectionPage = Page;
            await OpenAsync(connectionPage, "/settings/integrations/hubspot");
            var integrations = await Page.Context.NewPageAsync();
            await OpenAsync(integrations, "/settings/integrations");
            var chip = connectionPage.Locator(".status-line .crmsync-chip__label");
            var last24 = connectionPage.Locator(".crmsync-last24");
            var cardChip = integrations.Locator(".crmsync-card .crmsync-chip__label").First;
            await Expect(chip).ToHaveTextAsync("Active", new() { Timeout = Slow });
            await Expect(last24.Locator(".crmsync-last24__clean")).ToBeVisibleAsync(new() { Timeout = Slow });
            await Expect(cardChip).ToHaveTextAsync("Active", new() { Timeout = Slow });
            await Expect(integrations.Locator(".crmsync-banner--outage")).ToHaveCountAsync(0);
            await MarkAsync(connectionPage, "connection-page");
            await MarkAsync(integrations, "integrations");

            // Act: a third tab starts an outage and syncs HubSpot now.
            var other = await Page.Context.NewPageAsync();
            await OpenAsync(other, "/simulate");
            await other.Locator("section[data-provider='hubspot']").GetByRole(AriaRole.Button, new() { Name = "Start outage" }).ClickAsync();
            await other.GetByText("now answers 503").WaitForAsync();
            await other.GetByRole(AriaRole.Button, new() { Name = "Add activity now" }).ClickAsync();
            await other.GetByText("Added a contact").WaitForAsync();
            await OpenAsync(other, "/settings/integrations");
            await other.Locator(".crmsync-card__sync-now").First.ClickAsync();

            // Assert: on both pages that stayed open, every widget shows the outage.
            await Expect(chip).ToHaveTextAsync("Paused", new() { Timeout = Slow });
            await Expect(last24.Locator(".crmsync-last24__status[data-reason='ProviderOutage']")).ToContainTextAsync("HubSpot is not responding", new() { Timeout = Slow });
            await Expect(last24.Locator(".crmsync-last24__clean")).ToHaveCountAsync(0, new() { Timeout = Slow });
            await Expect(cardChip).ToHaveTextAsync("Paused", new() { Timeout = Slow });
            await Expect(integrations.Locator(".crmsync-card .crmsync-card__problem[data-reason='ProviderOutage']").First).ToBeVisibleAsync(new() { Timeout = Slow });
            await Expect(integrations.Locator(".crmsync-banner--outage")).ToHaveCountAsync(1, new() { Timeout = Slow });

            // Act: the CRM answers again; the scheduler retries after the short wait.
            await OpenAsync(other, "/simulate");
            await other.Locator("section[data-provider='hubspot']").GetByRole(AriaRole.Button, new() { Name = "End outage" }).ClickAsync();
            await other.GetByText("is back").WaitForAsync();

            // Assert: everything returns to Active together, still without a reload.
            await Expect(chip).ToHaveTextAsync("Active", new() { Timeout = Slow });
            await Expect(last24.Locator(".crmsync-last24__clean")).ToBeVisibleAsync(new() { Timeout = Slow });
            await Expect(cardChip).ToHaveTextAsync("Active", new() { Timeout = Slow });
            await Expect(integrations.Locator(".crmsync-banner--outage")).ToHaveCountAsync(0, new() { Timeout = Slow });
            Assert.Equal("connection-page", await MarkerAsync(connectionPage));
            Assert.Equal("integrations", await MarkerAsync(integrations));
        }
    }
}
