namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncHealthTests : WidgetTestBase
{
    [Theory]
    [InlineData(ConnectionHealth.Green, "Healthy", "crmsync-tone--green")]
    [InlineData(ConnectionHealth.Amber, "Warnings", "crmsync-tone--amber")]
    [InlineData(ConnectionHealth.Red, "Failing", "crmsync-tone--red")]
    [InlineData(ConnectionHealth.Unknown, "Not measured yet", "crmsync-tone--neutral")]
    public void HealthBadge_EachHealth_ShowsTextToneAndRuleWithoutLiveRegion(ConnectionHealth health, string label, string tone)
    {
        // Act
        var cut = Render<CrmSyncHealthBadge>(p => p.Add(x => x.Health, health));

        // Assert
        var badge = cut.Find(".crmsync-health");
        Assert.Equal(label, badge.QuerySelector(".crmsync-health__label")!.TextContent);
        Assert.Contains(tone, badge.ClassList);
        Assert.Null(badge.GetAttribute("role"));
        Assert.Null(badge.GetAttribute("aria-live"));
        Assert.Contains("Amber: the sync completed with warnings", badge.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.97, ConnectionHealth.Green, "97% synced", "crmsync-healthbar--green")]
    [InlineData(0.85, ConnectionHealth.Amber, "85% synced", "crmsync-healthbar--amber")]
    [InlineData(0.5, ConnectionHealth.Red, "50% synced", "crmsync-healthbar--red")]
    public void HealthBar_Rate_ShowsPercentColourAndRuleTooltip(double rate, ConnectionHealth health, string text, string cssClass)
    {
        // Act
        var cut = Render<CrmSyncHealthBar>(p => p.Add(x => x.SuccessRate, rate).Add(x => x.SuccessRateHealth, health).Add(x => x.ShowRule, true));

        // Assert
        var root = cut.Find(".crmsync-healthbar");
        Assert.Contains(cssClass, root.ClassList);
        Assert.Equal(text, cut.Find(".crmsync-healthbar__value").TextContent.Replace("●", "", StringComparison.Ordinal).Replace("▲", "", StringComparison.Ordinal).Replace("■", "", StringComparison.Ordinal).Trim());
        Assert.Equal("Share of records synced over the last 20 syncs. Green at 95% or more, amber from 80%, red below 80%.", root.GetAttribute("title"));
        Assert.Equal(root.GetAttribute("title"), cut.Find(".crmsync-healthbar__rule").TextContent);
        var bar = cut.Find("[role=progressbar]");
        Assert.Equal(Math.Round(rate * 100).ToString(System.Globalization.CultureInfo.InvariantCulture), bar.GetAttribute("aria-valuenow"));
        Assert.Empty(cut.FindAll("[aria-live], [role=status]"));
    }

    [Fact]
    public void HealthBar_NoRuns_SaysNoRecordsAndHasNoBar()
    {
        // Act
        var cut = Render<CrmSyncHealthBar>(p => p.Add(x => x.SuccessRate, (double?)null).Add(x => x.SuccessRateHealth, ConnectionHealth.Unknown));

        // Assert
        Assert.Contains("— (nothing to measure)", cut.Find(".crmsync-healthbar__value").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[role=progressbar]"));
    }

    [Fact]
    public async Task HealthBar_RealRunsWithFailures_ShowsSdkRate()
    {
        // Arrange: 1 of 2 records fails -> 50% -> red
        var connection = await ConnectAsync();
        Provider.RejectRecordsWhere(w => w.ExternalId == "bad" ? (CrmProblemType.InvalidEmail, "Email is invalid.") : null);
        await EnqueueContactAsync("good");
        await EnqueueContactAsync("bad");
        await Client.SyncNowAsync(Tenant, connection.Id);
        var status = (await Client.GetConnectionAsync(Tenant, connection.Id)).Status;

        // Act
        var cut = Render<CrmSyncHealthBar>(p => p.Add(x => x.SuccessRate, status.SuccessRate).Add(x => x.SuccessRateHealth, status.SuccessRateHealth));

        // Assert
        Assert.Contains("crmsync-healthbar--red", cut.Find(".crmsync-healthbar").ClassList);
        Assert.Contains("50% synced", cut.Find(".crmsync-healthbar__value").TextContent, StringComparison.Ordinal);
    }
}
