using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>The engine end to end: SQLite file store, HubSpot provider over HTTP, simulator, fake clock.</summary>
public class HubSpotEndToEndTests
{
    private const string Tenant = HubSpotHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_ThousandContactsWithActivities_AllSyncedOnceAndAssociated()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var types = new[] { CrmObjectType.Email, CrmObjectType.Call, CrmObjectType.Meeting };
        var changes = Enumerable.Range(0, 1000).Select(i => HubSpotHarness.Contact($"c{i}")).ToList();
        // Hosts push activities by kind (all emails, then calls, then meetings), so batches stay full.
        changes.AddRange(Enumerable.Range(0, 1000).OrderBy(i => i % 3).Select(i => HubSpotHarness.Activity(types[i % 3], $"a{i}", $"c{i}")));
        await h.Client.EnqueueAsync(Tenant, changes);

        // Act: engagements have no unique property, so each batch of new ones is first searched for by its marker (after a
        // lost answer HubSpot may already hold them); HubSpot allows 5 searches a second, so the run pauses and resumes.
        var runs = new List<SyncRunResult>();
        do
        {
            if (runs.Count > 0)
            {
                h.Time.Advance(runs[^1].RetryAfter ?? TimeSpan.FromSeconds(1));
            }

            runs.Add(await h.Client.SyncNowAsync(Tenant, connection.Id));
        }
        while (runs[^1].Outcome == SyncRunOutcome.RateLimited && runs.Count < 10);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.All(runs[..^1], r => Assert.Equal(SyncRunOutcome.RateLimited, r.Outcome));
        Assert.Equal(2000, runs.Sum(r => r.Synced));
        var contacts = h.Simulator.GetRecords("contacts");
        Assert.Equal(1000, contacts.Select(c => c.Properties["crmsync_external_id"]).Distinct().Count());
        Assert.Equal(1000, contacts.Count);
        var contactIds = contacts.ToDictionary(c => c.Properties["crmsync_external_id"]!, c => c.Id);
        var engagements = new[] { "emails", "calls", "meetings" }.SelectMany(h.Simulator.GetRecords).ToList();
        Assert.Equal(1000, engagements.Count);
        Assert.All(engagements, e => Assert.Equal(contactIds["c" + e.Properties["crmsync_external_id"]![1..]], Assert.Single(e.Associations).ToObjectId));
        Assert.Equal(0, (await h.Client.GetConnectionAsync(Tenant, connection.Id)).State.ConsecutiveFailures);
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_ResponseLostAfterWrite_RetriesWithoutDuplicates()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, HubSpotHarness.Contact("seed"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        await h.Client.EnqueueAsync(Tenant, Enumerable.Range(0, 50).Select(i => HubSpotHarness.Contact($"c{i}")).ToList());
        h.Simulator.LoseNextResponses(1);

        // Act
        var lost = await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Time.Advance(lost.RetryAfter!.Value);
        var retried = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, lost.Outcome);
        Assert.Equal(SyncRunOutcome.Success, retried.Outcome);
        Assert.Equal(50, retried.Synced);
        Assert.Equal(51, h.Simulator.GetRecords("contacts").Count);
        await h.AssertNoSecretLeakedAsync(connection.Id, lost.Message, retried.Message);
    }

    [Fact]
    public async Task GetCrmUsersAsync_TokenExpired20ConcurrentCalls_RefreshesExactlyOnce()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        h.Time.Advance(TimeSpan.FromMinutes(31));

        // Act
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => h.Client.GetCrmUsersAsync(Tenant, connection.Id))));

        // Assert
        Assert.All(all, users => Assert.Equal(2, users.Count));
        var log = await h.Client.GetSyncLogAsync(Tenant, connection.Id);
        Assert.Single(log, e => e.EventType == SyncEventTypes.AuthRefresh);
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task GetCrmUsersAsync_HubSpotExpiredTokenEarly20ConcurrentCalls_RefreshesExactlyOnceAfter401()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        h.Simulator.ExpireAccessTokens();

        // Act
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => h.Client.GetCrmUsersAsync(Tenant, connection.Id))));

        // Assert
        Assert.All(all, users => Assert.Equal(2, users.Count));
        Assert.Single(await h.Client.GetSyncLogAsync(Tenant, connection.Id), e => e.EventType == SyncEventTypes.AuthRefresh);
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_AppUninstalled_EndsRevokedWithOneAlert()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, HubSpotHarness.Contact("c1"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Simulator.RevokeAllTokens();
        await h.Client.EnqueueAsync(Tenant, HubSpotHarness.Contact("c2"));

        // Act
        var first = await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        Assert.False(second.Ran);
        var status = (await h.Client.GetConnectionAsync(Tenant, connection.Id)).Status;
        Assert.Equal(ConnectionStatus.Revoked, status.Status);
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.Revoked, alert.Kind);
        Assert.Single(await h.Client.GetAlertsAsync(Tenant));
        await h.AssertNoSecretLeakedAsync(connection.Id, first.Message, status.Reason);
    }

    [Fact]
    public async Task RunDueSyncsAsync_DailyLimitReached_PausesUntilMidnightThenResumes()
    {
        // Arrange
        // The daily limit applies to private-app tokens (OAuth apps are limited per 10 seconds only).
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectPrivateAppAsync();
        await h.Client.EnqueueAsync(Tenant, Enumerable.Range(0, 300).Select(i => HubSpotHarness.Contact($"c{i}")).ToList());
        h.Simulator.SetDailyLimit(3);

        // Act
        var limited = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var paused = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromHours(14));
        var beforeReset = await h.Client.RunDueSyncsAsync();
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 0, 0, 1, TimeSpan.Zero));
        var afterReset = await h.Client.RunDueSyncsAsync();

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, limited.Outcome);
        Assert.Equal(100, limited.Synced);
        Assert.Equal(ConnectionStatus.Paused, paused.Status.Status);
        Assert.Contains("daily", paused.Status.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), paused.State.AutoPausedUntil);
        Assert.Equal(0, paused.State.ConsecutiveFailures);
        Assert.Equal(0, beforeReset);
        Assert.Equal(1, afterReset);
        var resumed = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        Assert.Equal(ConnectionStatus.Active, resumed.Status.Status);
        Assert.Equal(300, h.Simulator.GetRecords("contacts").Count);
        Assert.Empty(h.Alerts.Received);
        await h.AssertNoSecretLeakedAsync(connection.Id, limited.Message);
    }

    [Fact]
    public async Task SendTestContactAsync_Connected_ReturnsDeepLinkAndUpdatesTheSameRecordNextTime()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var first = await h.Client.SendTestContactAsync(Tenant, connection.Id);
        var second = await h.Client.SendTestContactAsync(Tenant, connection.Id);

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.CrmRecordId, second.CrmRecordId);
        Assert.Equal(new Uri($"https://app.hubspot.com/contacts/20260101/record/0-1/{first.CrmRecordId}"), first.RecordLink);
        Assert.Single(h.Simulator.GetRecords("contacts"));
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_InvalidEmail_FailsThatRecordWithPlainLanguageAndSyncsTheRest()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [HubSpotHarness.Contact("good"), HubSpotHarness.Contact("bad", email: "nope")]);

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal((1, 1), (run.Synced, run.Failed));
        var summary = await h.Client.GetLast24HoursAsync(Tenant, connection.Id);
        var problem = Assert.Single(summary.Problems);
        Assert.Equal(CrmProblemType.InvalidEmail, problem.Explanation.Type);
        await h.AssertNoSecretLeakedAsync(connection.Id, run.Message);
    }
}
