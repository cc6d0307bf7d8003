using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncActionWidgetsTests : WidgetTestBase
{
    [Fact]
    public async Task FieldMapping_AddFixedValue_SavedAndStampedOnSyncedContacts()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__add")));
        cut.Find(".crmsync-mapping__add").Click();
        cut.Find(".crmsync-mapping__field").Change("lead_source");
        cut.Find(".crmsync-mapping__kind").Change(nameof(FieldMappingKind.FixedValue));
        cut.Find(".crmsync-mapping__value").Change("SalesHive");

        // Act
        cut.Find(".crmsync-mapping__save").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Field mapping saved.", cut.Find(".crmsync-mapping__saved").TextContent, StringComparison.Ordinal));
        var saved = (await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries.Single();
        Assert.Equal(FieldMappingEntry.Fixed("lead_source", "SalesHive"), saved);
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal("SalesHive", Provider.Find(CrmObjectType.Contact, "c1")!.Fields["lead_source"]);
    }

    [Fact]
    public async Task FieldMapping_CrmListsItsFields_OffersThemAndRefusesAnUnknownOneInline()
    {
        // Arrange: note 002's own example, a fixed lead_source, in a CRM that has no such field.
        Provider.SetContactFields(
            new CrmFieldInfo("jobtitle", "Job Title", CrmFieldType.Text, Writable: true),
            new CrmFieldInfo("createdate", "Create Date", CrmFieldType.DateTime, Writable: false));
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__add")));
        cut.Find(".crmsync-mapping__add").Click();
        cut.Find(".crmsync-mapping__field").Change("lead_source");
        cut.Find(".crmsync-mapping__kind").Change(nameof(FieldMappingKind.FixedValue));
        cut.Find(".crmsync-mapping__value").Change("SalesHive");

        // Act
        cut.Find(".crmsync-mapping__save").Click();

        // Assert: only writable fields are offered, with the CRM's labels; the unknown one is named next to its row.
        var options = cut.FindAll("datalist option");
        Assert.Equal(["jobtitle"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal("Job Title · text", options[0].TextContent);
        Assert.Equal(cut.Find("datalist").Id, cut.Find(".crmsync-mapping__field").GetAttribute("list"));
        cut.WaitForAssertion(() => Assert.Contains("HubSpot has no field 'lead_source'", cut.Find("[data-row='0'] .crmsync-mapping__row-error").TextContent, StringComparison.Ordinal));
        Assert.Empty((await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task FieldMapping_FieldChosenByLabel_SavedAndShownUnderItsApiName()
    {
        // Arrange
        Provider.SetContactFields(new CrmFieldInfo("jobtitle", "Job Title", CrmFieldType.Text, Writable: true));
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__add")));
        cut.Find(".crmsync-mapping__add").Click();
        cut.Find(".crmsync-mapping__field").Change("Job Title");
        cut.Find(".crmsync-mapping__kind").Change(nameof(FieldMappingKind.FixedValue));
        cut.Find(".crmsync-mapping__value").Change("Founder");

        // Act
        cut.Find(".crmsync-mapping__save").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("jobtitle", cut.Find(".crmsync-mapping__field").GetAttribute("value")));
        Assert.Equal("Job Title · text", cut.Find(".crmsync-mapping__crm-label").TextContent);
        Assert.Equal(FieldMappingEntry.Fixed("jobtitle", "Founder"), (await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries.Single());
    }

    [Fact]
    public async Task FieldMapping_BadTemplate_ShowsErrorInlineAndSavesNothing()
    {
        // Arrange
        var connection = await ConnectAsync();
        await Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("lead_source", "SalesHive")));
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".crmsync-mapping__row")));
        cut.Find(".crmsync-mapping__add").Click();
        var second = cut.Find("[data-row='1']");
        cut.Find("[data-row='1'] .crmsync-mapping__field").Change("summary");
        cut.Find("[data-row='1'] .crmsync-mapping__kind").Change(nameof(FieldMappingKind.Template));
        cut.Find("[data-row='1'] .crmsync-mapping__value").Change("plain text");
        Assert.NotNull(second);

        // Act
        cut.Find(".crmsync-mapping__save").Click();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var error = cut.Find("[data-row='1'] .crmsync-mapping__row-error");
            Assert.Equal("alert", error.GetAttribute("role"));
            Assert.Contains("'summary' has a template without any {{field}} placeholder", error.TextContent, StringComparison.Ordinal);
        });
        Assert.Equal("true", cut.Find("[data-row='1'] .crmsync-mapping__value").GetAttribute("aria-invalid"));
        Assert.Empty(cut.FindAll("[data-row='0'] .crmsync-mapping__row-error"));
        Assert.Single((await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task FieldMapping_Remove_DropsEntryOnSave()
    {
        // Arrange
        var connection = await ConnectAsync();
        await Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Template("summary", "{{name}} ({{email}})")));
        var cut = Render<CrmSyncFieldMappingEditor>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.Equal("{{name}} ({{email}})", cut.Find(".crmsync-mapping__value").GetAttribute("value")));

        // Act
        cut.Find(".crmsync-mapping__remove").Click();
        cut.Find(".crmsync-mapping__save").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-mapping__saved")));
        Assert.Empty((await Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task TestContact_ClickTwice_CreatesThenUpdatesTheSameRecord()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncTestContactButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-test__button")));

        // Act
        cut.Find(".crmsync-test__button").Click();
        cut.WaitForAssertion(() => Assert.Contains("Created \"CrmSync Sync Test\" in HubSpot in", cut.Find(".crmsync-test__result").TextContent, StringComparison.Ordinal));
        Assert.Matches(@"in HubSpot in (under a second|\d+ seconds?)\. It is safe to delete\.", cut.Find(".crmsync-test__result").TextContent);
        Assert.DoesNotMatch(@"\d ?(ms|s)\b", cut.Find(".crmsync-test__result").TextContent);
        var link = cut.Find(".crmsync-test__link");
        Assert.Equal("Open it in HubSpot", link.TextContent);
        cut.Find(".crmsync-test__button").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Updated the same test record in HubSpot", cut.Find(".crmsync-test__result").TextContent, StringComparison.Ordinal));
        var record = Assert.Single(Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal(2, record.WriteCount);
        Assert.EndsWith(record.Id, cut.Find(".crmsync-test__link").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Null(cut.Find(".crmsync-test__status").GetAttribute("role"));
        Assert.Contains(Services.GetRequiredService<CrmSyncAnnouncer>().Items, a => a.Message.Contains("Updated the same test record in HubSpot", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestContact_CrmRejects_ShowsAlert()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => (CrmProblemType.RequiredFieldMissing, "Required field 'Company' is missing."));
        var cut = Render<CrmSyncTestContactButton>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-test__button")));

        // Act
        cut.Find(".crmsync-test__button").Click();

        // Assert
        cut.WaitForAssertion(() =>
        {
            var error = cut.Find(".crmsync-test__error");
            Assert.Equal("alert", error.GetAttribute("role"));
            Assert.Contains("Required field 'Company' is missing.", error.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task DangerZone_ConfirmDisconnectOne_StopsSyncAndKeepsRecords()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        Assert.Contains("Imported data stays", cut.Find(".crmsync-danger__explanation").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-danger__one")));
        cut.Find(".crmsync-danger__one").Click();
        Assert.Equal("Disconnect HubSpot?", cut.Find(".crmsync-danger__question").TextContent.Trim());
        Assert.Contains("Imported data stays; only future syncing stops, and you can reconnect any time.", System.Text.RegularExpressions.Regex.Replace(cut.Find("[role=alertdialog]").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Active, (await Client.GetConnectionAsync(Tenant, connection.Id)).Status.Status);

        // Act
        cut.Find(".crmsync-danger__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("HubSpot is disconnected. Nothing was deleted; reconnect any time.", cut.Find(".crmsync-danger__message").TextContent.Trim()));
        Assert.Equal(ConnectionStatus.Disconnected, (await Client.GetConnectionAsync(Tenant, connection.Id)).Status.Status);
        Assert.NotNull(Provider.Find(CrmObjectType.Contact, "c1"));
    }

    [Fact]
    public async Task DangerZone_SetupMadeByMistake_OffersOnlyDeleteAndSaysWhatItDoes()
    {
        // Arrange
        await ConnectAsync();
        var mistaken = await Client.CreateConnectionAsync(Tenant, Provider.Name);

        // Act
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, mistaken.Id).Add(x => x.ShowDisconnectAll, false));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-danger__delete-one")));
        Assert.Empty(cut.FindAll(".crmsync-danger__actions"));
        Assert.Empty(cut.FindAll(".crmsync-danger__one"));
        Assert.Contains("Set up a CRM by mistake? Delete it", Assert.Single(cut.FindAll(".crmsync-danger__explanation")).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DangerZone_Cancel_KeepsConnection()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-danger__one")));
        cut.Find(".crmsync-danger__one").Click();

        // Act
        cut.Find(".crmsync-danger__cancel").Click();

        // Assert
        Assert.Empty(cut.FindAll(".crmsync-danger__confirm"));
        Assert.Equal(ConnectionStatus.Active, (await Client.GetConnectionAsync(Tenant, connection.Id)).Status.Status);
    }

    [Fact]
    public async Task DangerZone_DisconnectAll_DisconnectsEveryConnection()
    {
        // Arrange
        await ConnectAsync();
        await Client.ConnectAsync(Tenant, Zoho.Name, Zoho.IssueTokens(), "Zoho EU", "eu");
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant));
        WaitLoaded(cut);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-danger__all")));
        cut.Find(".crmsync-danger__all").Click();
        Assert.Contains("Disconnect all 2 CRMs?", cut.Find(".crmsync-danger__question").TextContent, StringComparison.Ordinal);

        // Act
        cut.Find(".crmsync-danger__yes").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Disconnected 2 CRMs.", cut.Find(".crmsync-danger__message").TextContent, StringComparison.Ordinal));
        Assert.All(await Client.GetConnectionsAsync(Tenant), c => Assert.Equal(ConnectionStatus.Disconnected, c.Status.Status));
    }

    [Fact]
    public async Task DangerZone_MemberRole_RendersAskAnAdmin()
    {
        // Arrange
        var connection = await ConnectAsync();
        Auth.SetRoles("member");

        // Act
        var cut = Render<CrmSyncDangerZone>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask an admin to disconnect a CRM.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public async Task NavBadge_Healthy_ShowsNoBadge()
    {
        // Arrange
        await ConnectAsync();

        // Act
        var cut = Render<CrmSyncNavBadge>(p => p.Add(x => x.TenantId, Tenant).AddChildContent("CRM"));

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("CRM", cut.Find(".crmsync-nav").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-nav__badge"));
        Assert.Empty(cut.FindAll("[aria-live], [role=status]"));
    }

    [Fact]
    public async Task NavBadge_ThreeFailedRuns_TurnsRedAfterRefresh()
    {
        // Arrange
        var connection = await ConnectAsync();
        var cut = Render<CrmSyncNavBadge>(p => p.Add(x => x.TenantId, Tenant).AddChildContent("CRM"));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".crmsync-nav__badge")));
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(3);
        for (var i = 0; i < 3; i++)
        {
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        // Act
        Time.Advance(TimeSpan.FromSeconds(30));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Needs attention", cut.Find(".crmsync-nav__badge .crmsync-sr-only").TextContent));
        Assert.Contains("crmsync-nav--attention", cut.Find(".crmsync-nav").ClassList);
    }
}
