using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>CRMs added from their OpenAPI document (Reapit, and the invented Harbor CRM) work with the same widgets as the built-in four.</summary>
public sealed class OpenApiCrmTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    [Fact]
    public async Task Integrations_ListsReapitAndHarborBesideTheBuiltInCrms()
    {
        // Act
        await GotoAsync("/settings/integrations");

        // Assert
        foreach (var name in new[] { "HubSpot", "Salesforce", "Pipedrive", "Zoho CRM", "Reapit", "Harbor CRM" })
        {
            await Assertions.Expect(Page.Locator("ul.providers")).ToContainTextAsync(name);
        }
    }

    [Theory]
    [InlineData("reapit", "SBOX", "contacts")]
    [InlineData("harbor", "harbor-demo-key", "people")]
    public async Task ConnectWithKey_SendTestContactThenResync_SyncsIntoTheCrm(string provider, string key, string objectType)
    {
        // Arrange: connect through the key form (no OAuth sign-in for these CRMs)
        await GotoAsync($"/settings/integrations/{provider}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Page.Locator("#crm-key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save and connect" }).ClickAsync();
        await SkipImportAsync();

        // Act
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" }).ClickAsync();
        await Assertions.Expect(Page.Locator(".crmsync-test__result")).ToContainTextAsync("Created");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Resync existing contacts" }).ClickAsync();

        // Assert: the test contact plus the 24 existing demo contacts, each once
        var records = await WaitForRecordsAsync(provider, objectType, r => r.Length >= 25, $"25 {objectType} in {provider}");
        Assert.Equal(25, records.Length);
        await ScreenshotAsync($"connection-page-{provider}");
    }
}
