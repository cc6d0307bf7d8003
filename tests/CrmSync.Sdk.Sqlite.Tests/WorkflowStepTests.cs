using CrmSync.Sdk;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk.Sqlite.Tests;

public class WorkflowStepTests
{
    private static CrmSyncStepRequest Lead(string id = "lead-1", IReadOnlyDictionary<string, string>? syncFields = null) => new()
    {
        TenantId = SyncHarness.Tenant,
        LeadId = id,
        Lead = new Dictionary<string, string?>
        {
            [CrmFieldNames.Name] = "Grace Hopper",
            [CrmFieldNames.Email] = "grace@example.test",
            ["callStatus"] = "answered",
            ["successEvaluation"] = "Qualified",
        },
        SyncFields = syncFields ?? new Dictionary<string, string> { ["lead_status"] = "{{callStatus}}", ["summary"] = "{{name}}: {{successEvaluation}}" },
    };

    [Fact]
    public async Task RunAsync_ActiveIntegration_TimelineIsPendingThenSuccessWithTheCrmName()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync();
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.True(result.Succeeded);
        Assert.Equal("In-memory CRM", result.ProviderDisplayName);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Succeeded], result.Timeline.Select(e => e.Stage));
        Assert.Equal("In-memory CRM", result.Timeline[1].ProviderDisplayName);
        Assert.Equal(result.CrmRecordId, result.Timeline[1].CrmRecordId);
        var record = h.Provider.Find(CrmObjectType.Lead, "lead-1");
        Assert.NotNull(record);
        Assert.Equal("answered", record.Fields["lead_status"]);
        Assert.Equal("Grace Hopper: Qualified", record.Fields["summary"]);
        Assert.Equal(result.Timeline, await step.GetTimelineAsync(SyncHarness.Tenant, "lead-1"));
    }

    [Fact]
    public async Task RunAsync_NoIntegration_TimelineEndsWithFailureSayingSo()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Failed], result.Timeline.Select(e => e.Stage));
        Assert.StartsWith("No CRM integration is configured for this workspace.", result.Timeline[1].Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
    }

    [Fact]
    public async Task RunAsync_SignInExpiredAndRefused_TimelineEndsWithFailureAndTheLeadWaits()
    {
        // Arrange: the access token expired and the CRM refuses the refresh.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Time.Advance(h.Provider.TokenLifetime + TimeSpan.FromMinutes(1));
        h.Provider.Revoke("The refresh token expired.");
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Failed], result.Timeline.Select(e => e.Stage));
        Assert.Contains("refused the saved sign-in", result.Reason, StringComparison.Ordinal);
        Assert.Contains("The refresh token expired.", result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task RunAsync_ConnectionAlreadyRevoked_FailsWithoutCallingTheCrm()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Store.UpdateConnectionAsync(SyncHarness.Tenant, connection.Id, c => c with { State = c.State with { RevokedAt = h.Time.GetUtcNow(), RevokedReason = "invalid_grant" } });
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal(CrmTimelineStage.Failed, result.Timeline[^1].Stage);
        Assert.Contains("Reconnect In-memory CRM", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
    }

    [Fact]
    public async Task RunAsync_CrmOutage_FailsWithReasonThenTheNextRunAddsSuccess()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.SimulateOutage(true);
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var during = await step.RunAsync(Lead());
        h.Provider.SimulateOutage(false);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var after = await step.GetTimelineAsync(SyncHarness.Tenant, "lead-1");

        // Assert
        Assert.False(during.Succeeded);
        Assert.Contains("is not responding", during.Reason, StringComparison.Ordinal);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Failed, CrmTimelineStage.Succeeded], after.Select(e => e.Stage));
        Assert.NotNull(h.Provider.Find(CrmObjectType.Lead, "lead-1"));
    }

    [Fact]
    public async Task RunAsync_CrmRejectsTheLead_TimelineCarriesTheCrmsReason()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync();
        h.Provider.RejectRecordsWhere(_ => (CrmProblemType.UnknownField, "Property lead_status does not exist"));
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal("Property lead_status does not exist", result.Reason);
        Assert.Equal([CrmTimelineStage.Pending, CrmTimelineStage.Failed], result.Timeline.Select(e => e.Stage));
        Assert.Equal("In-memory CRM", result.Timeline[1].ProviderDisplayName);
    }

    [Fact]
    public async Task RunAsync_TypoInSyncFields_FailsNamingThePlaceholderAndSendsNothing()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync();
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead(syncFields: new Dictionary<string, string> { ["summary"] = "{{nmae}}" }));

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("syncFields 'summary' uses {{nmae}}", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
    }

    [Fact]
    public async Task RunAsync_FetchOnlyIntegration_FailsSayingItNeverWrites()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync(new ConnectionSettings { Direction = SyncDirection.Fetch });
        var step = h.Services.GetRequiredService<CrmSyncWorkflowStep>();

        // Act
        var result = await step.RunAsync(Lead());

        // Assert
        Assert.False(result.Succeeded);
        Assert.Contains("only fetches from the CRM", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
    }
}
