using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The engine end to end: SQLite file, SDK client, Zoho provider, simulator over HTTP, fake clock.</summary>
public sealed class ZohoEndToEndTests
{
    [Fact]
    public async Task SyncNowAsync_ThousandContactsWithActivities_SyncsEveryRecordOnceInBatchesOf100()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Eu);
        var connection = await h.ConnectAsync("eu");
        var changes = new List<CrmChange>();
        changes.AddRange(Enumerable.Range(0, 1000).Select(i => ZohoHarness.Contact($"c-{i}")));
        foreach (var type in new[] { CrmObjectType.Call, CrmObjectType.Meeting, CrmObjectType.Email })
        {
            // One activity per contact: calls for the first third, meetings for the next, emails for the rest.
            changes.AddRange(Enumerable.Range(0, 1000)
                .Where(i => (i % 3) switch { 0 => type == CrmObjectType.Call, 1 => type == CrmObjectType.Meeting, _ => type == CrmObjectType.Email })
                .Select(i => ZohoHarness.Activity(type, $"a-{i}", $"c-{i}")));
        }

        await h.Client.EnqueueAsync(ZohoHarness.Tenant, changes);
        var before = h.Sim.RequestCount;

        // Act
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(2000, runs.Sum(r => r.Synced));
        var contacts = h.Sim.GetRecords("Contacts");
        Assert.Equal(1000, contacts.Count);
        Assert.Equal(1000, contacts.Select(c => c.Fields["CrmSync_External_Id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(1, h.Sim.CreateFieldRequestCount);
        Assert.Equal(334, h.Sim.GetRecords("Calls").Count);
        Assert.Equal(333, h.Sim.GetRecords("Events").Count);
        Assert.Equal(333, h.Sim.GetRecords("Notes").Count);
        var ids = contacts.Select(c => c.Id).ToHashSet();
        Assert.All(h.Sim.GetRecords("Calls"), c => Assert.Contains(c.Fields["Who_Id"]!["id"]!.GetValue<string>(), ids));
        // The external-id field found missing, created and listed again (3), 10 upserts of 100 contacts and 12 inserts of up
        // to 100 activities (3 types, read in pages of 500).
        Assert.InRange(h.Sim.RequestCount - before, 25, 33);
    }

    [Fact]
    public async Task SyncNowAsync_LostResponses_CreateNoDuplicates()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        var changes = Enumerable.Range(0, 30).SelectMany(i => new[]
        {
            ZohoHarness.Contact($"c-{i}"),
            ZohoHarness.Activity(i % 2 == 0 ? CrmObjectType.Call : CrmObjectType.Meeting, $"a-{i}", $"c-{i}"),
        }).ToList();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, changes);

        // Act: the contact upsert and the first activity insert are applied but their answers never arrive
        h.Sim.LoseNextResponses(1);
        var first = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        h.Time.Advance(first.RetryAfter ?? TimeSpan.FromMinutes(1));
        await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        h.Sim.LoseNextResponses(1);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, first.Outcome);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(30, h.Sim.GetRecords("Contacts").Count);
        Assert.Equal(15, h.Sim.GetRecords("Calls").Count);
        Assert.Equal(15, h.Sim.GetRecords("Events").Count);
        Assert.Equal(0, (await h.Client.GetLast24HoursAsync(ZohoHarness.Tenant, connection.Id)).Failed);
    }

    [Fact]
    public async Task SyncNowAsync_TooManyRequests_PausesInsteadOfFailingThenFinishes()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, Enumerable.Range(0, 150).Select(i => ZohoHarness.Contact($"c-{i}")).ToList());
        h.Sim.SetConcurrencyLimit(0);

        // Act
        var throttled = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        h.Sim.SetConcurrencyLimit(10);
        h.Time.Advance(throttled.RetryAfter!.Value);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, throttled.Outcome);
        Assert.Equal(0, throttled.Failed);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(150, h.Sim.GetRecords("Contacts").Count);
        Assert.Empty(h.Alerts);
    }

    [Fact]
    public async Task SyncNowAsync_CreditsExhausted_PausesConnectionAndResumesWhenTheyFreeUp()
    {
        // Arrange: 2 credits: the first write of 100 costs 10
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, Enumerable.Range(0, 100).Select(i => ZohoHarness.Contact($"c-{i}")).ToList());
        h.Sim.SetDailyLimit(2);

        // Act
        var paused = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        var state = await h.Client.GetConnectionAsync(ZohoHarness.Tenant, connection.Id);
        h.Sim.SetDailyLimit(50_000);
        h.Time.Advance(paused.RetryAfter!.Value);
        var resumed = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, paused.Outcome);
        Assert.Equal(ConnectionStatus.Paused, state.Status.Status);
        Assert.Equal(0, paused.Failed);
        Assert.Equal(SyncRunOutcome.Success, resumed.Outcome);
        Assert.Equal(100, h.Sim.GetRecords("Contacts").Count);
    }

    [Fact]
    public async Task SendTestContactAsync_ClickedTwice_UpdatesTheSameZohoRecord()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.OrganizationDataCenter = ZohoDataCenter.Au);
        var connection = await h.ConnectAsync("au");

        // Act
        var first = await h.Client.SendTestContactAsync(ZohoHarness.Tenant, connection.Id);
        var second = await h.Client.SendTestContactAsync(ZohoHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(first.CrmRecordId, second.CrmRecordId);
        Assert.Single(h.Sim.GetRecords("Contacts"));
        Assert.Equal("crm.zoho.com.au", second.RecordLink!.Host);
    }
}
