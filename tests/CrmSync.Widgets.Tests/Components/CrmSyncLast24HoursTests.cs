namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncLast24HoursTests : WidgetTestBase
{
    [Fact]
    public async Task Render_NothingFailed_SaysAllClean()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        await EnqueueContactAsync("c2");

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("1 Synced", Normalize(cut.Find(".crmsync-last24__count--synced").TextContent), StringComparison.Ordinal);
        Assert.Contains("1 Waiting or skipped", Normalize(cut.Find(".crmsync-last24__count--waiting").TextContent), StringComparison.Ordinal);
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Null(cut.Find(".crmsync-last24__counts-region").GetAttribute("role"));
        Assert.Contains("All clean: nothing failed in the last 24 hours.", cut.Find(".crmsync-last24__clean").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_FailuresOfTwoTypes_OneCardPerProblemWithFix()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => w.ExternalId switch
        {
            "bad-email" => (CrmProblemType.InvalidEmail, "Email is invalid."),
            "no-name" => (CrmProblemType.RequiredFieldMissing, "Required field 'lastname' is missing."),
            _ => null,
        });
        await EnqueueContactAsync("bad-email");
        await EnqueueContactAsync("no-name");
        await EnqueueContactAsync("ok");
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("2 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
        var cards = cut.FindAll(".crmsync-problem");
        Assert.Equal(2, cards.Count);
        var email = cut.Find(".crmsync-problem[data-problem=invalid_email]");
        Assert.Contains("Invalid email address", email.TextContent, StringComparison.Ordinal);
        Assert.Contains("Correct the email address on the record, then click Retry failed records.", email.QuerySelector(".crmsync-problem__fix")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("(1 record)", email.TextContent, StringComparison.Ordinal);
        Assert.Contains("A required field is empty", cut.Find(".crmsync-problem[data-problem=required_field_missing]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task RetryFailedRecords_AfterFix_RequeuesThemForNextSync()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => (CrmProblemType.InvalidEmail, "Email is invalid."));
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        Provider.RejectRecordsWhere(null);

        // Act
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(".crmsync-last24__retry")));
        cut.Find(".crmsync-last24__retry").Click();

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Re-queued 1 failed record. It retries on the next sync (within about 5 minutes).", cut.Find(".crmsync-last24__message").TextContent, StringComparison.Ordinal));
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Contains("1 Waiting or skipped", Normalize(cut.Find(".crmsync-last24__count--waiting").TextContent), StringComparison.Ordinal);
        await Client.SyncNowAsync(Tenant, connection.Id);
        Assert.NotNull(Provider.Find(CrmObjectType.Contact, "c1"));
    }

    [Fact]
    public async Task Render_ManagerRole_AsksAnAdminToRetry()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => (CrmProblemType.InvalidEmail, "Email is invalid."));
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        Auth.SetRoles("manager");

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        cut.WaitForAssertion(() => Assert.Contains("Ask an admin to retry the failed records.", cut.Find(".crmsync-ask-admin").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_WholeRunFailed_NamesTheErrorInsteadOfAllClean()
    {
        // Arrange: the CRM refuses the whole call, so no record reaches the failure ledger.
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Error, (await Client.GetConnectionAsync(Tenant, connection.Id)).Status.Status);

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
        var status = cut.Find(".crmsync-last24__status");
        Assert.Equal("SyncFailed", status.GetAttribute("data-reason"));
        Assert.Contains("Error", status.QuerySelector(".crmsync-problem__title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("property 'bad_field' does not exist", status.QuerySelector(".crmsync-last24__status-reason")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_FailedRecordsOlderThan24Hours_NamesThemWithRetryInsteadOfAllClean()
    {
        // Arrange: two records fail, a day passes, and a run with nothing to send leaves them outstanding.
        var connection = await ConnectAsync();
        Provider.RequireContactField(CrmFieldNames.LastName);
        await Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Contact, "c1", new Dictionary<string, string?> { [CrmFieldNames.Email] = "c1@example.com" }));
        await Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Contact, "c2", new Dictionary<string, string?> { [CrmFieldNames.Email] = "c2@example.com" }));
        await Client.SyncNowAsync(Tenant, connection.Id);
        Time.Advance(TimeSpan.FromHours(25));
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
        var status = cut.Find(".crmsync-last24__status");
        Assert.Equal("FailedRecords", status.GetAttribute("data-reason"));
        Assert.Contains("2 records failed to sync", status.TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_ProviderOutage_NamesThePauseInsteadOfAllClean()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        Provider.SimulateOutage(true);
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
        var status = cut.Find(".crmsync-last24__status");
        Assert.Equal("ProviderOutage", status.GetAttribute("data-reason"));
        Assert.Contains("Paused", status.QuerySelector(".crmsync-problem__title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("HubSpot is not responding", status.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_OutageWithOlderFailedRecords_NamesTheOutageWithoutARetryThatCannotHelp()
    {
        // Arrange: a record failed more than a day ago; now the CRM stops responding.
        var connection = await ConnectAsync();
        Provider.RequireContactField(CrmFieldNames.LastName);
        await Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Contact, "c1", new Dictionary<string, string?> { [CrmFieldNames.Email] = "c1@example.com" }));
        await Client.SyncNowAsync(Tenant, connection.Id);
        Time.Advance(TimeSpan.FromHours(25));
        await EnqueueContactAsync("c2");
        Provider.SimulateOutage(true);
        for (var i = 0; i < 3; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            await Client.SyncNowAsync(Tenant, connection.Id);
        }

        var status = (await Client.GetConnectionAsync(Tenant, connection.Id)).Status;
        Assert.Equal(1, status.FailedRecords);

        // Act
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Contains("0 Failed", Normalize(cut.Find(".crmsync-last24__count--failed").TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
        Assert.Equal("ProviderOutage", cut.Find(".crmsync-last24__status").GetAttribute("data-reason"));
        Assert.Empty(cut.FindAll(".crmsync-last24__retry"));
    }

    [Fact]
    public async Task Render_RunFailsWhileShown_ReplacesAllCleanWithTheError()
    {
        // Arrange
        var connection = await ConnectAsync();
        await EnqueueContactAsync("c1");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var cut = Render<CrmSyncLast24Hours>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);
        Assert.NotNull(cut.Find(".crmsync-last24__clean"));

        // Act: a run fails outside the widget; the change feed tells it.
        await EnqueueContactAsync("c2");
        Provider.FailNextCalls(1);
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("SyncFailed", cut.Find(".crmsync-last24__status").GetAttribute("data-reason")));
        Assert.Empty(cut.FindAll(".crmsync-last24__clean"));
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(t => t is not ("✔" or "↷" or "✖")));
}
