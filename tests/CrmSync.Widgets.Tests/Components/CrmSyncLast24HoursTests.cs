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

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(t => t is not ("✔" or "↷" or "✖")));
}
