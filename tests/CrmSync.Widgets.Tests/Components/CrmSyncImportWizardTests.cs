using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncImportWizardTests : ImportWidgetTestBase
{
    [Fact]
    public async Task Render_SendOnlyConnection_DisabledWithMessage()
    {
        // Arrange
        var connection = await ConnectAsync();
        Assert.Equal(SyncDirection.Send, connection.Settings.Direction);

        // Act
        var cut = RenderSut(connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__blocked")));
        var blocked = cut.Find(".crmsync-import__blocked");
        Assert.Contains("This connection is send-only: it sends your records to HubSpot but never reads from it.", blocked.TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find(".crmsync-import__filters").HasAttribute("disabled"));
        Assert.Equal(blocked.Id, cut.Find(".crmsync-import__filters").GetAttribute("aria-describedby"));
        Assert.True(cut.Find(".crmsync-import__preview").HasAttribute("disabled"));
        Assert.Equal(0, Provider.FetchCallCount);
    }

    [Fact]
    public async Task Render_CrmCannotFetch_DisabledWithMessage()
    {
        // Arrange
        var connection = await Client.ConnectAsync(Tenant, Legacy.Name, Legacy.Inner.IssueTokens(), "Old system", settings: new ConnectionSettings { Direction = SyncDirection.Both });
        Assert.False(connection.Capabilities.CanFetch);

        // Act
        var cut = RenderSut(connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Legacy CRM does not support importing records", cut.Find(".crmsync-import__blocked").TextContent, StringComparison.Ordinal));
        Assert.True(cut.Find(".crmsync-import__preview").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll(".crmsync-import__owner"));
    }

    [Theory]
    [InlineData("member")]
    [InlineData("viewer")]
    public async Task Render_RoleThatMayNotRunImports_AsksAnAdmin(string role)
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        Auth.SetRoles(role);

        // Act
        var cut = RenderSut(connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Ask an admin to import records from the CRM.", Text(cut.Find(".crmsync-ask-admin"))));
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindAll("input"));
    }

    [Fact]
    public async Task Preview_Defaults_CountsClosedLostDealsWithSample()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        Assert.Equal(["Ada Lovelace", "Alan Turing"], cut.FindAll(".crmsync-import__owner-option").Select(Text));

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("3 records match these filters.", Text(cut.Find(".crmsync-import__count"))));
        Assert.Null(cut.Find(".crmsync-import__status").GetAttribute("aria-live"));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message == "3 records match these filters.");
        Assert.Equal(["d1", "d2", "d3"], cut.FindAll(".crmsync-import__sample-row").Select(r => r.GetAttribute("data-crm-id")!).Order(StringComparer.Ordinal));
        var d2 = cut.Find(".crmsync-import__sample-row[data-crm-id=d2]");
        Assert.Contains("Deal d2", d2.TextContent, StringComparison.Ordinal);
        Assert.Contains("Company d2", d2.TextContent, StringComparison.Ordinal);
        Assert.Contains("Alan Turing", d2.TextContent, StringComparison.Ordinal);
        Assert.Equal("Import 3 records", Text(cut.Find(".crmsync-import__start")));
        var sent = Provider.FetchRequests[^1].Filter;
        Assert.Equal(CrmFetchObjectType.Deal, sent.ObjectType);
        Assert.Equal([CrmDealStatus.ClosedLost], sent.DealStatuses);
        Assert.Equal(0, (await Imports.CountInboxAsync(Admin, Tenant)).Pending);
    }

    [Fact]
    public async Task Preview_StageOwnerDateRangeAndClosedWon_CountMatchesFilteredSeeds()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        var seeded = SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__won")));
        cut.Find(".crmsync-import__won").Change(true);
        cut.Find(".crmsync-import__stages").Change(" lost-pricing, closedwon ");
        cut.Find(".crmsync-import__owner[value=owner-1]").Change(true);
        cut.Find(".crmsync-import__from").Change("2026-03-01");
        cut.Find(".crmsync-import__to").Change("2026-03-31");

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("2 records match these filters.", Text(cut.Find(".crmsync-import__count"))));
        var sent = Provider.FetchRequests[^1].Filter;
        Assert.Equal(["lost-pricing", "closedwon"], sent.Stages);
        Assert.Equal(["owner-1"], sent.OwnerIds);
        Assert.Equal([CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon], sent.DealStatuses);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), sent.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), sent.CreatedBefore);
        Assert.Equal(seeded.Where(sent.Matches).Select(r => r.CrmId).Order(StringComparer.Ordinal), cut.FindAll(".crmsync-import__sample-row").Select(r => r.GetAttribute("data-crm-id")!).Order(StringComparer.Ordinal));
        Assert.Equal(["d3", "d4"], seeded.Where(sent.Matches).Select(r => r.CrmId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(nameof(CrmFetchObjectType.Contact), 2, "Stages")]
    [InlineData(nameof(CrmFetchObjectType.Lead), 1, "Lead statuses")]
    public async Task Preview_OtherObjectKind_CountsThatKind(string kind, int expected, string stageLabel)
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($".crmsync-import__kind input[value={kind}]")));
        cut.Find($".crmsync-import__kind input[value={kind}]").Change(kind);
        Assert.Empty(cut.FindAll(".crmsync-import__won"));

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(expected == 1 ? "1 record matches these filters." : $"{expected} records match these filters.", Text(cut.Find(".crmsync-import__count"))));
        Assert.Equal(Enum.Parse<CrmFetchObjectType>(kind), Provider.FetchRequests[^1].Filter.ObjectType);
        Assert.Equal(stageLabel, Text(cut.Find(".crmsync-import__field span")));
    }

    [Fact]
    public async Task Preview_NothingMatches_SaysSoAndOffersNoImport()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__stages")));
        cut.Find(".crmsync-import__stages").Change("no-such-stage");

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("0 records match these filters.", Text(cut.Find(".crmsync-import__count"))));
        Assert.Contains("No records match these filters.", cut.Find(".crmsync-import__none").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-import__start"));
    }

    [Fact]
    public async Task Preview_ToDateBeforeFromDate_ShowsAlertAndAsksTheCrmNothing()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__from")));
        cut.Find(".crmsync-import__from").Change("2026-05-01");
        cut.Find(".crmsync-import__to").Change("2026-04-01");
        var calls = Provider.FetchCallCount;

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        var error = cut.Find(".crmsync-import__filter-error");
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Contains("The \"To\" date is before the \"From\" date.", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find(".crmsync-import__to").GetAttribute("aria-invalid"));
        Assert.Equal(calls, Provider.FetchCallCount);
        Assert.Empty(cut.FindAll(".crmsync-import__count"));
    }

    [Fact]
    public async Task ChangingAFilter_AfterPreview_RequiresANewPreview()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        cut.Find(".crmsync-import__preview").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__start")));

        // Act
        cut.Find(".crmsync-import__won").Change(true);

        // Assert
        Assert.Empty(cut.FindAll(".crmsync-import__start"));
        Assert.Empty(cut.FindAll(".crmsync-import__count"));
    }

    [Fact]
    public async Task Import_Confirmed_RunsImportIntoInboxAndPointsToIt()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        CrmImportRun? reported = null;
        var cut = RenderSut(connection.Id, p => p.Add(x => x.OnImported, run => reported = run));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        cut.Find(".crmsync-import__preview").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__start")));
        Assert.Contains("nothing reaches CrmSync until a manager or admin approves them", cut.Find(".crmsync-import__confirm").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-import__start").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(
            "Import complete: 3 records read; 3 new and 0 updated in the inbox; 0 already there; 0 skipped because they were rejected before.",
            Text(cut.Find(".crmsync-import__run--completed"))));
        Assert.Equal("Completed", cut.Find(".crmsync-import__run").GetAttribute("data-status"));
        Assert.Equal("/crm?tab=inbox", cut.Find(".crmsync-import__inbox").GetAttribute("href"));
        var run = Assert.Single(await Imports.GetImportRunsAsync(Admin, Tenant, connection.Id));
        Assert.Equal("ada", run.StartedBy);
        Assert.Equal(run.Id, reported?.Id);
        var inbox = await Imports.GetInboxAsync(Admin, Tenant);
        Assert.Equal(["d1", "d2", "d3"], inbox.Select(i => i.Record.CrmId).Order(StringComparer.Ordinal));
        Assert.Empty(Sink.Received);
    }

    [Fact]
    public async Task Import_CrmRateLimitsMidway_ShowsWaitingWithResumeTime()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        Provider.FetchPageSize = 2;
        Provider.Seed(Enumerable.Range(1, 5).Select(i => Deal($"d{i}", created: Mar.AddMinutes(i))));
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        cut.Find(".crmsync-import__preview").Click();
        cut.WaitForAssertion(() => Assert.Equal("Import 5 records", Text(cut.Find(".crmsync-import__start"))));
        Provider.RateLimitFetchPage(2, TimeSpan.FromMinutes(10));
        var resumeAt = Time.GetUtcNow().AddMinutes(10);

        // Act
        cut.Find(".crmsync-import__start").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(
            "Waiting for HubSpot's rate limit: the import resumes in 10 minutes where it stopped (2 records read so far).",
            VisibleText(cut.Find(".crmsync-import__run--waiting"))));
        Assert.Contains(Formatted(resumeAt, "f"), cut.Find(".crmsync-import__run--waiting .crmsync-time__exact").TextContent, StringComparison.Ordinal);
        Assert.Equal("Waiting", cut.Find(".crmsync-import__run").GetAttribute("data-status"));
        Assert.NotNull(cut.Find(".crmsync-import__inbox"));
        var run = Assert.Single(await Imports.GetImportRunsAsync(Admin, Tenant, connection.Id));
        Assert.Equal(resumeAt, run.ResumeAt);
        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(CrmImportRunStatus.Completed, (await Imports.ResumeImportAsync(Admin, Tenant, run.Id)).Status);
        Assert.Equal(5, (await Imports.CountInboxAsync(Admin, Tenant)).Pending);
    }

    [Fact]
    public async Task Import_CrmRevokesAccess_ShowsFailedWithReason()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        cut.Find(".crmsync-import__preview").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__start")));
        Provider.Revoke("The app was uninstalled from the CRM account.");

        // Act
        cut.Find(".crmsync-import__start").Click();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var failed = cut.Find(".crmsync-import__run--failed");
            Assert.Equal("alert", failed.GetAttribute("role"));
            Assert.Equal("The import failed: The app was uninstalled from the CRM account.", Text(failed));
        });
        Assert.Empty(cut.FindAll(".crmsync-import__inbox"));
        Assert.Equal(CrmImportRunStatus.Failed, Assert.Single(await Imports.GetImportRunsAsync(Admin, Tenant, connection.Id)).Status);
    }

    [Fact]
    public async Task Preview_ConnectionPausedAfterRender_ShowsSdkRefusalAsAlert()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        await Client.PauseAsync(Tenant, connection.Id);

        // Act
        cut.Find(".crmsync-import__preview").Click();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var error = cut.Find(".crmsync-import__error");
            Assert.Equal("alert", error.GetAttribute("role"));
            Assert.Contains("Syncing is paused. Resume it to import.", error.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Render_HostMapsUsersItself_UsesItsActor()
    {
        // Arrange
        Services.GetRequiredService<IOptions<CrmSyncWidgetOptions>>().Value.ImportActor = user => CrmImportActor.Create($"tenant-user:{user.Identity!.Name}", "admin");
        var connection = await ConnectForFetchAsync();
        Auth.SetRoles("member");
        SeedMixedCrm();
        var cut = RenderSut(connection.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__preview")));
        cut.Find(".crmsync-import__preview").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__start")));

        // Act
        cut.Find(".crmsync-import__start").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-import__run--completed")));
        Assert.Equal("tenant-user:ada", Assert.Single(await Imports.GetImportRunsAsync(Admin, Tenant, connection.Id)).StartedBy);
    }

    private IRenderedComponent<CrmSyncImportWizard> RenderSut(Guid connectionId, Action<ComponentParameterCollectionBuilder<CrmSyncImportWizard>>? more = null) =>
        Render<CrmSyncImportWizard>(p =>
        {
            p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connectionId);
            more?.Invoke(p);
        });

    private static string Formatted(DateTimeOffset at, string format = "g") => TimeZoneInfo.ConvertTime(at, TimeZoneInfo.Utc).ToString(format, CultureInfo.CurrentCulture);

    private List<CrmFetchedRecord> SeedMixedCrm()
    {
        List<CrmFetchedRecord> records =
        [
            Deal("d1", stage: "closedlost", owner: "owner-1", created: Jan),
            Deal("d2", stage: "lost-pricing", owner: "owner-2", created: Mar),
            Deal("d3", stage: "lost-pricing", owner: "owner-1", created: Mar.AddDays(1)),
            Deal("d4", CrmDealStatus.ClosedWon, owner: "owner-1", created: Mar.AddDays(2)),
            Deal("d5", CrmDealStatus.ClosedWon, owner: "owner-2", created: May),
            Person(CrmFetchObjectType.Contact, "c1"),
            Person(CrmFetchObjectType.Contact, "c2", owner: "owner-2"),
            Person(CrmFetchObjectType.Lead, "l1", stage: "Qualified"),
        ];
        Provider.Seed(records);
        return records;
    }
}
