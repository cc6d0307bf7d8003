using CrmSync.Providers.Salesforce.Simulator;
using CrmSync.Sdk;
using CrmSync.Sdk.Storage;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>The engine end to end: SQLite file store, Salesforce provider over HTTP, simulator, fake clock.</summary>
public class SalesforceEndToEndTests
{
    private const string Tenant = SalesforceHarness.Tenant;

    [Fact]
    public async Task SyncNowAsync_ThousandContactsWithActivities_AllSyncedOnceAndAssociated()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        var types = new[] { CrmObjectType.Email, CrmObjectType.Call, CrmObjectType.Meeting };
        var changes = Enumerable.Range(0, 1000).Select(i => SalesforceHarness.Contact($"c{i}")).ToList();
        // Hosts push activities by kind (all emails, then calls, then meetings), so batches stay full.
        changes.AddRange(Enumerable.Range(0, 1000).OrderBy(i => i % 3).Select(i => SalesforceHarness.Activity(types[i % 3], $"a{i}", $"c{i}")));
        await h.Client.EnqueueAsync(Tenant, changes);

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(2000, run.Synced);
        var contacts = h.Simulator.GetRecords("Contact");
        Assert.Equal(1000, contacts.Select(c => c.Properties["CrmSync_External_Id__c"]).Distinct().Count());
        Assert.Equal(1000, contacts.Count);
        var contactIds = contacts.ToDictionary(c => c.Properties["CrmSync_External_Id__c"]!, c => c.Id);
        var tasks = h.Simulator.GetRecords("Task");
        var events = h.Simulator.GetRecords("Event");
        Assert.Equal(1000, tasks.Count + events.Count);
        Assert.Equal(333, events.Count);
        Assert.All(tasks, t => Assert.Equal(contactIds["c" + t.Properties["Description"]!.Split('\n')[^1]["crmsync-ref:a".Length..]], t.Properties["WhoId"]));
        Assert.All(events, e => Assert.Contains(e.Properties["WhoId"], contactIds.Values));
        Assert.Equal(0, (await h.Client.GetConnectionAsync(Tenant, connection.Id)).State.ConsecutiveFailures);
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_ResponseLostAfterWrite_RetriesWithoutDuplicates()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SalesforceHarness.Contact("seed"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        await h.Client.EnqueueAsync(Tenant, Enumerable.Range(0, 50).Select(i => SalesforceHarness.Contact($"c{i}")).ToList());
        h.Simulator.LoseNextResponses(1);

        // Act
        var lost = await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Time.Advance(lost.RetryAfter!.Value);
        var retried = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.ProviderUnavailable, lost.Outcome);
        Assert.Equal(SyncRunOutcome.Success, retried.Outcome);
        Assert.Equal(50, retried.Synced);
        Assert.Equal(51, h.Simulator.GetRecords("Contact").Count);
        await h.AssertNoSecretLeakedAsync(connection.Id, lost.Message, retried.Message);
    }

    [Fact]
    public async Task GetCrmUsersAsync_SessionTimedOut20ConcurrentCalls_RefreshesExactlyOnce()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        h.Time.Advance(TimeSpan.FromHours(3));

        // Act
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => h.Client.GetCrmUsersAsync(Tenant, connection.Id))));

        // Assert
        Assert.All(all, users => Assert.Equal(2, users.Count));
        var log = await h.Client.GetSyncLogAsync(Tenant, connection.Id);
        Assert.Single(log, e => e.EventType == SyncEventTypes.AuthRefresh);
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task GetCrmUsersAsync_SessionEndedBySalesforce20ConcurrentCalls_RefreshesExactlyOnceAfter401()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
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
    public async Task SyncNowAsync_RefreshTokenRefused_PausedWithExpiredCredentialsAndOneAlert()
    {
        // Arrange: Salesforce refuses the refresh token ("expired access/refresh token", its one answer for an expired or
        // revoked refresh token).
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, SalesforceHarness.Contact("c1"));
        await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Simulator.RevokeAllTokens();
        await h.Client.EnqueueAsync(Tenant, SalesforceHarness.Contact("c2"));

        // Act
        var first = await h.Client.SyncNowAsync(Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert: note 004's "Paused — expired credentials", with Reconnect; nothing more is sent until then.
        Assert.Equal(SyncRunOutcome.Revoked, first.Outcome);
        Assert.False(second.Ran);
        var status = (await h.Client.GetConnectionAsync(Tenant, connection.Id)).Status;
        Assert.Equal(ConnectionStatus.Paused, status.Status);
        Assert.Equal(StatusReasonKind.ExpiredCredentials, status.ReasonKind);
        Assert.Equal("Expired credentials: Salesforce refused to renew the sign-in. Reconnect to resume syncing.", status.Reason);
        Assert.True(status.NeedsAttention);
        var alert = Assert.Single(h.Alerts.Received);
        Assert.Equal(CrmSyncAlertKind.ExpiredCredentials, alert.Kind);
        Assert.Single(await h.Client.GetAlertsAsync(Tenant));
        await h.AssertNoSecretLeakedAsync(connection.Id, first.Message, status.Reason);
    }

    [Fact]
    public async Task RunDueSyncsAsync_DailyLimitReached_PausesUntilTheRollingWindowFreesThenResumes()
    {
        // Arrange: the org has the external-id field already, so the two allowed requests are its describe and the first upsert.
        await using var h = SalesforceHarness.Create(simulator: o => o.ExternalIdFieldExists = true);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, Enumerable.Range(0, 300).Select(i => SalesforceHarness.Contact($"c{i}")).ToList());
        h.Simulator.SetDailyLimit(2);
        var limitedAt = h.Time.GetUtcNow();

        // Act
        var limited = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var paused = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromHours(14));
        var beforeReset = await h.Client.RunDueSyncsAsync();
        h.Time.SetUtcNow(paused.State.AutoPausedUntil!.Value.AddSeconds(1));
        var afterReset = await h.Client.RunDueSyncsAsync();

        // Assert
        Assert.Equal(SyncRunOutcome.RateLimited, limited.Outcome);
        Assert.Equal(200, limited.Synced);
        Assert.Equal(ConnectionStatus.Paused, paused.Status.Status);
        Assert.Contains("daily", paused.Status.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(paused.State.AutoPausedUntil!.Value, limitedAt.AddHours(24), limitedAt.AddHours(25));
        Assert.Equal(0, paused.State.ConsecutiveFailures);
        Assert.Equal(0, beforeReset);
        Assert.Equal(1, afterReset);
        var resumed = await h.Client.GetConnectionAsync(Tenant, connection.Id);
        Assert.True(resumed.Status.Status == ConnectionStatus.Active, string.Join(" | ", (await h.Client.GetSyncLogAsync(Tenant, connection.Id)).Select(e => $"{e.At:O} {e.EventType} {e.Error}")) + " :: " + resumed.Status.Reason);
        Assert.Equal(300, h.Simulator.GetRecords("Contact").Count);
        Assert.Empty(h.Alerts.Received);
        await h.AssertNoSecretLeakedAsync(connection.Id, limited.Message);
    }

    [Fact]
    public async Task SendTestContactAsync_Connected_ReturnsDeepLinkAndUpdatesTheSameRecordNextTime()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var first = await h.Client.SendTestContactAsync(Tenant, connection.Id);
        var second = await h.Client.SendTestContactAsync(Tenant, connection.Id);

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.CrmRecordId, second.CrmRecordId);
        Assert.Equal(new Uri(h.Simulator.BaseUrl, $"lightning/r/Contact/{first.CrmRecordId}/view"), first.RecordLink);
        Assert.Single(h.Simulator.GetRecords("Contact"));
        await h.AssertNoSecretLeakedAsync(connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_InvalidEmail_FailsThatRecordWithPlainLanguageAndSyncsTheRest()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [SalesforceHarness.Contact("good"), SalesforceHarness.Contact("bad", email: "nope")]);

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
