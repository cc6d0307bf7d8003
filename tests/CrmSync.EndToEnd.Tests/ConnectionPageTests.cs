using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

public sealed class ConnectionPageTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    private static string Prop(JsonElement record, string name) =>
        record.GetProperty("properties").TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    [Fact]
    public async Task ConnectHubSpot_ThroughOAuth_ShowsConnectedAndChecklist()
    {
        // Act
        await ConnectAsync("hubspot");

        // Assert
        await Page.GetByText("Connected to").First.WaitForAsync();
        await Expect(Page.Locator(".crmsync-checklist")).ToContainTextAsync("Connect");
        await ScreenshotAsync("connection-page-hubspot-connected");
    }

    [Fact]
    public async Task SkipImport_ThenResyncExisting_PushesExistingContacts()
    {
        // Arrange
        await ConnectAsync("hubspot");

        // Act
        await SkipImportAsync();
        var afterSkip = await RecordsAsync("hubspot", "contacts");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Resync existing contacts" }).ClickAsync();

        // Assert
        Assert.Empty(afterSkip);
        var contacts = await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 24, "24 existing contacts");
        Assert.Equal(24, contacts.Length);
        await ScreenshotAsync("connection-page-after-resync");
    }

    [Fact]
    public async Task SendTestContact_Twice_UpdatesTheSameRecord()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        var button = Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" });

        // Act
        await button.ClickAsync();
        await Expect(Page.Locator(".crmsync-test__result")).ToContainTextAsync("Created");
        await button.ClickAsync();
        await Expect(Page.Locator(".crmsync-test__result")).ToContainTextAsync("Updated the same test record");

        // Assert
        var contacts = await RecordsAsync("hubspot", "contacts");
        var test = Assert.Single(contacts);
        Assert.Equal("Sync Test", Prop(test, "lastname"));
        Assert.True(await Page.Locator("a[href*='/contacts/']").CountAsync() > 0, "a link to the record in the CRM");
        await ScreenshotAsync("test-contact-twice");
    }

    [Fact]
    public async Task TogglingCallsOff_NoCallsArePushed()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();

        // Act
        await Page.Locator("[data-toggle='Calls'] input").UncheckAsync();
        await Expect(Page.Locator("[data-toggle='Calls']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crmsync-toggle--off"));
        await GotoAsync("/simulate");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add activity now" }).ClickAsync();
        await Page.GetByText("Added a contact").WaitForAsync();

        // Assert: the email and meeting of the same batch land, the call never does.
        await WaitForRecordsAsync("hubspot", "emails", r => r.Length >= 1, "the email");
        await WaitForRecordsAsync("hubspot", "meetings", r => r.Length >= 1, "the meeting");
        Assert.Empty(await RecordsAsync("hubspot", "calls"));
    }

    [Fact]
    public async Task FixedValueMapping_LandsInTheCrmRecord()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await GotoAsync("/settings/integrations/hubspot?tab=field-mapping");

        // Act
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a field" }).ClickAsync();
        await Page.Locator(".crmsync-mapping__field").Last.FillAsync("website");
        await Page.Locator(".crmsync-mapping__kind").Last.SelectOptionAsync("FixedValue");
        await Page.Locator(".crmsync-mapping__value").Last.FillAsync("https://demo.crmsync.example");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save mapping" }).ClickAsync();
        await Page.Locator(".crmsync-mapping__saved").WaitForAsync();
        await ScreenshotAsync("field-mapping");
        await GotoAsync("/settings/integrations/hubspot");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send a test contact" }).ClickAsync();

        // Assert
        var contacts = await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 1, "the test contact");
        Assert.Equal("https://demo.crmsync.example", Prop(contacts[0], "website"));
    }

    [Fact]
    public async Task BadTemplate_IsRejectedInlineAndNothingSaved()
    {
        // Arrange
        await ConnectAsync("hubspot");
        await GotoAsync("/settings/integrations/hubspot?tab=field-mapping");

        // Act
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a field" }).ClickAsync();
        await Page.Locator(".crmsync-mapping__field").Last.FillAsync("jobtitle");
        await Page.Locator(".crmsync-mapping__kind").Last.SelectOptionAsync("Template");
        await Page.Locator(".crmsync-mapping__value").Last.FillAsync("{{firstName");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save mapping" }).ClickAsync();

        // Assert
        await Expect(Page.Locator(".crmsync-mapping__row-error")).ToContainTextAsync("never closed");
    }

    [Fact]
    public async Task TemplateWithATypo_IsRejectedInlineNamingThePlaceholder()
    {
        // Arrange: note 002's editor, with the portal's declared host fields.
        await ConnectAsync("hubspot");
        await GotoAsync("/settings/integrations/hubspot?tab=field-mapping");

        // Act
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add a field" }).ClickAsync();
        await Page.Locator(".crmsync-mapping__field").Last.FillAsync("jobtitle");
        await Page.Locator(".crmsync-mapping__kind").Last.SelectOptionAsync("Template");
        await Page.Locator(".crmsync-mapping__value").Last.FillAsync("{{nmae}} at {{company}}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save mapping" }).ClickAsync();

        // Assert: refused when saved, naming the typo, and the next sync is untouched.
        await Expect(Page.Locator(".crmsync-mapping__row-error")).ToContainTextAsync("unknown placeholder '{{nmae}}'");
        await Expect(Page.Locator(".crmsync-mapping__saved")).ToHaveCountAsync(0);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
