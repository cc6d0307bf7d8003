using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>A browser context per test on the shared frozen-clock portal: fixed viewport, locale, time zone, theme and no motion.</summary>
[Collection(BrowserCollection.Name)]
public abstract class ShowcaseTest(BrowserFixture browser, ShowcasePortalFixture showcase, ITestOutputHelper output) : IClassFixture<ShowcasePortalFixture>
{
    protected ITestOutputHelper Output { get; } = output;

    protected PortalProcess Portal => showcase.Portal;

    /// <summary>Opens a page of the given width (and a fixed height) in the given theme, signed in as <paramref name="role"/> unless it is null.</summary>
    protected async Task<(IBrowserContext Context, IPage Page)> OpenAsync(int width, string theme, string? role = "owner")
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            DeviceScaleFactor = 1,
            Locale = "en-US",
            TimezoneId = "UTC",
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(60_000);
        await context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Portal.BaseAddress.ToString() }]);
        var page = await context.NewPageAsync();
        if (role is null)
        {
            return (context, page);
        }

        await page.GotoAsync("/signin");
        await page.ClickAsync($"button[data-role='{role}']");
        await page.WaitForURLAsync("**/crm");
        await WaitInteractiveAsync(page);
        return (context, page);
    }

    protected static async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator(".crmsync-loading")).ToHaveCountAsync(0);
    }

    private static Task WaitInteractiveAsync(IPage page) =>
        page.WaitForSelectorAsync("#portal-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
}
