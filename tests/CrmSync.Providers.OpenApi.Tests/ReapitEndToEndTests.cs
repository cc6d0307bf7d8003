using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>The engine end to end through the OpenAPI provider: SQLite file, SDK client, Reapit profile, Reapit simulator over HTTP, fake clock.</summary>
public sealed class ReapitEndToEndTests
{
    [Fact]
    public async Task SyncNowAsync_ThousandContactsWithActivities_SyncsEveryRecordOnce()
    {
        // Arrange
        await using var h = ReapitHarness.Create(provider: o => o.MaxConcurrency = 16);
        var connection = await h.ConnectAsync();
        var changes = new List<CrmChange>();
        for (var i = 0; i < 1000; i++)
        {
            changes.Add(ReapitHarness.Contact($"c-{i}"));
            changes.Add(ReapitHarness.Activity((i % 3) switch { 0 => CrmObjectType.Call, 1 => CrmObjectType.Meeting, _ => CrmObjectType.Email }, $"a-{i}", $"c-{i}"));
        }

        await h.Client.EnqueueAsync(ReapitHarness.Tenant, changes);

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(2000, runs.Sum(r => r.Synced));
        var contacts = h.Sim.GetRecords("contacts");
        Assert.Equal(1000, contacts.Count);
        Assert.Equal(1000, contacts.Select(c => c.Data["metadata"]!["crmSyncExternalId"]!.GetValue<string>()).Distinct().Count());
        Assert.All(contacts, c => Assert.Equal("notAsked", c.Data["marketingConsent"]!.GetValue<string>()));
        var entries = h.Sim.GetRecords("journalEntries");
        Assert.Equal(1000, entries.Count);
        var contactIds = contacts.Select(c => c.Id).ToHashSet();
        Assert.All(entries, e => Assert.Contains(e.Data["associatedId"]!.GetValue<string>(), contactIds));
        Assert.Equal(334, entries.Count(e => e.Data["typeId"]!.GetValue<string>() == "TC"));
    }

