using CrmSync.Sdk;
using CrmSync.Sdk.Storage;

namespace CrmSync.Sdk.Sqlite.Tests;

public class TestContactTests
{
    [Fact]
    public async Task SendTestContactAsync_TwentyThousandQueued_PushesItsOwnItemOnly()
    {
        // Arrange: a large import waits in the outbox ahead of the test contact.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var queued = Enumerable.Range(0, 20_000).Select(i => SyncHarness.Contact($"c{i}")).ToList();
        Assert.Equal(20_000, (await h.Client.EnqueueAsync(SyncHarness.Tenant, queued)).Accepted);

        // Act
        var result = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.True(result.Created);
        Assert.Equal(1, h.Provider.CallCount);
        var record = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal(result.CrmRecordId, record.Id);
        Assert.Equal(20_000, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task SendTestContactAsync_ScheduledRunStartsDuringThePush_WritesTheTestContactOnce()
    {
        // Arrange: the CRM is slow to take the test contact; a scheduled run of the same connection starts meanwhile.
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1")]);
        var testContactWrites = 0;
        var runDuringPush = Task.CompletedTask;
        h.Provider.OnBeforeWrite(async (writes, ct) =>
        {
            if (writes.Any(w => w.ExternalId == "crmsync-test-contact") && Interlocked.Increment(ref testContactWrites) == 1)
            {
                runDuringPush = h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id, ct);
                await runDuringPush;
            }
        });

        // Act
        var result = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);
        await runDuringPush;

        // Assert: the run sent the queued contact but left the test contact to its own push.
        Assert.True(result.Created);
        Assert.Equal(1, testContactWrites);
        Assert.Equal(["c1", "crmsync-test-contact"], h.Provider.GetRecords(CrmObjectType.Contact).Select(r => r.ExternalId).Order(StringComparer.Ordinal));
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task SendTestContactAsync_CrmDown_NextRunSendsTheTestContact()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.SimulateOutage(true);
        await Assert.ThrowsAnyAsync<CrmSyncException>(() => h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id));
        h.Provider.SimulateOutage(false);

        // Act: the push did not happen, so its hold ends and the next run takes the contact.
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal("crmsync-test-contact", Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact)).ExternalId);
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id));
    }

    [Fact]
    public async Task SendTestContactAsync_RecordDeletedInCrm_SaysCreatedFromTheCrmsAnswer()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var first = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);
        var second = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);
        Assert.True(h.Provider.Delete(CrmObjectType.Contact, "crmsync-test-contact"));

        // Act
        var third = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.True(third.Created);
        Assert.NotEqual(first.CrmRecordId, third.CrmRecordId);
        Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
    }

    [Fact]
    public async Task SendTestContactAsync_CrmTakesTime_ReportsTheElapsedTime()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.OnBeforeWrite((_, _) =>
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(1_250));
            return Task.CompletedTask;
        });

        // Act
        var result = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(1_250), result.Elapsed);
    }

    [Fact]
    public async Task SendTestContactAsync_FetchOnlyConnection_RefusesAndWritesNothing()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync(new ConnectionSettings { Direction = SyncDirection.Fetch });

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal("Direction", error.Path);
        Assert.Contains("only reads from In-memory CRM", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
        Assert.Equal(0, await h.Store.CountPendingAsync(connection.Id, OutboxOrigin.TestContact));
    }

    [Fact]
    public async Task SendTestContactAsync_CrmRejectsWithoutText_SaysWhyAnyway()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RejectRecordsWhere(_ => (CrmProblemType.InvalidValue, "Property lead_source does not exist"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id));

        // Assert
        Assert.Equal("In-memory CRM rejected the test contact: Property lead_source does not exist", ex.Message);
        var log = (await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 5)).First(e => e.EventType == SyncEventTypes.TestContact);
        Assert.Equal(SyncLogOutcome.Error, log.Outcome);
    }
}
