using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class EveryCrmTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    [Fact]
    public async Task Zoho_EuropeDatacenterChosenBeforeSignIn_SignsInAndSyncsInEurope()
    {
        // Act: pick Europe, then Connect.
        await GotoAsync("/settings/integrations/zoho");
        await Page.Locator(".crmsync-connect__datacenter-select").SelectOptionAsync(new SelectOptionValue { Label = "Europe" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        var accept = Page.Locator("#accept");
        await accept.WaitForAsync();
        var signInUrl = Page.Url;
        await ScreenshotAsync("zoho-sign-in-europe");
        await accept.ClickAsync();
        await Page.WaitForURLAsync("**/settings/integrations/zoho?connected=1**");
        await WaitInteractiveAsync();
        await SkipImportAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" }).ClickAsync();

        // Assert
        Assert.Contains("accounts.zoho.eu", signInUrl, StringComparison.Ordinal);
        await Assertions.Expect(Page.Locator(".crmsync-test__result")).ToContainTextAsync("Created");
        await Assertions.Expect(Page.Locator(".crmsync-test__link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"crm\.zoho\.eu"));
        await WaitForRecordsAsync("zoho", "Contacts", r => r.Length == 1, "the test contact in Zoho");
    }

    [Fact]
    public async Task Zoho_WrongDatacenter_ZohoRedirectCorrectsItAndConnects()
    {
        // Act: the demo account lives in Europe; the user signs in through the United States.
        await GotoAsync("/settings/integrations/zoho");
        await Page.Locator(".crmsync-connect__datacenter-select").SelectOptionAsync(new SelectOptionValue { Label = "United States" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Page.Locator("#accept").ClickAsync();
        await Page.WaitForURLAsync("**/settings/integrations/zoho?connected=1**");
        await WaitInteractiveAsync();

        // Assert: Zoho's redirect named the European accounts server; the sign-in completed there and says so plainly.
        await Assertions.Expect(Page.Locator("p.notice[role='status']")).ToHaveTextAsync("Your Zoho account is in Europe; we switched to zoho.eu.");
        await Assertions.Expect(Page.Locator(".crmsync-connect__connected")).ToContainTextAsync("(Europe)");
        await ScreenshotAsync("zoho-datacenter-corrected");
    }

    [Theory]
    [InlineData("salesforce", "Contact")]
    [InlineData("pipedrive", "persons")]
    public async Task Connect_OtherCrmThroughOAuth_SendsTheTestContact(string provider, string objectType)
    {
        // Act
        await ConnectAsync(provider);
        await SkipImportAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" }).ClickAsync();

        // Assert
        await Assertions.Expect(Page.Locator(".crmsync-test__result")).ToContainTextAsync("Created");
        await WaitForRecordsAsync(provider, objectType, r => r.Length == 1, $"the test contact in {provider}");
        await ScreenshotAsync($"connection-page-{provider}");
    }

    [Theory]
    [InlineData("salesforce", null)]
    [InlineData("pipedrive", null)]
    [InlineData("zoho", "Europe")]
    public async Task FieldDeletedInTheCrmAfterMapping_CardShowsErrorUntilRemovedAndRetried(string provider, string? datacenter)
    {
        // Arrange: the mapping is checked against the CRM's fields when saved, so the demo maps a real custom field, then an
        // admin deletes it in the CRM.
        await ConnectAsync(provider, datacenter);
        await SkipImportAsync();
        await SimulateAsync(provider, "Map a field the CRM rejects");
        await AddActivityAsync();

        // Act
        await GotoAsync("/settings/integrations");
        var card = Page.Locator(".crmsync-card").First;
        await card.Locator(".crmsync-card__sync-now").ClickAsync();

        // Assert: Error with the failed record, until the field leaves the mapping and the record is retried.
        await Assertions.Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Error", new() { Timeout = 60_000 });
        await Assertions.Expect(card.Locator(".crmsync-card__problem-text")).ToContainTextAsync("failed to sync");
        await ScreenshotAsync($"integrations-field-deleted-{provider}");
        await SimulateAsync(provider, "Stop rejecting");
        await GotoAsync("/settings/integrations");
        await card.Locator(".crmsync-card__retry").ClickAsync();
        await Assertions.Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Active", new() { Timeout = 60_000 });
    }
}
