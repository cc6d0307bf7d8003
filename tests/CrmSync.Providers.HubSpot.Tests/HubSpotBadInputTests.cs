using System.Net.Http.Headers;
using System.Net.Http.Json;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>
/// Bad input end to end (SQLite store, HubSpot provider over HTTP, simulator): each bad record is sent among good ones and
/// must end in a clear error naming what is wrong — in the failure ledger or refused up front — while every good record
/// syncs exactly once and the next run is not blocked.
/// </summary>
public class HubSpotBadInputTests
{
    private const string Tenant = HubSpotHarness.Tenant;
    private const string ExternalId = "crmsync_external_id";

    [Fact]
    public async Task SyncNowAsync_ContactWithoutEmail_SyncsBecauseHubSpotDoesNotRequireOne()
    {
        // Arrange: HubSpot creates contacts without an email (it recommends email, firstname or lastname, and requires none).
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var noEmail = new CrmChange(CrmObjectType.Contact, "bad", new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Grace",
            [CrmFieldNames.LastName] = "Hopper",
        });
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords(noEmail));

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal((7, 0), (run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        var stored = Assert.Single(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "bad");
        Assert.Null(stored.Properties.GetValueOrDefault("email"));
        Assert.Equal("Hopper", stored.Properties["lastname"]);
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_InvalidEmailAmongGoodRecords_FailsOnlyThatRecordNamingTheEmail()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords(HubSpotHarness.Contact("bad", email: "not-an-email")));

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal((6, 1), (run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        var error = await AssertFailedAsync(h, connection.Id, CrmProblemType.InvalidEmail);
        Assert.Contains("email address", error, StringComparison.Ordinal);
        Assert.Contains("not-an-email", error, StringComparison.Ordinal);
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_100KbTextValue_FailsOnlyThatRecordNamingThePropertyAndLimit()
    {
        // Arrange: HubSpot's documented limit for a string property is 65,536 characters.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var huge = new string('x', 100 * 1024);
        var bad = WithField(HubSpotHarness.Contact("bad"), CrmFieldNames.JobTitle, huge);
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords(bad));

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal((6, 1), (run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        var error = await AssertFailedAsync(h, connection.Id, CrmProblemType.InvalidValue);
        Assert.Contains("jobtitle", error, StringComparison.Ordinal);
        Assert.Contains("102400 characters long; the maximum is 65536", error, StringComparison.Ordinal);
        Assert.True(error.Length < 2000, $"The error should not echo the value; it is {error.Length} characters long.");
        Assert.DoesNotContain(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "bad");
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    [Fact]
    public async Task SyncNowAsync_ControlCharactersAndEmojiInNames_StoredExactlyAsSent()
    {
        // Arrange: HubSpot documents no rule for control characters in text properties, so CrmSync sends them as they are
        // and the simulator stores them verbatim; emoji (surrogate pairs, a ZWJ sequence) must round-trip intact.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        const string FirstName = "Zo\u00eb \ud83d\ude80\ud83d\udc69\u200d\ud83d\udcbb";
        const string LastName = "Bell\u0000\u0007 \ud83c\udf89";
        var odd = new CrmChange(CrmObjectType.Contact, "bad", new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = FirstName,
            [CrmFieldNames.LastName] = LastName,
            [CrmFieldNames.Email] = "zoe@example.test",
        });
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords(odd));

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal((7, 0), (run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        var stored = Assert.Single(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "bad");
        Assert.Equal(FirstName, stored.Properties["firstname"]);
        Assert.Equal(LastName, stored.Properties["lastname"]);
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_FixedTextForNumberProperty_RefusedNamingPropertyAndValue()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await CreateNumberPropertyAsync(h, "seats");

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() =>
            h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("seats", "lots"))));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal("Entries[0]", error.Path);
        Assert.Contains("(seats)", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds a number; 'lots' is not one", error.Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords());
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal((SyncRunOutcome.Success, 6), (run.Outcome, run.Synced));
        AssertGoodRecordsSyncedOnce(h);
    }

    [Fact]
    public async Task SyncNowAsync_HostValueNotANumberForMappedNumberProperty_FailsOnlyThatRecordNamingTheProperty()
    {
        // Arrange: the mapping is right (a host field to a number property); one record's value is not a number.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await CreateNumberPropertyAsync(h, "seats");
        await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Field("seats", "seatCount")));
        var bad = WithField(HubSpotHarness.Contact("bad"), "seatCount", "lots");
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords(bad, seats: "12"));

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Warning, run.Outcome);
        Assert.Equal((6, 1), (run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        Assert.All(h.Simulator.GetRecords("contacts"), c => Assert.Equal("12", c.Properties["seats"]));
        var error = await AssertFailedAsync(h, connection.Id, CrmProblemType.InvalidValue);
        Assert.Contains("seats", error, StringComparison.Ordinal);
        Assert.Contains("lots", error, StringComparison.Ordinal);
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_HostFieldToUnknownProperty_RefusedNamingItAndSyncUnaffected()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() =>
            h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Field("shoe_size", "shoeSize"))));

        // Assert
        var error = Assert.Single(ex.Errors);
        Assert.Equal("Entries[0]", error.Path);
        Assert.Contains("HubSpot has no field 'shoe_size'", error.Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords());
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);
        Assert.Equal((SyncRunOutcome.Success, 6), (run.Outcome, run.Synced));
        AssertGoodRecordsSyncedOnce(h);
    }

    [Fact]
    public async Task SyncNowAsync_MappingToUnknownPropertySavedWhileHubSpotWasDown_EachContactFailsNamingIt()
    {
        // Arrange: saved with CrmSync's own checks because HubSpot could not be asked; the mapping applies to every contact.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        h.Simulator.SimulateOutage(true);
        await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("shoe_size", "42")));
        h.Simulator.SimulateOutage(false);
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords());

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert: the run finishes, every contact is failed naming the property, the call waits for its contact.
        Assert.Equal(5, run.Failed);
        var failures = (await h.Client.GetRecentActivityAsync(Tenant, connection.Id)).Where(a => a.Outcome == SyncActivityOutcome.Failed).ToList();
        Assert.Equal(5, failures.Count);
        Assert.All(failures, f => Assert.Contains("shoe_size", f.Error, StringComparison.Ordinal));
        var summary = await h.Client.GetLast24HoursAsync(Tenant, connection.Id);
        Assert.Contains(summary.Problems, p => p.Explanation.Type == CrmProblemType.UnknownField && p.Count == 5);
        Assert.Empty(h.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task GetConnectionAndSyncNowAsync_UnknownTenantOrConnection_KeyNotFoundNamingTheIdsAndOtherTenantsUnaffected()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var other = await h.Client.ConnectAsync("tenant-b", HubSpotCrmProvider.ProviderName, new CrmCredentials { AccessToken = HubSpotHarness.PrivateAppToken }, "Private app");
        await h.Client.ChooseStartingPointAsync("tenant-b", other.Id, StartingPoint.Skip);
        await h.Client.EnqueueAsync(Tenant, WithGoodRecords());
        await h.Client.EnqueueAsync("tenant-b", HubSpotHarness.Contact("b-1"));
        var unknownId = Guid.NewGuid();

        // Act
        var unknownTenant = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.GetConnectionAsync("tenant-nobody", connection.Id));
        var unknownConnection = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.GetConnectionAsync(Tenant, unknownId));
        var syncUnknownTenant = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.SyncNowAsync("tenant-nobody", connection.Id));
        var syncUnknownConnection = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.SyncNowAsync(Tenant, unknownId));
        var syncOtherTenantsConnection = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Client.SyncNowAsync("tenant-b", connection.Id));
        var runA = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var runB = await h.Client.SyncNowAsync("tenant-b", other.Id);

        // Assert
        Assert.Equal($"Connection {connection.Id} does not exist for tenant 'tenant-nobody'.", unknownTenant.Message);
        Assert.Equal($"Connection {unknownId} does not exist for tenant '{Tenant}'.", unknownConnection.Message);
        Assert.Equal(unknownTenant.Message, syncUnknownTenant.Message);
        Assert.Equal(unknownConnection.Message, syncUnknownConnection.Message);
        Assert.Equal($"Connection {connection.Id} does not exist for tenant 'tenant-b'.", syncOtherTenantsConnection.Message);
        Assert.Equal((SyncRunOutcome.Success, 6), (runA.Outcome, runA.Synced));
        Assert.Equal((SyncRunOutcome.Success, 1), (runB.Outcome, runB.Synced));
        AssertGoodRecordsSyncedOnce(h);
        Assert.Single(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "b-1");
    }

    [Fact]
    public async Task EnqueueAsync_UnknownTenantOrConnection_NotRoutedAndTheRestAccepted()
    {
        // Arrange: a tenant exists only through its connections, so a change for a tenant (or aimed at a connection) that has
        // none is reported as not routed — the documented EnqueueResult — rather than thrown, and the rest of the batch is kept.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var aimedAtUnknown = HubSpotHarness.Contact("bad") with { ConnectionId = Guid.NewGuid() };

        // Act
        var unknownTenant = await h.Client.EnqueueAsync("tenant-nobody", WithGoodRecords());
        var mixed = await h.Client.EnqueueAsync(Tenant, WithGoodRecords(aimedAtUnknown));
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(new EnqueueResult(0, 0, 6), unknownTenant);
        Assert.Equal(new EnqueueResult(6, 0, 1), mixed);
        Assert.Equal((SyncRunOutcome.Success, 6, 0), (run.Outcome, run.Synced, run.Failed));
        AssertGoodRecordsSyncedOnce(h);
        Assert.DoesNotContain(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "bad");
        await AssertNextRunNotBlockedAsync(h, connection.Id);
    }

    /// <summary>Five good contacts with the bad one in the middle, then a call for the first good contact.</summary>
    private static List<CrmChange> WithGoodRecords(CrmChange? bad = null, string? seats = null)
    {
        var good = Enumerable.Range(1, 5).Select(i =>
        {
            var contact = HubSpotHarness.Contact($"good-{i}");
            return seats is null ? contact : WithField(contact, "seatCount", seats);
        }).ToList();
        var changes = good.Take(2).ToList();
        if (bad is not null)
        {
            changes.Add(bad);
        }

        changes.AddRange(good.Skip(2));
        changes.Add(HubSpotHarness.Activity(CrmObjectType.Call, "call-1", "good-1"));
        return changes;
    }

    private static CrmChange WithField(CrmChange change, string field, string value) =>
        new(change.ObjectType, change.SourceId, new Dictionary<string, string?>(change.Fields) { [field] = value });

    private static void AssertGoodRecordsSyncedOnce(HubSpotHarness h)
    {
        var contacts = h.Simulator.GetRecords("contacts");
        foreach (var id in Enumerable.Range(1, 5).Select(i => $"good-{i}"))
        {
            Assert.Single(contacts, c => c.Properties.GetValueOrDefault(ExternalId) == id);
        }

        var call = Assert.Single(h.Simulator.GetRecords("calls"));
        Assert.Equal("call-1", call.Properties[ExternalId]);
        var goodOne = contacts.Single(c => c.Properties.GetValueOrDefault(ExternalId) == "good-1");
        Assert.Equal(goodOne.Id, Assert.Single(call.Associations).ToObjectId);
    }

    /// <summary>Asserts "bad" is the one failed record, in the ledger and the last-24-hours problems; returns its message.</summary>
    private static async Task<string> AssertFailedAsync(HubSpotHarness h, Guid connectionId, CrmProblemType problem)
    {
        var activity = await h.Client.GetRecentActivityAsync(Tenant, connectionId);
        var failed = Assert.Single(activity, a => a.Outcome == SyncActivityOutcome.Failed);
        Assert.Equal("bad", failed.SourceId);
        Assert.False(string.IsNullOrWhiteSpace(failed.Error));
        var summary = await h.Client.GetLast24HoursAsync(Tenant, connectionId);
        Assert.Equal(problem, Assert.Single(summary.Problems).Explanation.Type);
        return failed.Error!;
    }

    private static async Task AssertNextRunNotBlockedAsync(HubSpotHarness h, Guid connectionId)
    {
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Client.EnqueueAsync(Tenant, HubSpotHarness.Contact("later"));
        var next = await h.Client.SyncNowAsync(Tenant, connectionId);
        Assert.Equal((SyncRunOutcome.Success, 1, 0), (next.Outcome, next.Synced, next.Failed));
        Assert.Single(h.Simulator.GetRecords("contacts"), c => c.Properties.GetValueOrDefault(ExternalId) == "later");
    }

    /// <summary>Creates a custom number property on contacts through HubSpot's properties API, as an admin would.</summary>
    private static async Task CreateNumberPropertyAsync(HubSpotHarness h, string name)
    {
        using var http = new HttpClient { BaseAddress = h.Simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", h.Simulator.IssueAccessToken());
        using var response = await http.PostAsJsonAsync("/crm/v3/properties/contacts", new
        {
            name,
            label = "Seats",
            type = "number",
            fieldType = "number",
            groupName = "contactinformation",
        });
        response.EnsureSuccessStatusCode();
    }
}
