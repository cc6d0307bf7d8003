using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>A fresh portal process and a signed-in browser page per test.</summary>
[Collection(BrowserCollection.Name)]
public abstract class PortalTest(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private IBrowserContext? _context;

    protected PortalProcess Portal { get; private set; } = default!;

    protected IPage Page { get; private set; } = default!;

    protected virtual string Role => "owner";

    /// <summary>Gets settings the portal starts with (environment variables such as <c>CrmSync__Status__OutageAfterWaits</c>); none by default.</summary>
    protected virtual IReadOnlyDictionary<string, string>? PortalEnvironment => null;

    public async Task InitializeAsync()
    {
        Portal = await PortalProcess.StartAsync(environment: PortalEnvironment);
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        _context.SetDefaultTimeout(30_000);
        Page = await _context.NewPageAsync();
        await SignInAsync(Role);
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        output.WriteLine(Portal.Output);
        await Portal.DisposeAsync();
    }

    protected async Task SignInAsync(string role)
    {
        await Page.GotoAsync("/signin");
        await Page.ClickAsync($"button[data-role='{role}']");
        await Page.WaitForURLAsync("**/crm");
        await WaitInteractiveAsync();
    }

    protected async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }

    protected Task WaitInteractiveAsync() =>
        Page.WaitForSelectorAsync("#portal-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>Connects a CRM through its OAuth sign-in page on the simulator.</summary>
    protected async Task ConnectAsync(string provider, string? datacenter = null)
    {
        await GotoAsync($"/settings/integrations/{provider}");
        if (datacenter is not null)
        {
            await Page.GetByLabel("Datacenter").SelectOptionAsync(new SelectOptionValue { Label = datacenter });
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        var allow = Page.Locator("#allow, #accept");
        await allow.WaitForAsync();
        await allow.ClickAsync();
        await Page.WaitForURLAsync($"**/settings/integrations/{provider}?connected=1**");
        await WaitInteractiveAsync();
    }

    /// <summary>Clicks a button of one CRM's panel on the Simulate page and waits for its notice.</summary>
    protected async Task SimulateAsync(string provider, string button)
    {
        await GotoAsync("/simulate");
        await Page.Locator($"section[data-provider='{provider}']").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Page.Locator("p.notice[role='status']").WaitForAsync();
    }

    /// <summary>Adds a contact with a call through the Simulate page.</summary>
    protected async Task AddActivityAsync()
    {
        await GotoAsync("/simulate");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add activity now" }).ClickAsync();
        await Page.GetByText("Added a contact").WaitForAsync();
    }

    protected async Task SkipImportAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skip, only sync new activity" }).ClickAsync();
        await Page.Locator(".crmsync-start__result").GetByText("Skipped the import").WaitForAsync();
    }

    /// <summary>Reads back what the simulated CRM stores.</summary>
    protected async Task<JsonElement[]> RecordsAsync(string provider, string objectType)
    {
        var response = await Page.APIRequest.GetAsync($"/demo/crm/{provider}/records/{objectType}");
        Assert.True(response.Ok, $"records endpoint answered {response.Status}");
        var json = await response.JsonAsync();
        return json!.Value.EnumerateArray().ToArray();
    }

    /// <summary>Waits until the simulated CRM holds what <paramref name="until"/> expects (the scheduler runs every few seconds).</summary>
    protected async Task<JsonElement[]> WaitForRecordsAsync(string provider, string objectType, Func<JsonElement[], bool> until, string what)
    {
        JsonElement[] records = [];
        for (var attempt = 0; attempt < 120; attempt++)
        {
            records = await RecordsAsync(provider, objectType);
            if (until(records))
            {
                return records;
            }

            // Let the portal's scheduler run; also nudge it through the Simulate panel's endpoint-free path.
            await Page.WaitForTimeoutAsync(500);
        }

        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; the CRM holds {records.Length} {objectType}.");
    }

    protected async Task ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ArtifactsDirectory, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
    }
}
