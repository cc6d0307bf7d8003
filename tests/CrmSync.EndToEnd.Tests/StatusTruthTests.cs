using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmSync.EndToEnd.Tests;

/// <summary>
/// What a user sees for each "Must show" case of issue 11, with short intervals so each test stays short: the scheduler looks every
/// second, an outage is one wait, a wait is retried after 2 seconds and a long outage is 6 seconds.
/// </summary>
public sealed partial class StatusTruthTests(BrowserFixture browser, ITestOutputHelper output) : PortalTest(browser, output)
{
    protected override IReadOnlyDictionary<string, string>? PortalEnvironment => new Dictionary<string, string>
    {
        ["Portal__SchedulerPollInterval"] = "00:00:01",
        ["CrmSync__SchedulerPollInterval"] = "00:00:01",
        ["CrmSync__DefaultRetryDelay"] = "00:00:02",
        ["CrmSync__Status__OutageAfterWaits"] = "1",
        ["CrmSync__Status__OutageAfter"] = "00:00:01",
        ["CrmSync__Status__OutageAlertAfter"] = "00:00:06",
    };

    /// <summary>The portal's schedule interval (its default, 1 minute: the shortest a connection allows).</summary>
    private static readonly TimeSpan ScheduleInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long an assertion waits: long enough for a scheduled run after a CRM's Retry-After.</summary>
    private const float Slow = 60_000;

