namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncRecentActivityTests : WidgetTestBase
{
    [Fact]
    public async Task Render_SyncedFailedAndSkipped_ShowsOutcomeLinkAndError()
    {
        // Arrange
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => w.ExternalId == "bad" ? (CrmProblemType.InvalidEmail, "Email 'nope' is invalid.") : null);
        await EnqueueContactAsync("good");
        await EnqueueContactAsync("bad", "nope");
        await Client.EnqueueAsync(Tenant, new CrmChange(CrmObjectType.Email, "email-1", new Dictionary<string, string?> { [CrmFieldNames.Subject] = "Hi" }) { ContactSourceId = "unknown-contact" });
        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncRecentActivity>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        var success = cut.Find(".crmsync-activity__row--success");
        Assert.Contains("Contacts synced", success.TextContent, StringComparison.Ordinal);
        var link = success.QuerySelector(".crmsync-activity__record a")!;
        Assert.StartsWith("https://crm.example.test/contacts/", link.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains(Provider.Find(CrmObjectType.Contact, "good")!.Id, link.TextContent, StringComparison.Ordinal);
        var failed = cut.Find(".crmsync-activity__row--failed");
        Assert.Contains("failed", failed.QuerySelector(".crmsync-outcome")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Email 'nope' is invalid.", failed.QuerySelector(".crmsync-activity__error")!.TextContent);
        var skipped = cut.Find(".crmsync-activity__row--skipped");
        Assert.Contains("Emails synced", skipped.TextContent, StringComparison.Ordinal);
        Assert.Contains("skipped", skipped.QuerySelector(".crmsync-outcome")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_NoActivity_SaysSo()
    {
        // Arrange
        var connection = await ConnectAsync();

        // Act
        var cut = Render<CrmSyncRecentActivity>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("No records pushed yet.", cut.Find(".crmsync-activity__empty").TextContent.Trim());
    }

    [Fact]
    public async Task Render_Limit_ShowsAtMostLimitRows()
    {
        // Arrange
        var connection = await ConnectAsync();
        for (var i = 0; i < 4; i++)
        {
            await EnqueueContactAsync($"c{i}");
        }

        await Client.SyncNowAsync(Tenant, connection.Id);

        // Act
        var cut = Render<CrmSyncRecentActivity>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.ConnectionId, connection.Id).Add(x => x.Limit, 2));
        WaitLoaded(cut);

        // Assert
        Assert.Equal(2, cut.FindAll(".crmsync-activity__row").Count);
    }
}
