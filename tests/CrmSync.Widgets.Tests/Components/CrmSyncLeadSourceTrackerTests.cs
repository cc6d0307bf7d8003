using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncLeadSourceTrackerTests : ImportWidgetTestBase
{
    private const string Expected = "SalesHive Partner";

    public CrmSyncLeadSourceTrackerTests() => Auth.SetRoles("admin");

    [Fact]
    public async Task Render_NewIntegration_SetupIncompleteWithFirstStepCurrentAndCompleteDisabled()
    {
        // Arrange
        var integration = await CreateAsync();

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-chip")));
        var chip = cut.Find(".crmsync-chip");
        Assert.Equal("Setup Incomplete", Text(chip));
        Assert.Contains("crmsync-tone--neutral", chip.ClassList);
        Assert.Equal("SetupIncomplete", cut.Find(".crmsync-leadsource").GetAttribute("data-status"));
        Assert.Equal(Expected, cut.Find(".crmsync-leadsource__expected code").TextContent);
        Assert.Equal("step", cut.Find("[data-step='1']").GetAttribute("aria-current"));
        Assert.Contains("(current step)", cut.Find("[data-step='1']").TextContent, StringComparison.Ordinal);
        Assert.Contains("(to do)", cut.Find("[data-step='2']").TextContent, StringComparison.Ordinal);
        var complete = cut.Find(".crmsync-leadsource__complete");
        Assert.True(complete.HasAttribute("disabled"));
        Assert.Equal($"Complete setup is enabled once a test lead arrives with exactly the source value {Expected}.", Text(cut.Find($"#{complete.GetAttribute("aria-describedby")}")));
        Assert.Equal("Leads received during setup: 0.", Text(cut.Find(".crmsync-leadsource__received")));
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Theory]
    [InlineData("Zillow", "Received \"Zillow\", expected \"SalesHive Partner\". Ask the lead partner for a revision.")]
    [InlineData("saleshive partner", "Received \"saleshive partner\", expected \"SalesHive Partner\". Ask the lead partner for a revision.")]
    [InlineData(null, "Received a lead without a source value, expected \"SalesHive Partner\". Ask the lead partner for a revision.")]
    public async Task Render_LeadWithWrongSourceValue_ReportsReceivedAndExpectedAndKeepsCompleteDisabled(string? received, string message)
    {
        // Arrange
        var integration = await CreateAsync();
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, received);

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-leadsource__mismatch")));
        var mismatch = cut.Find(".crmsync-leadsource__mismatch");
        Assert.Equal("alert", mismatch.GetAttribute("role"));
        Assert.StartsWith($"{message}", Text(mismatch), StringComparison.Ordinal);
        Assert.True(cut.Find(".crmsync-leadsource__complete").HasAttribute("disabled"));
        Assert.Contains("Leads received during setup: 1.", Text(cut.Find(".crmsync-leadsource__received")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteSetup_AfterMatchingTestLead_MovesIntegrationToActive()
    {
        // Arrange
        var integration = await CreateAsync();
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, Expected);
        LeadSourceIntegration? completed = null;
        var cut = RenderSut(integration.Id, p => p.Add(x => x.OnSetupCompleted, i => completed = i));
        cut.WaitForAssertion(() => Assert.False(cut.Find(".crmsync-leadsource__complete").HasAttribute("disabled")));
        Assert.Equal("Receive a test lead with exactly the expected source value (done) Received just now", VisibleText(cut.Find("[data-step='1']")));
        Assert.Equal(Iso(Time.GetUtcNow()), cut.Find("[data-step='1'] time").GetAttribute("datetime"));
        Assert.Equal("step", cut.Find("[data-step='2']").GetAttribute("aria-current"));
        Assert.Contains("press Complete setup", cut.Find(".crmsync-leadsource__actions").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-leadsource__complete").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Active", Text(cut.Find(".crmsync-chip"))));
        Assert.Contains("crmsync-tone--green", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal("Setup complete: SalesHive is Active.", Text(cut.Find(".crmsync-leadsource__message")));
        Assert.Null(cut.Find(".crmsync-leadsource__message").GetAttribute("role"));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message == "Setup complete: SalesHive is Active.");
        Assert.Contains("Completed just now by ada", VisibleText(cut.Find("[data-step='2']")), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-leadsource__complete"));
        Assert.Contains("does not reflect later changes on the lead partner's side", cut.Find(".crmsync-leadsource__help").TextContent, StringComparison.Ordinal);
        var stored = await LeadSources.GetAsync(Tenant, integration.Id);
        Assert.Equal(LeadSourceStatus.Active, stored.Status);
        Assert.Equal("ada", stored.Setup.CompletedBy);
        Assert.Equal(LeadSourceStatus.Active, completed?.Status);
    }

    [Fact]
    public async Task Render_MemberRole_SeesTrackerButAsksAnAdminToComplete()
    {
        // Arrange
        var integration = await CreateAsync();
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, Expected);
        Auth.SetRoles("member");

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Ask an admin to complete the lead-source setup.", Text(cut.Find(".crmsync-ask-admin"))));
        Assert.Empty(cut.FindAll("button"));
        Assert.Equal("Setup Incomplete", Text(cut.Find(".crmsync-chip")));
        Assert.Equal(LeadSourceStatus.SetupIncomplete, (await LeadSources.GetAsync(Tenant, integration.Id)).Status);
    }

    [Fact]
    public async Task Render_PausedByUser_ShowsPausedWithReason()
    {
        // Arrange
        var integration = await ActivateAsync();
        await LeadSources.PauseAsync(Admin, Tenant, integration.Id);

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Paused", Text(cut.Find(".crmsync-chip"))));
        Assert.Contains("crmsync-tone--amber", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal("Paused by a user.", Text(cut.Find(".crmsync-leadsource__reason")));
        Assert.Empty(cut.FindAll(".crmsync-leadsource__error"));
    }

    [Fact]
    public async Task Render_PausedForExpiredCredentials_ShowsReasonAndWhatValidationFound()
    {
        // Arrange
        var integration = await ActivateAsync();
        await LeadSources.ReportValidationAsync(Tenant, integration.Id, credentialsValid: false, "The partner API key expired on 30 June.");

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Paused", Text(cut.Find(".crmsync-chip"))));
        Assert.Equal("Expired credentials: paused until validation finds valid credentials again.", Text(cut.Find(".crmsync-leadsource__reason")));
        var error = cut.Find(".crmsync-leadsource__error");
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Equal("Validation found: The partner API key expired on 30 June.", Text(error));
    }

    [Fact]
    public async Task Render_FailedSync_ShowsRetryTimeAndError()
    {
        // Arrange
        var integration = await ActivateAsync();
        await LeadSources.ReportSyncAsync(Tenant, integration.Id, succeeded: false, "The partner feed answered 502.");
        var retryAt = (await LeadSources.GetAsync(Tenant, integration.Id)).NextRetryAt!.Value;

        // Act
        var cut = RenderSut(integration.Id);
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Failed Sync", Text(cut.Find(".crmsync-chip"))));
        Assert.Contains("crmsync-tone--red", cut.Find(".crmsync-chip").ClassList);
        Assert.Equal(Time.GetUtcNow().AddMinutes(1), retryAt);
        Assert.Equal("Retrying automatically in 1 minute.", VisibleText(cut.Find(".crmsync-leadsource__reason")));
        Assert.Equal(Iso(retryAt), cut.Find(".crmsync-leadsource__reason time").GetAttribute("datetime"));
        Assert.Contains(Formatted(retryAt, "f"), cut.Find(".crmsync-leadsource__reason .crmsync-time__exact").TextContent, StringComparison.Ordinal);
        var error = cut.Find(".crmsync-leadsource__error");
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Equal("Last sync error: The partner feed answered 502.", Text(error));
    }

    [Fact]
    public async Task Render_NoIntegrationId_ListsEveryIntegrationOfTheTenantOnly()
    {
        // Arrange
        await CreateAsync("SalesHive");
        Time.Advance(TimeSpan.FromMinutes(1));
        await ActivateAsync("LeadGenius");
        await LeadSources.CreateAsync(Admin, "tenant-b", "Other tenant's partner", "Other");

        // Act
        var cut = Render<CrmSyncLeadSourceTracker>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(["SalesHive", "LeadGenius"], cut.FindAll(".crmsync-leadsource__name").Select(Text)));
        Assert.Equal(["Setup Incomplete", "Active"], cut.FindAll(".crmsync-chip").Select(Text));
    }

    [Fact]
    public void Render_NoIntegrations_SaysSo()
    {
        // Arrange, Act
        var cut = Render<CrmSyncLeadSourceTracker>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("No lead-source integrations yet.", Text(cut.Find(".crmsync-leadsources__empty"))));
    }

    [Fact]
    public async Task Poll_MatchingTestLeadArrives_EnablesCompleteSetupWithoutReload()
    {
        // Arrange
        var integration = await CreateAsync();
        var cut = RenderSut(integration.Id);
        cut.WaitForAssertion(() => Assert.True(cut.Find(".crmsync-leadsource__complete").HasAttribute("disabled")));
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, Expected);

        // Act
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        cut.WaitForAssertion(() => Assert.False(cut.Find(".crmsync-leadsource__complete").HasAttribute("disabled")));
        Assert.Contains("(done)", cut.Find("[data-step='1']").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<CrmSyncLeadSourceTracker> RenderSut(Guid integrationId, Action<ComponentParameterCollectionBuilder<CrmSyncLeadSourceTracker>>? more = null) =>
        Render<CrmSyncLeadSourceTracker>(p =>
        {
            p.Add(x => x.TenantId, Tenant).Add(x => x.IntegrationId, integrationId);
            more?.Invoke(p);
        });

    private static string Formatted(DateTimeOffset at, string format = "g") => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Utc).ToString(format, CultureInfo.CurrentCulture);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private Task<LeadSourceIntegration> CreateAsync(string name = "SalesHive") => LeadSources.CreateAsync(Admin, Tenant, name, Expected);

    private async Task<LeadSourceIntegration> ActivateAsync(string name = "SalesHive")
    {
        var integration = await CreateAsync(name);
        await LeadSources.ReceiveLeadAsync(Tenant, integration.Id, Expected);
        var done = await LeadSources.CompleteSetupAsync(Admin, Tenant, integration.Id);
        Assert.True(done.Accepted);
        return done.Integration;
    }
}
