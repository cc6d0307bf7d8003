using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed partial class StatusTruthTests
{
    /// <summary>
    /// The widget gallery's example connections keep their states while time passes and the scheduler runs: a frozen clock is
    /// moved on past the times their next scheduled syncs would have been due, and the due syncs are run.
    /// </summary>
    public sealed class Gallery(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
    {
        private const float Slow = 60_000;

        protected override IReadOnlyDictionary<string, string>? PortalEnvironment => new Dictionary<string, string>
        {
            ["Portal__FrozenClock"] = ShowcasePortalFixture.FrozenAt,
        };

        private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

        private async Task<Dictionary<string, string>> ChipsAsync()
        {
            await GotoAsync("/gallery");
            var rows = Page.Locator("[data-gallery-section='status'] tr[data-state]");
            await Expect(rows).ToHaveCountAsync(12, new() { Timeout = Slow });
            var chips = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < await rows.CountAsync(); i++)
            {
                var row = rows.Nth(i);
                chips[(await row.GetAttributeAsync("data-state"))!] = (await row.Locator(".crmsync-chip__label").TextContentAsync())!.Trim();
            }

            return chips;
        }

        /// <summary>The daily-limit example resumes when the quota resets, at the next midnight UTC after the frozen 16:00, shown as a time for people.</summary>
        private async Task ExpectResumesAtNextMidnightAsync()
        {
            var row = Page.Locator("[data-gallery-section='status'] tr[data-state='Paused: daily limit']");
            await Expect(row).ToContainTextAsync("Resumes automatically in");
            await Expect(row.Locator("time[datetime='2026-12-04T00:00:00Z']")).ToHaveCountAsync(1);
        }

        [Fact]
        public async Task ExampleStates_AfterScheduledRunsWouldHaveHappened_StayAsSeededWithoutAbsurdDates()
        {
            // Arrange
            var before = await ChipsAsync();
            Assert.Equal("Error", before["Error"]);
            Assert.Equal("Error", before["Failed records"]);
            Assert.Equal("Error", before["One failed record"]);
            Assert.Equal("Stale", before["Stale"]);
            Assert.Equal("Paused", before["Outage"]);
            Assert.Equal("Paused", before["Paused: daily limit"]);
            Assert.Equal("Active", before["Active"]);
            await ExpectResumesAtNextMidnightAsync();
            await Expect(Page.Locator("[data-gallery-section='banners-and-schedule'] .crmsync-schedule__row")).Not.ToHaveCountAsync(0);
            await Expect(Page.Locator("[data-gallery-section='banners-and-schedule'] .crmsync-schedule__next time")).ToHaveCountAsync(0);
            Assert.DoesNotContain("9000", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

            // Act: three hours pass (every example's next sync would have been due long before), and the due syncs run each hour.
            await GotoAsync("/simulate");
            for (var hour = 1; hour <= 3; hour++)
            {
                await Page.GetByRole(AriaRole.Button, new() { Name = "Move the frozen clock on 1 hour" }).ClickAsync();
                await Expect(Page.Locator("p.notice[role='status']")).ToHaveTextAsync($"The clock now reads 2026-12-03 {16 + hour}:00 UTC.", new() { Timeout = Slow });
                await Page.GetByRole(AriaRole.Button, new() { Name = "Run scheduled syncs now" }).ClickAsync();
                await Expect(Page.Locator("p.notice[role='status']")).ToHaveTextAsync("Ran 0 due connection(s).", new() { Timeout = Slow });
            }

            var after = await ChipsAsync();

            // Assert
            Assert.Equal(before, after);
            await ExpectResumesAtNextMidnightAsync();
            await Expect(Page.Locator("[data-gallery-section='status'] tr[data-state='Stale']")).ToContainTextAsync("No successful sync for 4");
        }
    }
}