    /// <summary>
    /// How long the first scheduled run after a change may take to show: a connection that just synced runs next one schedule
    /// interval (1 minute, the shortest a connection allows) later, and a busy machine adds its run and render time.
    /// </summary>
    private const float NextScheduledRun = 120_000;

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private async Task ConnectHubSpotAndSyncOnceAsync()
    {
        await ConnectAsync("hubspot");
        await SkipImportAsync();
        await AddActivityAsync();
        await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 1, "the first contact");
    }

    [Fact]
    public async Task Outage_OnThenOff_BannerAmberAndAlertComeAndGoOnOnePageWithoutReload()
    {
        // Arrange
        await ConnectHubSpotAndSyncOnceAsync();
        await SimulateAsync("hubspot", "Start outage");
        await AddActivityAsync();

        // Act: stay on the CRM page; the scheduler's runs reach every widget through the change feed.
        await GotoAsync("/crm");

        // Assert: banner and amber within a scheduled run, then one alert after the long threshold, and the red badge.
        await Expect(Page.Locator(".crmsync-banner--outage")).ToContainTextAsync("HubSpot is not responding; we retry automatically.", new() { Timeout = NextScheduledRun });
        await Expect(Page.Locator(".crmsync-healthbar").First).ToHaveAttributeAsync("data-health", "Amber", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-status[data-reason='ProviderOutage']").First).ToBeVisibleAsync(new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert[data-kind='ProviderOutage']")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert__crm")).ToHaveTextAsync("HubSpot", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await ScreenshotAsync("crm-during-outage");

        // Act: the CRM answers again; open the Simulate page in a second tab so this page is never reloaded.
        var simulate = await Page.Context.NewPageAsync();
        await simulate.GotoAsync("/simulate");
        await simulate.WaitForSelectorAsync("#portal-interactive", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        await simulate.Locator("section[data-provider='hubspot']").GetByRole(AriaRole.Button, new() { Name = "End outage" }).ClickAsync();
        await simulate.Locator("p.notice[role='status']").WaitForAsync();

        // Assert: banner, amber, alert and badge all go, on the page that stayed open.
        await Expect(Page.Locator(".crmsync-banner--outage")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-healthbar").First).Not.ToHaveAttributeAsync("data-health", "Amber", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(0, new() { Timeout = Slow });
    }

    [Fact]
    public async Task ExpiredCredentials_PausedWithReconnect_ReconnectingClearsBannerAlertAndBadge()
    {
        // Arrange: Salesforce refuses the saved refresh token ("expired access/refresh token").
        await ConnectAsync("salesforce");
        await SkipImportAsync();
        await SimulateAsync("salesforce", "Revoke tokens");
        await AddActivityAsync();
        await GotoAsync("/settings/integrations");
        var card = Page.Locator(".crmsync-card").First;

        // Assert: note 004's "Paused — expired credentials" with Reconnect on the card and in a banner, one alert, the red badge.
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Paused", new() { Timeout = Slow });
        var problem = card.Locator(".crmsync-card__problem[data-reason='ExpiredCredentials']");
        await Expect(problem).ToContainTextAsync("Expired credentials: Salesforce refused to renew the sign-in.", new() { Timeout = Slow });
        await Expect(problem.GetByRole(AriaRole.Button, new() { Name = "Reconnect" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".crmsync-banner--revoked")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert[data-kind='ExpiredCredentials']")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await ScreenshotAsync("integrations-expired-credentials");

        // Act: reconnect through Salesforce's sign-in.
        await problem.GetByRole(AriaRole.Button, new() { Name = "Reconnect" }).ClickAsync();
        var allow = Page.Locator("#allow, #accept");
        await allow.WaitForAsync();
        await allow.ClickAsync();
        await Page.WaitForURLAsync("**connected=1**");
        await GotoAsync("/settings/integrations");

        // Assert: the pause, the banner, the alert and the badge are gone, and the waiting activity reaches Salesforce.
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Active", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-banner--revoked")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await WaitForRecordsAsync("salesforce", "Contact", r => r.Length >= 1, "the contact that waited for the reconnect");
    }

    [Fact]
    public async Task RejectedField_ErrorWithCountUntilRecordsSync_ThreeFailuresAlertOnceAndRecoveryClearsAll()
    {
        // Arrange
        await ConnectHubSpotAndSyncOnceAsync();
        await SimulateAsync("hubspot", "Map a field the CRM rejects");
        await AddActivityAsync();
        await GotoAsync("/settings/integrations");
        var card = Page.Locator(".crmsync-card").First;

        // Assert: Error with the count of failed records.
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Error", new() { Timeout = NextScheduledRun });
        await Expect(card.Locator(".crmsync-card__problem-text")).ToContainTextAsync("1 record failed to sync", new() { Timeout = Slow });

        // Act: Retry while the field is still rejected until the third failed run in a row raises the alert. (The first run is not
        // a failed run: it also synced a call with the contact added before.) A click may meet a scheduled run holding the
        // connection, which then sends the re-queued record itself, so the test counts failed runs by the alert, not by clicks.
        var retry = card.Locator(".crmsync-card__retry");
        for (var click = 0; click < 8 && await Page.Locator(".crmsync-alert").CountAsync() == 0; click++)
        {
            await retry.ClickAsync();
            await Expect(retry).ToBeEnabledAsync(new() { Timeout = Slow });
            await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Error", new() { Timeout = Slow });
            for (var poll = 0; poll < 10 && await Page.Locator(".crmsync-alert").CountAsync() == 0; poll++)
            {
                await Page.WaitForTimeoutAsync(500);
            }
        }

        // Assert
        await Expect(Page.Locator(".crmsync-alert")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert__failures")).ToHaveTextAsync("3 failed syncs in a row", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert__link")).ToHaveAttributeAsync("href", "/settings/integrations", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await ScreenshotAsync("integrations-three-failures-one-alert");

        // Act: fix the cause and retry.
        await SimulateAsync("hubspot", "Stop rejecting");
        await GotoAsync("/settings/integrations");
        await card.Locator(".crmsync-card__retry").ClickAsync();

        // Assert: Active only now that the records synced; the alert is resolved and the badge clears.
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Active", new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-alert")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await Expect(Page.Locator(".crmsync-nav__badge")).ToHaveCountAsync(0, new() { Timeout = Slow });
        await WaitForRecordsAsync("hubspot", "contacts", r => r.Length >= 2, "the retried contact");
    }

    [Fact]
    public async Task PauseAndResume_OnTheCard_ChipFollowsAndSyncWaits()
    {
        // Arrange
        await ConnectHubSpotAndSyncOnceAsync();
        await GotoAsync("/settings/integrations");
        var card = Page.Locator(".crmsync-card").First;

        // Act
        await card.Locator(".crmsync-card__pause").ClickAsync();

        // Assert
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Paused", new() { Timeout = Slow });
        await Expect(card.Locator(".crmsync-card__sync-now")).ToHaveCountAsync(0, new() { Timeout = Slow });

        // Act: new activity while paused, then let the time pass at which the connection's next scheduled run was due
        // (one schedule interval after its last run), and run the scheduler's due syncs by hand as well.
        var contactsBefore = (await RecordsAsync("hubspot", "contacts")).Length;
        await AddActivityAsync();
        await Page.WaitForTimeoutAsync((float)(ScheduleInterval + TimeSpan.FromSeconds(5)).TotalMilliseconds);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Run scheduled syncs now" }).ClickAsync();
        await Expect(Page.Locator("p.notice[role='status']")).ToHaveTextAsync("Ran 0 due connection(s).", new() { Timeout = Slow });

        // Assert: nothing reached HubSpot while paused.
        Assert.Equal(contactsBefore, (await RecordsAsync("hubspot", "contacts")).Length);

        // Act
        await GotoAsync("/settings/integrations");
        await card.Locator(".crmsync-card__resume").ClickAsync();

        // Assert: Active again, and what waited syncs.
        await Expect(card.Locator(".crmsync-chip__label")).ToHaveTextAsync("Active", new() { Timeout = Slow });
        await Expect(card.Locator(".crmsync-card__sync-now")).ToHaveCountAsync(1, new() { Timeout = Slow });
        await WaitForRecordsAsync("hubspot", "contacts", r => r.Length > contactsBefore, "the contact added while paused");
    }

    [Fact]
    public async Task DeleteMistakenSetup_AfterConfirmation_RemovesItAndTouchesNothingInTheCrm()
    {
        // Arrange: a Pipedrive setup started by mistake: sign-in begun, then abandoned.
        await GotoAsync("/settings/integrations/pipedrive");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Page.Locator("#allow, #accept").WaitForAsync();
        await GotoAsync("/settings/integrations/pipedrive");
        await Expect(Page.Locator(".crmsync-status[data-status='SetupIncomplete']").First).ToBeVisibleAsync(new() { Timeout = Slow });

        // Act
        await Page.Locator(".crmsync-danger__delete-one").ClickAsync();
        await Expect(Page.Locator(".crmsync-danger__confirm-delete")).ToContainTextAsync("Records already in Pipedrive stay there", new() { Timeout = Slow });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Yes, delete" }).ClickAsync();

        // Assert
        await Page.WaitForURLAsync("**/settings/integrations");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Set up Pipedrive" })).ToBeVisibleAsync(new() { Timeout = Slow });
        Assert.Empty(await RecordsAsync("pipedrive", "persons"));
    }
}
