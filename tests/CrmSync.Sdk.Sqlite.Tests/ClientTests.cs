using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using CrmSync.Sdk;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk.Sqlite.Tests;

public class ClientTests
{
    [Fact]
    public async Task SendTestContactAsync_Twice_UpdatesSameCrmRecord()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.ProductName = "SalesHive");
        var connection = await h.ConnectAsync();

        // Act
        var first = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);
        var second = await h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.CrmRecordId, second.CrmRecordId);
        Assert.Equal(new Uri($"https://crm.example.test/contacts/{first.CrmRecordId}"), second.RecordLink);
        var record = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal("SalesHive Sync Test", record.Fields[CrmFieldNames.Name]);
        Assert.Equal(2, record.WriteCount);
        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        Assert.True(view.Checklist.TestContactSent);
        Assert.Equal("test_contact", (await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 1))[0].EventType);
    }

    [Fact]
    public async Task SendTestContactAsync_CrmRejects_ThrowsWithReasonAndLogsError()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RejectRecordsWhere(_ => (CrmProblemType.PermissionDenied, "User may not create contacts."));

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id));

        // Assert
        Assert.Contains("User may not create contacts.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.False((await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id)).Checklist.TestContactSent);
    }

    [Fact]
    public async Task RetryFailedRecordsAsync_AfterFix_PushesThemAndCardIsClean()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        h.Provider.RequireContactField(CrmFieldNames.LastName);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1"), SyncHarness.Contact("c2"), SyncHarness.Contact("c3", lastName: null)]);
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var before = await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id);

        // Act
        h.Provider.RejectRecordsWhere(null);
        var requeued = await h.Client.RetryFailedRecordsAsync(SyncHarness.Tenant, connection.Id);
        var retry = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var after = await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal((2, 0, 1), (before.Synced, before.WaitingOrSkipped, before.Failed));
        Assert.False(before.IsClean);
        var problem = Assert.Single(before.Problems);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, problem.Explanation.Type);
        Assert.Equal(1, problem.Count);
        Assert.Equal(1, requeued);
        Assert.Equal(1, retry.Synced);
        Assert.True(after.IsClean);
        Assert.Equal(3, after.Synced);
        Assert.Equal(3, h.Provider.GetRecords(CrmObjectType.Contact).Count);
    }

    [Fact]
    public async Task ChooseStartingPointAsync_SkipThenResyncExisting_PushesExistingContacts()
    {
        // Arrange
        await using var h = SyncHarness.Create(source: new ListRecordSource(SyncHarness.Contact("old-1"), SyncHarness.Contact("old-2"), SyncHarness.Contact("old-3")));
        var connection = await h.Client.ConnectAsync(SyncHarness.Tenant, "inmemory", h.Provider.IssueTokens());

        // Act
        var skipped = await h.Client.ChooseStartingPointAsync(SyncHarness.Tenant, connection.Id, StartingPoint.Skip);
        var afterSkip = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var queued = await h.Client.ResyncExistingAsync(SyncHarness.Tenant, connection.Id);
        var importing = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        var second = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.ResyncExistingAsync(SyncHarness.Tenant, connection.Id));
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var done = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(0, skipped);
        Assert.Equal(0, afterSkip.Synced);
        Assert.Equal(3, queued);
        Assert.True(importing.ImportRunning);
        Assert.Contains("still running", second.Message, StringComparison.Ordinal);
        Assert.Equal(3, run.Synced);
        Assert.False(done.ImportRunning);
        Assert.Equal("contact_import", (await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 1))[0].EventType);
        Assert.Equal(3, h.Provider.GetRecords(CrmObjectType.Contact).Count);
    }

    [Fact]
    public async Task ChooseStartingPointAsync_ImportExisting_QueuesAndLeavesSetup()
    {
        // Arrange
        await using var h = SyncHarness.Create(source: new ListRecordSource(SyncHarness.Contact("old-1")));
        var connection = await h.Client.ConnectAsync(SyncHarness.Tenant, "inmemory", h.Provider.IssueTokens());
        var before = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Act
        var queued = await h.Client.ChooseStartingPointAsync(SyncHarness.Tenant, connection.Id, StartingPoint.ImportExisting);
        var after = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(ConnectionStatus.SetupIncomplete, before.Status.Status);
        Assert.Equal(1, queued);
        Assert.Equal(ConnectionStatus.Active, after.Status.Status);
        Assert.Equal(2, after.Checklist.CurrentStep == 0 ? 0 : after.Checklist.CurrentStep - 1);
    }

    [Fact]
    public async Task DisconnectAsync_KeepsEverythingAndReconnectResumes()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Act
        var disconnected = await h.Client.DisconnectAsync(SyncHarness.Tenant, connection.Id);
        var accepted = await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c2"));
        var whileDisconnected = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var log = await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id);
        var recordsWhileDisconnected = h.Provider.GetRecords(CrmObjectType.Contact).Count;
        await h.Client.ReconnectAsync(SyncHarness.Tenant, connection.Id);
        var resumed = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(ConnectionStatus.Disconnected, disconnected.Status.Status);
        Assert.Equal(1, accepted.Accepted);
        Assert.False(whileDisconnected.Ran);
        Assert.Contains(log, e => e.EventType == "contact_sync");
        Assert.Equal(1, recordsWhileDisconnected);
        Assert.Equal(1, resumed.Synced);
        Assert.Equal(2, h.Provider.GetRecords(CrmObjectType.Contact).Count);
    }

    [Fact]
    public async Task DisconnectAllAsync_StopsEveryConnectionOfTenantOnly()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        await h.ConnectAsync();
        await h.ConnectAsync();
        var other = await h.ConnectAsync(tenant: "tenant-b");

        // Act
        var count = await h.Client.DisconnectAllAsync(SyncHarness.Tenant);

        // Assert
        Assert.Equal(2, count);
        Assert.All(await h.Client.GetConnectionsAsync(SyncHarness.Tenant), c => Assert.Equal(ConnectionStatus.Disconnected, c.Status.Status));
        Assert.Equal(ConnectionStatus.Active, (await h.Client.GetConnectionAsync("tenant-b", other.Id)).Status.Status);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_TemplatesAndFixedValues_LandInCrmRecord()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("lead_source", "SalesHive"))
            .With(FieldMappingEntry.Template("description", "{{firstName}} {{lastName}} ({{email}})"));

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(SyncHarness.Tenant, connection.Id, mapping);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.True(saved.Checklist.MappingReviewed);
        var record = Assert.Single(h.Provider.GetRecords(CrmObjectType.Contact));
        Assert.Equal("SalesHive", record.Fields["lead_source"]);
        Assert.Equal("Ada Lovelace (c1@example.test)", record.Fields["description"]);
        Assert.Equal("c1", record.Fields[FieldMapping.DefaultExternalIdField]);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_BadMapping_RejectedNamingEntryAndNothingSaved()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        var good = FieldMapping.Empty.With(FieldMappingEntry.Fixed("lead_source", "SalesHive"));
        await h.Client.SaveFieldMappingAsync(SyncHarness.Tenant, connection.Id, good);

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() =>
            h.Client.SaveFieldMappingAsync(SyncHarness.Tenant, connection.Id, good.With(FieldMappingEntry.Template("description", "{{name"))));

        // Assert
        Assert.Equal("Field mapping is invalid: CRM field 'description' has a malformed template: '{{' at position 0 is never closed with '}}'.", ex.Message);
        Assert.Equal("Entries[1]", Assert.Single(ex.Errors).Path);
        var stored = (await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id)).Settings.Mapping;
        Assert.Equal(good.Entries, stored.Entries);
    }

    [Fact]
    public async Task DefaultOwner_AppliedOnCreateButNeverOnUpdate()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync(new ConnectionSettings { DefaultOwnerId = "owner-1" });
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1", "One"));
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Act
        await h.Client.UpdateSettingsAsync(SyncHarness.Tenant, connection.Id, s => s with { DefaultOwnerId = "owner-2" });
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1", "Two"), SyncHarness.Contact("c2")]);
        await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal("owner-1", h.Provider.Find(CrmObjectType.Contact, "c1")!.OwnerId);
        Assert.Equal("Two", h.Provider.Find(CrmObjectType.Contact, "c1")!.Fields[CrmFieldNames.LastName]);
        Assert.Equal("owner-2", h.Provider.Find(CrmObjectType.Contact, "c2")!.OwnerId);
    }

    [Fact]
    public async Task Toggles_CallsOff_NoCallsPushed()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1"), SyncHarness.Activity(CrmObjectType.Call, "call-queued-before", "c1")]);

        // Act
        await h.Client.UpdateSettingsAsync(SyncHarness.Tenant, connection.Id, s => s with { Toggles = s.Toggles with { Calls = false } });
        var afterToggle = await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Activity(CrmObjectType.Call, "call-after", "c1"), SyncHarness.Activity(CrmObjectType.Email, "email-1", "c1")]);
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(new EnqueueResult(1, 0, 1), afterToggle);
        Assert.Empty(h.Provider.GetRecords(CrmObjectType.Call));
        Assert.Single(h.Provider.GetRecords(CrmObjectType.Email));
        Assert.Equal((2, 1), (run.Synced, run.Skipped));
        Assert.Contains(await h.Client.GetRecentActivityAsync(SyncHarness.Tenant, connection.Id), a => a.SourceId == "call-queued-before" && a.Outcome == SyncActivityOutcome.Skipped);
    }

    [Fact]
    public async Task Direction_FetchOnly_NeverWrites()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync(new ConnectionSettings { Direction = SyncDirection.Both });
        await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c1"));

        // Act
        await h.Client.UpdateSettingsAsync(SyncHarness.Tenant, connection.Id, s => s with { Direction = SyncDirection.Fetch });
        var run = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        var notRouted = await h.Client.EnqueueAsync(SyncHarness.Tenant, SyncHarness.Contact("c2"));

        // Assert
        Assert.False(run.Ran);
        Assert.Contains("only fetches", run.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Provider.CallCount);
        Assert.Equal(1, notRouted.NotRouted);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(25 * 60)]
    public async Task UpdateSettingsAsync_ScheduleOutOfRange_RejectedWithClearMessage(double minutes)
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() =>
            h.Client.UpdateSettingsAsync(SyncHarness.Tenant, connection.Id, s => s with { ScheduleInterval = TimeSpan.FromMinutes(minutes) }));

        // Assert
        Assert.Contains("must be between 1 minute and 24 hours", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectSyncFailAndRevoke_SecretsInCredentialsAndCrmErrors_NeverInStoreLogsExceptionsOrMetrics()
    {
        // Arrange: recognisable secrets, which the CRM also echoes back in its errors (as real CRMs do).
        const string AccessToken = "at-SECRET-ACCESS-1111";
        const string RefreshToken = "rt-SECRET-REFRESH-2222";
        const string ClientSecret = "cs-SECRET-CLIENT-3333";
        var echoed = $"POST /oauth/token?client_secret={ClientSecret}&refresh_token={RefreshToken} failed; {{\"client_secret\":\"{ClientSecret}\"}} token {AccessToken}";
        CrmRequestFailedException CrmError() => new(echoed, "inmemory", 400, CrmProblemType.Unknown);
        await using var h = SyncHarness.Create();
        var metrics = new ConcurrentQueue<string>();
        var meterFactory = h.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CrmSyncTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                metrics.Enqueue($"{instrument.Name} {tag.Key}={tag.Value}");
            }
        }

        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        listener.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        listener.Start();
        var seen = new List<string>();

        // Act: connect, sync with a record the CRM rejects, a failed run, a failed test contact, a failed workflow step, a revocation.
        var credentials = new CrmCredentials { AccessToken = AccessToken, RefreshToken = RefreshToken, ExpiresAt = h.Time.GetUtcNow().AddMinutes(30) };
        var connection = await h.Client.ConnectAsync(SyncHarness.Tenant, "inmemory", credentials, "Acme (test)");
        await h.Client.ChooseStartingPointAsync(SyncHarness.Tenant, connection.Id, StartingPoint.Skip);
        await h.Client.EnqueueAsync(SyncHarness.Tenant, [SyncHarness.Contact("c1"), SyncHarness.Contact("c2")]);
        h.Provider.RejectRecordsWhere(w => w.ExternalId == "c2" ? (CrmProblemType.InvalidValue, echoed) : null);
        seen.Add((await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id)).ToString());
        h.Provider.RejectRecordsWhere(null);

        h.Provider.FailNextCalls(1, CrmError());
        await h.Client.RetryFailedRecordsAsync(SyncHarness.Tenant, connection.Id);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        var failed = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        seen.Add(failed.ToString());

        h.Provider.FailNextCalls(1, CrmError());
        var testContact = await Assert.ThrowsAnyAsync<CrmSyncException>(() => h.Client.SendTestContactAsync(SyncHarness.Tenant, connection.Id));
        seen.Add(testContact.ToString());

        h.Provider.FailNextCalls(1, CrmError());
        var step = await h.Services.GetRequiredService<CrmSyncWorkflowStep>().RunAsync(new CrmSyncStepRequest
        {
            TenantId = SyncHarness.Tenant,
            LeadId = "lead-1",
            Lead = new Dictionary<string, string?> { [CrmFieldNames.Name] = "Grace Hopper" },
            SyncFields = new Dictionary<string, string>(),
        });
        seen.Add(JsonSerializer.Serialize(step));

        h.Time.Advance(TimeSpan.FromMinutes(31));
        h.Provider.Revoke($"The refresh token {RefreshToken} was revoked (client_secret={ClientSecret}, last token {AccessToken}).");
        var revoked = await h.Client.SyncNowAsync(SyncHarness.Tenant, connection.Id);
        seen.Add(revoked.ToString());

        var view = await h.Client.GetConnectionAsync(SyncHarness.Tenant, connection.Id);
        seen.Add(view.ToString());
        seen.Add(JsonSerializer.Serialize(view));
        seen.Add(JsonSerializer.Serialize(await h.Client.GetSyncLogAsync(SyncHarness.Tenant, connection.Id, 1000)));
        seen.Add(JsonSerializer.Serialize(await h.Client.GetRecentActivityAsync(SyncHarness.Tenant, connection.Id, 1000)));
        seen.Add(JsonSerializer.Serialize(await h.Client.GetLast24HoursAsync(SyncHarness.Tenant, connection.Id)));
        seen.Add(JsonSerializer.Serialize(await h.Client.GetAlertsAsync(SyncHarness.Tenant, openOnly: false)));
        seen.Add(JsonSerializer.Serialize(h.Alerts.Received));
        var logs = h.Logs.GetSnapshot();
        listener.Dispose();

        // Assert: the run outcomes really happened.
        Assert.Equal(SyncRunOutcome.Failed, failed.Outcome);
        Assert.False(step.Succeeded);
        Assert.Equal(SyncRunOutcome.Revoked, revoked.Outcome);
        Assert.Equal(ConnectionStatus.Revoked, view.Status.Status);
        Assert.NotEmpty(metrics);

        // Assert: no secret (nor any part marked SECRET) in what the host, its users, its logs or its metrics see.
        string[] secrets = [AccessToken, RefreshToken, ClientSecret, "SECRET"];
        Assert.All(secrets, secret =>
        {
            Assert.All(seen, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            Assert.All(logs, r =>
            {
                Assert.DoesNotContain(secret, r.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, r.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
                Assert.All(r.StructuredState ?? [], p => Assert.DoesNotContain(secret, $"{p.Key}={p.Value}", StringComparison.Ordinal));
                Assert.All(r.Scopes, scope => Assert.DoesNotContain(secret, scope?.ToString() ?? string.Empty, StringComparison.Ordinal));
            });
            Assert.All(metrics, tag => Assert.DoesNotContain(secret, tag, StringComparison.Ordinal));
        });

        // Assert: and none at rest in the database (the credentials are encrypted, errors were masked before they were stored).
        SqliteConnection.ClearAllPools();
        var raw = await File.ReadAllBytesAsync(h.DatabasePath);
        var text = System.Text.Encoding.UTF8.GetString(raw) + System.Text.Encoding.UTF8.GetString(File.Exists(h.DatabasePath + "-wal") ? await File.ReadAllBytesAsync(h.DatabasePath + "-wal") : []);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteSignInAsync_StateAndPkce_ConnectsOnceAndRejectsReplay()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.Client.CreateConnectionAsync(SyncHarness.Tenant, "inmemory");
        var authorize = await h.Client.BeginSignInAsync(SyncHarness.Tenant, connection.Id, new Uri("https://app.example.test/crm/callback"));
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);

        // Act
        var connected = await h.Client.CompleteSignInAsync(query["state"]!, "code-123");
        var replay = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CompleteSignInAsync(query["state"]!, "code-123"));

        // Assert
        Assert.Equal(43, query["code_challenge"]!.Length);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.True(connected.HasCredentials);
        Assert.Equal("In-memory account", connected.AccountLabel);
        Assert.Contains("unknown, already used or expired", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteSignInAsync_ExpiredState_IsRejected()
    {
        // Arrange
        await using var h = SyncHarness.Create();
        var connection = await h.Client.CreateConnectionAsync(SyncHarness.Tenant, "inmemory");
        var authorize = await h.Client.BeginSignInAsync(SyncHarness.Tenant, connection.Id, new Uri("https://app.example.test/cb"));
        var state = System.Web.HttpUtility.ParseQueryString(authorize.Query)["state"]!;

        // Act
        h.Time.Advance(TimeSpan.FromMinutes(16));

        // Assert
        await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CompleteSignInAsync(state, "code"));
    }

    [Fact]
    public async Task CreateConnectionAsync_UnknownProvider_NamesRegisteredOnes()
    {
        // Arrange
        await using var h = SyncHarness.Create();

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.CreateConnectionAsync(SyncHarness.Tenant, "hubspott"));

        // Assert
        Assert.Contains("No CRM provider named 'hubspott' is registered. Registered: inmemory.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateConnectionAsync_NoSettings_UsesConfiguredDefaults()
    {
        // Arrange
        await using var h = SyncHarness.Create(o => o.DefaultConnectionSettings = new ConnectionSettings { ScheduleInterval = TimeSpan.FromHours(4), Direction = SyncDirection.Both });

        // Act
        var connection = await h.Client.CreateConnectionAsync(SyncHarness.Tenant, "inmemory");

        // Assert
        Assert.Equal(TimeSpan.FromHours(4), connection.Settings.ScheduleInterval);
        Assert.Equal(SyncDirection.Both, connection.Settings.Direction);
    }
}
