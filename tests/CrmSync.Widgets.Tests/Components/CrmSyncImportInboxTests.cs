using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncImportInboxTests : ImportWidgetTestBase
{
    public CrmSyncImportInboxTests() => Auth.SetRoles("manager");

    [Fact]
    public async Task Render_NothingImported_ShowsEmptyStateAndZeroCounts()
    {
        // Arrange
        await ConnectForFetchAsync();

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Nothing to review yet. Records arrive here when someone runs an import", cut.Find(".crmsync-inbox__empty").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-inbox__counts-region[role], .crmsync-inbox__counts-region[aria-live]"));
        Assert.Equal(["0 Pending", "0 Approved", "0 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));
        Assert.Empty(cut.FindAll("table"));
        Assert.Empty(cut.FindAll(".crmsync-inbox__approve-all"));
    }

    [Fact]
    public async Task Render_PendingItems_ListsNameTypeStageCompanyOwnerAndFetchedTime()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        Provider.Seed([Deal("won-1", CrmDealStatus.ClosedWon, owner: "owner-2"), Deal("lost-1")]);
        await Imports.StartImportAsync(Admin, Tenant, connection.Id, new CrmFetchFilter { DealStatuses = [CrmDealStatus.ClosedLost, CrmDealStatus.ClosedWon] });

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".crmsync-inbox__row").Count));
        var won = cut.FindAll(".crmsync-inbox__row").Single(r => r.TextContent.Contains("Deal won-1", StringComparison.Ordinal));
        var cells = won.QuerySelectorAll("th, td").Select(c => Text(c)).ToList();
        Assert.Equal("Deal won-1", cells[0]);
        Assert.Equal("Account (closed-won)", cells[1]);
        Assert.Equal("Closed won", cells[2]);
        Assert.Equal("Company won-1", cells[3]);
        Assert.Equal("Alan Turing", cells[4]);
        Assert.Equal("just now", Text(won.QuerySelectorAll("td")[4].QuerySelector(".crmsync-time__text")!));
        Assert.Equal(Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), won.QuerySelector("time")!.GetAttribute("datetime"));
        Assert.Equal("Approve Deal won-1", won.QuerySelector(".crmsync-inbox__approve")!.GetAttribute("aria-label"));
        Assert.Equal("Reject Deal won-1", won.QuerySelector(".crmsync-inbox__reject")!.GetAttribute("aria-label"));
        Assert.Equal("Deal (closed-lost)", Text(cut.FindAll(".crmsync-inbox__row").Single(r => r.TextContent.Contains("lost-1", StringComparison.Ordinal)).QuerySelectorAll("td")[0]));
        Assert.Equal(["2 Pending", "0 Approved", "0 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));
    }

    [Fact]
    public async Task Approve_OneItem_ApprovesItAndDeliversOnlyItToTheSink()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 3);
        var cut = RenderSut();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll(".crmsync-inbox__row").Count));
        var target = (await Imports.GetInboxAsync(Admin, Tenant)).Single(i => i.Record.CrmId == "d002");

        // Act
        cut.Find($".crmsync-inbox__row[data-item='{target.Id}'] .crmsync-inbox__approve").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Approved 1 record; 1 delivered to CrmSync.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Null(cut.Find(".crmsync-inbox__message").GetAttribute("role"));
        Assert.Single(Services.GetRequiredService<CrmSyncAnnouncer>().Items);
        Assert.Equal(2, cut.FindAll(".crmsync-inbox__row").Count);
        Assert.Empty(cut.FindAll($".crmsync-inbox__row[data-item='{target.Id}']"));
        Assert.Equal(["2 Pending", "1 Approved", "0 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));
        var delivered = Assert.Single(Sink.Received);
        Assert.Equal("d002", delivered.Record.CrmId);
        Assert.Equal("ada", delivered.ApprovedBy);
        var counts = await Imports.CountInboxAsync(Admin, Tenant);
        Assert.Equal((2, 1, 0), (counts.Pending, counts.Approved, counts.Rejected));
    }

    [Fact]
    public async Task Reject_OneItem_RejectsItAndDeliversNothing()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 2);
        var cut = RenderSut();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".crmsync-inbox__row").Count));
        var target = (await Imports.GetInboxAsync(Admin, Tenant))[0];

        // Act
        cut.Find($".crmsync-inbox__row[data-item='{target.Id}'] .crmsync-inbox__reject").Click();
        Assert.Single(cut.FindAll(".crmsync-inbox__row"), r => r.GetAttribute("data-item") == target.Id.ToString());
        Assert.Contains("Reject", cut.Find(".crmsync-inbox__question").TextContent, StringComparison.Ordinal);
        cut.Find(".crmsync-inbox__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Rejected 1 record. It will not be proposed again.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Single(cut.FindAll(".crmsync-inbox__row"));
        Assert.Empty(Sink.Received);
        var rejected = Assert.Single(await Imports.GetInboxAsync(Admin, Tenant, new CrmInboxQuery { State = CrmInboxItemState.Rejected }));
        Assert.Equal(target.Id, rejected.Id);
        Assert.Equal("ada", rejected.DecidedBy);
    }

    [Fact]
    public async Task ApproveAll_Confirmed_ApprovesEveryPendingItemAndDeliversThem()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 4);
        var cut = RenderSut(p => p.Add(x => x.PageSize, 2));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-inbox__approve-all")));
        cut.Find(".crmsync-inbox__approve-all").Click();
        Assert.Equal("Approve all 4 pending records? CrmSync receives them right away.", Text(cut.Find(".crmsync-inbox__question")));
        Assert.Equal("alertdialog", cut.Find(".crmsync-inbox__confirm").GetAttribute("role"));
        Assert.Empty(Sink.Received);

        // Act
        cut.Find(".crmsync-inbox__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Approved 4 records; 4 delivered to CrmSync.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Contains("Nothing to review yet. Records arrive here when someone runs an import", cut.Find(".crmsync-inbox__empty").TextContent, StringComparison.Ordinal);
        Assert.Equal(["d001", "d002", "d003", "d004"], Sink.Received.Select(r => r.Record.CrmId).Order(StringComparer.Ordinal));
        Assert.Equal(4, (await Imports.CountInboxAsync(Admin, Tenant)).Approved);
    }

    [Fact]
    public async Task RejectAll_Cancelled_ThenConfirmed_RejectsEverythingOnlyAfterConfirmation()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 3);
        var cut = RenderSut();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-inbox__reject-all")));
        cut.Find(".crmsync-inbox__reject-all").Click();
        cut.Find(".crmsync-inbox__cancel").Click();
        Assert.Equal(3, (await Imports.CountInboxAsync(Admin, Tenant)).Pending);
        cut.Find(".crmsync-inbox__reject-all").Click();
        Assert.Equal("Reject all 3 pending records? Rejected records are remembered and never proposed again.", Text(cut.Find(".crmsync-inbox__question")));

        // Act
        cut.Find(".crmsync-inbox__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Rejected 3 records. They will not be proposed again.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Empty(Sink.Received);
        var counts = await Imports.CountInboxAsync(Admin, Tenant);
        Assert.Equal((0, 0, 3), (counts.Pending, counts.Approved, counts.Rejected));
        Assert.Equal(["0 Pending", "0 Approved", "3 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));
    }

    [Fact]
    public async Task LoadMore_KeysetPages_AppendsUntilEveryItemIsListed()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 5);
        var cut = RenderSut(p => p.Add(x => x.PageSize, 2));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".crmsync-inbox__row").Count));
        Assert.Equal("Awaiting approval: showing 2 of 5", Text(cut.Find(".crmsync-inbox__table caption")));

        // Act
        cut.Find(".crmsync-inbox__more").Click();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll(".crmsync-inbox__row").Count));
        cut.Find(".crmsync-inbox__more").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll(".crmsync-inbox__row").Count));
        Assert.Empty(cut.FindAll(".crmsync-inbox__more"));
        var ids = cut.FindAll(".crmsync-inbox__row").Select(r => long.Parse(r.GetAttribute("data-item")!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal((await Imports.GetInboxAsync(Admin, Tenant)).Select(i => i.Id), ids);
    }

    [Fact]
    public async Task Approve_SinkFails_ShowsDeliveryErrorThenRetryDelivers()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 2);
        Sink.FailWith = "The host database is read-only.";
        var cut = RenderSut();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-inbox__approve-all")));
        cut.Find(".crmsync-inbox__approve-all").Click();
        cut.Find(".crmsync-inbox__yes").Click();
        cut.WaitForAssertion(() =>
        {
            var alert = cut.Find(".crmsync-inbox__delivery");
            Assert.Equal("alert", alert.GetAttribute("role"));
            Assert.Contains("CrmSync did not receive the approved records: InvalidOperationException: The host database is read-only.", Text(alert), StringComparison.Ordinal);
        });
        Assert.Empty(Sink.Received);
        Assert.Equal(2, (await Imports.CountInboxAsync(Admin, Tenant)).AwaitingDelivery);
        Sink.FailWith = null;

        // Act
        cut.Find(".crmsync-inbox__deliver").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Delivered 2 approved records to CrmSync.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Empty(cut.FindAll(".crmsync-inbox__delivery"));
        Assert.Equal(2, Sink.Received.Count);
        Assert.Equal(0, (await Imports.CountInboxAsync(Admin, Tenant)).AwaitingDelivery);
    }

    [Fact]
    public async Task Render_ApprovedButUndelivered_ShowsAlertOnLoad()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 1);
        Sink.FailWith = "Timeout.";
        await Imports.ApproveAllAsync(Admin, Tenant);

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("1 approved records have not reached CrmSync yet.", Text(cut.Find(".crmsync-inbox__delivery")), StringComparison.Ordinal));
        Assert.Equal("alert", cut.Find(".crmsync-inbox__delivery").GetAttribute("role"));
    }

    [Fact]
    public async Task Render_Member_AsksAManagerAndShowsNoItems()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 2);
        Auth.SetRoles("member");

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Ask a manager or admin to review imported records.", Text(cut.Find(".crmsync-ask-admin"))));
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindAll("table"));
    }

    [Fact]
    public async Task Render_OwnerByDefault_CannotApproveButSeesHowManyWait()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 3);
        Auth.SetRoles("owner");

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("3 imported records are waiting for review. Ask a manager or admin to review imported records.", Text(cut.Find(".crmsync-ask-admin"))));
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindAll(".crmsync-inbox__row"));
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("admin")]
    public async Task Render_ManagerOrAdmin_GetsApproveButtons(string role)
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 1);
        Auth.SetRoles(role);

        // Act
        var cut = RenderSut();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-inbox__approve")));
        Assert.Empty(cut.FindAll(".crmsync-ask-admin"));
    }

    [Fact]
    public async Task Render_HostPolicyRefusesAnSdkApprover_AsksAManager()
    {
        // Arrange
        Services.GetRequiredService<IOptions<CrmSyncWidgetOptions>>().Value.ApproveImportsRoles = ["admin"];
        var connection = await ConnectForFetchAsync();
        await ImportDealsAsync(connection.Id, 1);
        Assert.True(Imports.CanApprove(CrmImportActor.Create("ada", "manager")));

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask a manager or admin to review imported records.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-inbox__approve"));
    }

    [Fact]
    public async Task Render_OneConnection_ListsAndApprovesOnlyItsItems()
    {
        // Arrange
        var hubspot = await ConnectForFetchAsync();
        var zoho = await Client.ConnectAsync(Tenant, Zoho.Name, Zoho.IssueTokens(), "Zoho EU", "eu", new ConnectionSettings { Direction = SyncDirection.Both });
        await ImportDealsAsync(hubspot.Id, 2);
        Zoho.Seed([Deal("z1")]);
        await Imports.StartImportAsync(Admin, Tenant, zoho.Id, new CrmFetchFilter());
        var cut = RenderSut(p => p.Add(x => x.ConnectionId, zoho.Id));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-inbox__row")));
        Assert.Contains("Deal z1", cut.Find(".crmsync-inbox__row").TextContent, StringComparison.Ordinal);
        Assert.Equal(["1 Pending", "0 Approved", "0 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));

        // Act
        cut.Find(".crmsync-inbox__approve-all").Click();
        cut.Find(".crmsync-inbox__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Approved 1 record; 1 delivered to CrmSync.", Text(cut.Find(".crmsync-inbox__message"))));
        Assert.Equal("z1", Assert.Single(Sink.Received).Record.CrmId);
        Assert.Equal(2, (await Imports.CountInboxAsync(Admin, Tenant, hubspot.Id)).Pending);
    }

    [Fact]
    public async Task Render_OtherTenantsItems_AreNotListed()
    {
        // Arrange
        var other = await ConnectForFetchAsync("tenant-b");
        await ImportDealsAsync(other.Id, 2, tenant: "tenant-b");
        await ConnectForFetchAsync();

        // Act
        var cut = RenderSut();
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-inbox__empty")));
        Assert.Equal(["0 Pending", "0 Approved", "0 Rejected"], cut.FindAll(".crmsync-inbox__count").Select(Text));
    }

    [Fact]
    public async Task Import_FromWizardOnSamePage_RefreshesTheInbox()
    {
        // Arrange
        var connection = await ConnectForFetchAsync();
        Provider.Seed([Deal("d1"), Deal("d2")]);
        var inbox = RenderSut();
        inbox.WaitForAssertion(() => Assert.NotNull(inbox.Find(".crmsync-inbox__empty")));
        var wizard = Render<CrmSyncImportWizard>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        wizard.WaitForAssertion(() => Assert.NotNull(wizard.Find(".crmsync-import__preview")));
        wizard.Find(".crmsync-import__preview").Click();
        wizard.WaitForAssertion(() => Assert.NotNull(wizard.Find(".crmsync-import__start")));

        // Act
        wizard.Find(".crmsync-import__start").Click();

        // Assert
        inbox.WaitForAssertion(() => Assert.Equal(2, inbox.FindAll(".crmsync-inbox__row").Count));
    }

    [Fact]
    public async Task Import_StartedOutsideTheWidgets_InboxUpdatesFromTheChangeFeedWithoutPolling()
    {
        // Arrange: no time passes in this test, so the widget's fallback polling never runs.
        var connection = await ConnectForFetchAsync();
        var inbox = RenderSut();
        inbox.WaitForAssertion(() => Assert.NotNull(inbox.Find(".crmsync-inbox__empty")));
        var changes = new List<CrmSyncChange>();
        using var subscription = Client.Changes.Subscribe(Tenant, c =>
        {
            lock (changes)
            {
                changes.Add(c);
            }

            return Task.CompletedTask;
        });

        // Act: an import run by the host (a background job), not by a widget.
        await ImportDealsAsync(connection.Id, 2);

        // Assert
        lock (changes)
        {
            Assert.Contains(changes, c => c.ConnectionId == connection.Id && c.Kinds.HasFlag(CrmSyncChangeKinds.Inbox));
        }

        inbox.WaitForAssertion(() => Assert.Equal(2, inbox.FindAll(".crmsync-inbox__row").Count));
        Assert.Equal(["2 Pending", "0 Approved", "0 Rejected"], inbox.FindAll(".crmsync-inbox__count").Select(Text));
    }

    private IRenderedComponent<CrmSyncImportInbox> RenderSut(Action<ComponentParameterCollectionBuilder<CrmSyncImportInbox>>? more = null) =>
        Render<CrmSyncImportInbox>(p =>
        {
            p.Add(x => x.TenantId, Tenant);
            more?.Invoke(p);
        });
}