    [Fact]
    public async Task SyncNowAsync_LostResponses_CreateNoDuplicates()
    {
        // Arrange
        await using var h = ReapitHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectAsync();
        var changes = new List<CrmChange>();
        for (var i = 0; i < 10; i++)
        {
            changes.Add(ReapitHarness.Contact($"c-{i}"));
            changes.Add(ReapitHarness.Activity(CrmObjectType.Call, $"call-{i}", $"c-{i}"));
        }

        await h.Client.EnqueueAsync(ReapitHarness.Tenant, changes);
        await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        var changed = Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            ReapitHarness.Contact($"c-{i}", lastName: $"Changed {i}"),
            ReapitHarness.Activity(CrmObjectType.Call, $"call-new-{i}", $"c-{i}"),
        }).Concat(Enumerable.Range(10, 5).Select(i => ReapitHarness.Contact($"c-{i}"))).ToList();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, changed);

        // Act: the first writes of the next run are applied but their answers never arrive
        h.Sim.LoseNextResponses(3);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Contains(runs, r => r.Outcome == SyncRunOutcome.ProviderUnavailable);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(15, h.Sim.GetRecords("contacts").Count);
        Assert.Equal(20, h.Sim.GetRecords("journalEntries").Count);
        Assert.All(h.Sim.GetRecords("contacts").Take(10), c => Assert.StartsWith("Changed", c.Data["surname"]!.GetValue<string>(), StringComparison.Ordinal));
        var summary = await h.Client.GetLast24HoursAsync(ReapitHarness.Tenant, connection.Id);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public async Task SyncNowAsync_LostCreateAnswers_EveryWriteKindAdoptsInsteadOfDuplicating()
    {
        // Arrange: one contact, then its meeting; every create answer is lost once
        await using var h = ReapitHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, [ReapitHarness.Contact("c-1"), ReapitHarness.Activity(CrmObjectType.Meeting, "m-1", "c-1")]);

        // Act: the search for c-1 is answered, its create is applied but the answer is lost
        h.Sim.LoseNextResponses(2);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, runs[0].Outcome);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Single(h.Sim.GetRecords("contacts"));
        Assert.Single(h.Sim.GetRecords("journalEntries"));
    }

    [Fact]
    public async Task SyncNowAsync_AppUninstalled_MarksConnectionRevokedAndAlerts()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1"));
        h.Sim.UninstallApp(ReapitHarness.Customer);

        // Act
        var run = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        var state = await h.Client.GetConnectionAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, run.Outcome);
        Assert.Equal(ConnectionStatus.Revoked, state.Status.Status);
        Assert.NotEmpty(h.Alerts);
        Assert.Empty(h.Sim.GetRecords("contacts"));
    }

    [Fact]
    public async Task SyncNowAsync_ExpiredAppToken_GetsANewOneAndSyncs()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1"));
        await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-2"));
        h.Sim.ExpireTokens();

        // Act
        var run = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(2, h.Sim.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task SyncNowAsync_Throttled_PausesWithoutFailuresThenFinishes()
    {
        // Arrange: Reapit answers 429 without any limit header; the provider waits a burst window
        await using var h = ReapitHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, Enumerable.Range(0, 6).Select(i => ReapitHarness.Contact($"c-{i}")).ToList());
        h.Sim.ThrottleNextRequests(3);

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, runs[0].Outcome);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(6, h.Sim.GetRecords("contacts").Count);
        var summary = await h.Client.GetLast24HoursAsync(ReapitHarness.Tenant, connection.Id);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public async Task SyncNowAsync_BudgetAtReapitsLimit_NeverReceivesA429()
    {
        // Arrange: Reapit's published 20 requests per second, enforced by the simulator on the same clock as the budget;
        // the budget may not wait inside a run, so a full window pauses the run instead
        await using var h = ReapitHarness.Create(
            simulator: o => o.RequestsPerSecond = 20,
            provider: o =>
            {
                o.BurstLimit = 20;
                o.MaxBudgetWait = TimeSpan.Zero;
            });
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, Enumerable.Range(0, 30).Select(i => ReapitHarness.Contact($"c-{i}")).ToList());

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id, maxRuns: 40);

        // Assert
        Assert.Contains(runs, r => r.Outcome == SyncRunOutcome.RateLimited);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(30, h.Sim.GetRecords("contacts").Count);
        Assert.Equal(0, h.Sim.Usage.Throttled);
        Assert.Equal(20, h.Sim.Usage.PeakRequestsPerSecond);
    }

    [Fact]
    public async Task SyncNowAsync_ContactChangedInReapit_ReplaysTheUpdateOnTheNewETag()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1"));
        await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);
        var id = h.Sim.GetRecords("contacts").Single().Id;
        h.Sim.EditContact(ReapitHarness.Customer, id, "title", "Dr");
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, ReapitHarness.Contact("c-1", lastName: "Byron"));

        // Act
        var run = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        var contact = Assert.Single(h.Sim.GetRecords("contacts"));
        Assert.Equal("Byron", contact.Data["surname"]!.GetValue<string>());
        Assert.Equal("Dr", contact.Data["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task SyncNowAsync_ContactWithoutLastName_FailsNamingTheRequiredField()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ReapitHarness.Tenant, new CrmChange(CrmObjectType.Contact, "c-1", new Dictionary<string, string?> { [CrmFieldNames.Email] = "x@example.test" }));

        // Act
        var run = await h.Client.SyncNowAsync(ReapitHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(1, run.Failed);
        var activity = await h.Client.GetRecentActivityAsync(ReapitHarness.Tenant, connection.Id);
        var failure = Assert.Single(activity, a => a.Outcome == SyncActivityOutcome.Failed);
        Assert.Contains("'surname'", failure.Error, StringComparison.Ordinal);
        Assert.Empty(h.Sim.GetRecords("contacts"));
    }
}
