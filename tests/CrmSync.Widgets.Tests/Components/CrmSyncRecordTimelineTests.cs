using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Widgets.Tests.Components;

public class CrmSyncRecordTimelineTests : WidgetTestBase
{
    private CrmSyncWorkflowStep Step => Services.GetRequiredService<CrmSyncWorkflowStep>();

    private static CrmSyncStepRequest Lead(string id) => new()
    {
        TenantId = Tenant,
        LeadId = id,
        Lead = new Dictionary<string, string?> { [CrmFieldNames.Name] = "Grace Hopper", ["callStatus"] = "answered" },
        SyncFields = new Dictionary<string, string> { ["lead_status"] = "{{callStatus}}" },
    };

    [Fact]
    public async Task Render_SyncedLead_ShowsStartedThenSyncedToTheCrm()
    {
        // Arrange
        await ConnectAsync();
        var result = await Step.RunAsync(Lead("lead-1"));

        // Act
        var cut = Render<CrmSyncRecordTimeline>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.RecordId, "lead-1"));
        WaitLoaded(cut);

        // Assert
        var events = cut.FindAll(".crmsync-timeline__event");
        Assert.Equal(["pending", "succeeded"], events.Select(e => e.GetAttribute("data-stage")));
        Assert.Equal("Sync to HubSpot started", events[0].QuerySelector(".crmsync-timeline__headline")!.TextContent);
        Assert.Equal("Synced to HubSpot", events[1].QuerySelector(".crmsync-timeline__headline")!.TextContent);
        Assert.Contains(result.CrmRecordId!, events[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(events[1].QuerySelector("time[datetime='2026-07-01T09:00:00Z']"));
    }

    [Fact]
    public async Task Render_NoIntegration_ShowsNotSyncedWithTheReason()
    {
        // Arrange
        await Step.RunAsync(Lead("lead-2"));

        // Act
        var cut = Render<CrmSyncRecordTimeline>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.RecordId, "lead-2"));
        WaitLoaded(cut);

        // Assert
        var failed = cut.Find(".crmsync-timeline__event--failed");
        Assert.Equal("Not synced to a CRM", failed.QuerySelector(".crmsync-timeline__headline")!.TextContent);
        Assert.StartsWith("No CRM integration is configured", failed.QuerySelector(".crmsync-timeline__reason")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(failed.QuerySelector(".crmsync-timeline__icon svg"));
    }

    [Fact]
    public void Render_NothingSentYet_SaysSo()
    {
        // Act
        var cut = Render<CrmSyncRecordTimeline>(p => p.Add(x => x.TenantId, Tenant).Add(x => x.RecordId, "lead-3"));
        WaitLoaded(cut);

        // Assert
        Assert.Equal("This record has not been sent to a CRM yet.", cut.Find(".crmsync-timeline__empty .crmsync-empty__title").TextContent);
        Assert.Equal("CRM sync", cut.Find("h3").TextContent);
    }
}
