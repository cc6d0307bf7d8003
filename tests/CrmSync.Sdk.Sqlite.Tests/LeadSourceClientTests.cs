using CrmSync.Sdk;
using static CrmSync.Sdk.Sqlite.Tests.ImportFixtures;

namespace CrmSync.Sdk.Sqlite.Tests;

public class LeadSourceClientTests
{
    [Fact]
    public async Task ReceiveLeadAsync_WrongThenExactSourceValue_ReportsMismatchThenEnablesCompleteSetup()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var created = await h.LeadSources.CreateAsync(Manager, SyncHarness.Tenant, "Acme Leads", "AcmeLeads-2026");

        // Act
        var wrong = await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "acmeleads-2026");
        var right = await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "AcmeLeads-2026");
        var completed = await h.LeadSources.CompleteSetupAsync(Admin, SyncHarness.Tenant, created.Id);
        var stored = await h.LeadSources.GetAsync(SyncHarness.Tenant, created.Id);

        // Assert
        Assert.Equal(LeadSourceStatus.SetupIncomplete, created.Status);
        Assert.Equal(new LeadSourceMismatch("acmeleads-2026", "AcmeLeads-2026", h.Time.GetUtcNow()), wrong.Mismatch);
        Assert.False(wrong.Integration.CanCompleteSetup);
        Assert.True(right.Integration.CanCompleteSetup);
        Assert.True(completed.Accepted);
        Assert.Equal(LeadSourceStatus.Active, stored.Status);
        Assert.Equal("ada-admin", stored.Setup.CompletedBy);
        Assert.Equal(2, stored.Setup.LeadsReceivedDuringSetup);
        Assert.Equal("acmeleads-2026", stored.LastMismatch?.Received);
    }

    [Fact]
    public async Task CompleteSetupAsync_Member_IsDenied()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var created = await h.LeadSources.CreateAsync(Manager, SyncHarness.Tenant, "Acme Leads", "acme");
        await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "acme");

        // Act
        await Assert.ThrowsAsync<CrmAccessDeniedException>(() => h.LeadSources.CompleteSetupAsync(Member, SyncHarness.Tenant, created.Id));

        // Assert
        Assert.Equal(LeadSourceStatus.SetupIncomplete, (await h.LeadSources.GetAsync(SyncHarness.Tenant, created.Id)).Status);
    }

    [Fact]
    public async Task ReportSyncAsync_FailureThenRetryDue_ListsItForRetryUntilASuccess()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var created = await h.LeadSources.CreateAsync(Manager, SyncHarness.Tenant, "Acme Leads", "acme");
        await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "acme");
        await h.LeadSources.CompleteSetupAsync(Manager, SyncHarness.Tenant, created.Id);

        // Act
        var failed = await h.LeadSources.ReportSyncAsync(SyncHarness.Tenant, created.Id, succeeded: false, "503 from the partner API");
        var dueAtOnce = await h.LeadSources.GetDueRetriesAsync();
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var dueAfterDelay = await h.LeadSources.GetDueRetriesAsync();
        var recovered = await h.LeadSources.ReportSyncAsync(SyncHarness.Tenant, created.Id, succeeded: true);

        // Assert
        Assert.Equal(LeadSourceStatus.FailedSync, failed.Integration.Status);
        Assert.Empty(dueAtOnce);
        Assert.Equal(created.Id, Assert.Single(dueAfterDelay).Id);
        Assert.Equal(LeadSourceStatus.Active, recovered.Integration.Status);
        Assert.Empty(await h.LeadSources.GetDueRetriesAsync());
    }

    [Fact]
    public async Task ReportValidationAsync_ExpiredCredentials_PausesUntilValidationPasses()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var created = await h.LeadSources.CreateAsync(Manager, SyncHarness.Tenant, "Acme Leads", "acme");
        await h.LeadSources.ReceiveLeadAsync(SyncHarness.Tenant, created.Id, "acme");
        await h.LeadSources.CompleteSetupAsync(Manager, SyncHarness.Tenant, created.Id);

        // Act
        var expired = await h.LeadSources.ReportValidationAsync(SyncHarness.Tenant, created.Id, credentialsValid: false, "token expired");
        var manualResume = await h.LeadSources.ResumeAsync(Admin, SyncHarness.Tenant, created.Id);
        var fixedUp = await h.LeadSources.ReportValidationAsync(SyncHarness.Tenant, created.Id, credentialsValid: true);

        // Assert
        Assert.Equal(LeadSourceStatus.Paused, expired.Integration.Status);
        Assert.Equal(LeadSourcePauseReason.ExpiredCredentials, expired.Integration.PauseReason);
        Assert.False(manualResume.Accepted);
        Assert.Equal(LeadSourceStatus.Active, fixedUp.Integration.Status);
    }

    [Fact]
    public async Task GetAllAsync_TwoTenants_EachSeesOnlyItsOwnIntegrations()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var a = await h.LeadSources.CreateAsync(Manager, "tenant-a", "A leads", "a");
        await h.LeadSources.CreateAsync(Manager, "tenant-b", "B leads", "b");

        // Act
        var forA = await h.LeadSources.GetAllAsync("tenant-a");

        // Assert
        Assert.Equal(a.Id, Assert.Single(forA).Id);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.LeadSources.GetAsync("tenant-b", a.Id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.LeadSources.ReceiveLeadAsync("tenant-b", a.Id, "a"));
    }
}
