using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The engine end to end: SQLite file, SDK client, Pipedrive provider, simulator over HTTP, fake clock.</summary>
public sealed class PipedriveEndToEndTests
{
    [Fact]
    public async Task SyncNowAsync_ThousandContactsWithActivities_SyncsEveryRecordOnce()
    {
        // Arrange
        await using var h = PipedriveHarness.Create(provider: o => o.MaxConcurrency = 8);
        var connection = await h.ConnectWithOAuthAsync();
        var changes = new List<CrmChange>();
        for (var i = 0; i < 1000; i++)
        {
            changes.Add(PipedriveHarness.Contact($"c-{i}"));
            changes.Add(PipedriveHarness.Activity((i % 3) switch { 0 => CrmObjectType.Call, 1 => CrmObjectType.Meeting, _ => CrmObjectType.Email }, $"a-{i}", $"c-{i}"));
        }

        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, changes);

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(2000, runs.Sum(r => r.Synced));
        var persons = h.Sim.GetRecords("persons");
        Assert.Equal(1000, persons.Count);
        Assert.Equal(1000, persons.Select(p => p.Properties["name"]!.GetValue<string>()).Distinct().Count());
        var activities = h.Sim.GetRecords("activities");
        Assert.Equal(1000, activities.Count);
        var personIds = persons.Select(p => p.Id).ToHashSet();
        Assert.All(activities, a => Assert.Contains(a.Properties["person_id"]!.GetValue<long>(), personIds));
        Assert.Equal(334, activities.Count(a => a.Properties["type"]!.GetValue<string>() == "call"));
    }

    [Fact]
    public async Task SyncNowAsync_LostResponses_CreateNoDuplicates()
    {
        // Arrange
        await using var h = PipedriveHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectWithApiTokenAsync();
        var changes = new List<CrmChange>();
        for (var i = 0; i < 10; i++)
        {
            changes.Add(PipedriveHarness.Contact($"c-{i}"));
            changes.Add(PipedriveHarness.Activity(CrmObjectType.Call, $"call-{i}", $"c-{i}"));
        }

        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, changes);
        await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);
        var changed = Enumerable.Range(0, 10).SelectMany(i => new[]
        {
            PipedriveHarness.Contact($"c-{i}", name: $"Changed {i}"),
            PipedriveHarness.Activity(CrmObjectType.Call, $"call-new-{i}", $"c-{i}"),
        }).Concat(Enumerable.Range(10, 5).Select(i => PipedriveHarness.Contact($"c-{i}"))).ToList();
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, changed);

        // Act: the first writes of the next run succeed but their answers never arrive
        h.Sim.LoseNextResponses(3);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Contains(runs, r => r.Outcome == SyncRunOutcome.ProviderUnavailable);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(15, h.Sim.GetRecords("persons").Count);
        Assert.Equal(20, h.Sim.GetRecords("activities").Count);
        var summary = await h.Client.GetLast24HoursAsync(PipedriveHarness.Tenant, connection.Id);
        Assert.Equal(0, summary.Failed);
    }

    [Fact]
    public async Task SyncNowAsync_LostActivityCreate_RetriedRunAdoptsTheActivity()
    {
        // Arrange: contacts first, then one activity whose create answer is lost
        await using var h = PipedriveHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectWithApiTokenAsync();
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, PipedriveHarness.Contact("c-1"));
        await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, PipedriveHarness.Activity(CrmObjectType.Meeting, "m-1", "c-1"));
        h.Sim.LoseNextResponses(1);

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, runs[0].Outcome);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Single(h.Sim.GetRecords("activities"));
    }

    [Fact]
    public async Task SyncNowAsync_DailyTokenBudgetSpent_PausesUntilMidnightThenResumes()
    {
        // Arrange: enough tokens for the field lookup, 3 searches and 3 creates only
        await using var h = PipedriveHarness.Create(provider: o => o.MaxConcurrency = 1);
        var connection = await h.ConnectWithApiTokenAsync();
        h.Sim.SetDailyLimit(10 + 5 + (3 * 25));
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, Enumerable.Range(0, 6).Select(i => PipedriveHarness.Contact($"c-{i}")).ToList());

        // Act
        var paused = await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);
        var state = await h.Client.GetConnectionAsync(PipedriveHarness.Tenant, connection.Id);
        h.Time.Advance(paused.RetryAfter!.Value + TimeSpan.FromSeconds(1));
        var resumed = await h.Client.SyncNowAsync(PipedriveHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, paused.Outcome);
        Assert.Equal(3, paused.Synced);
        Assert.Equal(0, paused.Failed);
        Assert.Equal(ConnectionStatus.Paused, state.Status.Status);
        Assert.Contains("daily API limit", state.State.AutoPauseReason, StringComparison.Ordinal);
        Assert.Equal(SyncRunOutcome.Success, resumed.Outcome);
        Assert.Equal(6, h.Sim.GetRecords("persons").Count);
        Assert.Empty(h.Alerts);
    }

    [Fact]
    public async Task SyncNowAsync_BurstWindowFull_PausesInsteadOfFailingThenFinishes()
    {
        // Arrange: 10 requests per 2 seconds, and the budget may not wait inside a run
        await using var h = PipedriveHarness.Create(
            simulator: o => o.BurstLimit = 10,
            provider: o =>
            {
                o.RequestBudget.BurstLimit = 10;
                o.RequestBudget.MaxWait = TimeSpan.Zero;
                o.MaxConcurrency = 1;
            });
        var connection = await h.ConnectWithApiTokenAsync();
        await h.Client.EnqueueAsync(PipedriveHarness.Tenant, Enumerable.Range(0, 12).Select(i => PipedriveHarness.Contact($"c-{i}")).ToList());

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id, maxRuns: 30);

        // Assert
        Assert.Contains(runs, r => r.Outcome == SyncRunOutcome.RateLimited);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.All(runs, r => Assert.Equal(0, r.Failed));
        Assert.Equal(12, h.Sim.GetRecords("persons").Count);
        var summary = await h.Client.GetLast24HoursAsync(PipedriveHarness.Tenant, connection.Id);
        Assert.Equal(0, summary.Failed);
        Assert.Empty(h.Alerts);
    }
}
