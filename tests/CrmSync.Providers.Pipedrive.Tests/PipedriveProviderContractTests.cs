using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The provider against the Pipedrive simulator over real HTTP.</summary>
public sealed class PipedriveProviderContractTests
{
    internal static CrmProviderContext Context(PipedriveHarness h, ConnectionSettings? settings = null, Guid? connectionId = null)
    {
        CrmProviderContext? context = null;
        var credentials = new TestCredentials(
            new CrmCredentials { ApiKey = h.Sim.ApiToken, InstanceUrl = h.Sim.BaseUrl.ToString() },
            rejected => h.Provider.RefreshAsync(context!, rejected));
        context = new CrmProviderContext(PipedriveHarness.Tenant, connectionId ?? Guid.NewGuid(), null, settings ?? new ConnectionSettings(), credentials);
        return context;
    }

    internal static CrmRecordWrite Person(string externalId, string? lastName = "Lovelace", string? knownId = null, string? owner = null, IReadOnlyDictionary<string, string?>? mapped = null) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = lastName is null ? null : "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = lastName is null ? null : $"{externalId}@example.test",
        },
        MappedFields = mapped ?? new Dictionary<string, string?>(),
        KnownCrmId = knownId,
        OwnerIdOnCreate = owner,
    };

    private static CrmRecordWrite Activity(CrmObjectType type, string externalId, string personId) => new()
    {
        ObjectType = type,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        ContactCrmId = personId,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.Subject] = "Intro call",
            [CrmFieldNames.Body] = "Talked <pricing>.",
            [CrmFieldNames.OccurredAt] = "2026-11-20T10:30:00Z",
            [CrmFieldNames.DurationSeconds] = "330",
        },
    };

    private static string? CustomValue(PipedriveStoredRecord person, string code) => person.Properties["custom_fields"]?[code]?.GetValue<string>();

    [Fact]
    public async Task UpsertAsync_NewContact_CreatesExternalIdFieldAndPerson()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();

        // Act
        var results = await h.Provider.UpsertAsync(Context(h), [Person("c-1", owner: "1002")]);

        // Assert
        var result = Assert.Single(results);
        Assert.True(result.Succeeded);
        Assert.True(result.Created);
        var field = Assert.Single(h.Sim.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
        Assert.Equal("SalesHive External ID", field.Properties["name"]!.GetValue<string>());
        var person = Assert.Single(h.Sim.GetRecords("persons"));
        Assert.Equal(result.CrmRecordId, person.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Ada Lovelace", person.Properties["name"]!.GetValue<string>());
        Assert.Equal("c-1@example.test", person.Properties["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("c-1", CustomValue(person, field.Properties["key"]!.GetValue<string>()));
        Assert.Equal(1002, person.OwnerId);
    }

    [Fact]
    public async Task UpsertAsync_SameContactWithoutKnownId_FindsAndUpdatesInsteadOfDuplicating()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var first = await h.Provider.UpsertAsync(Context(h), [Person("c-1", owner: "1002")]);

        // Act: another connection of the same company (no cached field code, no known id), new last name, another owner
        var second = await h.Provider.UpsertAsync(Context(h), [Person("c-1", lastName: "Byron", owner: "1001")]);

        // Assert
        Assert.False(second[0].Created);
        Assert.Equal(first[0].CrmRecordId, second[0].CrmRecordId);
        var person = Assert.Single(h.Sim.GetRecords("persons"));
        Assert.Equal("Ada Byron", person.Properties["name"]!.GetValue<string>());
        Assert.Equal(1002, person.OwnerId);
        Assert.Single(h.Sim.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UpsertAsync_KnownIdDeletedInPipedrive_CreatesThePersonAgain()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h);

        // Act: CrmSync believes person 999 is the record, but it does not exist
        var results = await h.Provider.UpsertAsync(context, [Person("c-1", knownId: "999")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.True(results[0].Created);
        Assert.Single(h.Sim.GetRecords("persons"));
    }

    [Fact]
    public async Task UpsertAsync_CallForPerson_CreatesDoneActivityLinkedThroughParticipants()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h);
        var person = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;

        // Act
        var results = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", person)]);

        // Assert
        Assert.True(results[0].Created);
        var activity = Assert.Single(h.Sim.GetRecords("activities")).Properties;
        Assert.Equal("call", activity["type"]!.GetValue<string>());
        Assert.Equal(long.Parse(person, System.Globalization.CultureInfo.InvariantCulture), activity["person_id"]!.GetValue<long>());
        Assert.True(activity["done"]!.GetValue<bool>());
        Assert.Equal("2026-11-20", activity["due_date"]!.GetValue<string>());
        Assert.Equal("10:30", activity["due_time"]!.GetValue<string>());
        Assert.Equal("00:06", activity["duration"]!.GetValue<string>());
        Assert.Contains("Talked &lt;pricing&gt;.", activity["note"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_MeetingWithKnownId_UpdatesTheActivity()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h);
        var person = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;
        var created = (await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Meeting, "m-1", person)]))[0].CrmRecordId!;

        // Act
        var updated = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Meeting, "m-1", person) with { KnownCrmId = created }]);

        // Assert
        Assert.False(updated[0].Created);
        Assert.Equal(created, updated[0].CrmRecordId);
        Assert.Equal("meeting", Assert.Single(h.Sim.GetRecords("activities")).Properties["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpsertAsync_EmailWithNotesOption_CreatesV1NoteOnPerson()
    {
        // Arrange
        await using var h = PipedriveHarness.Create(provider: o => o.LogEmailsAsNotes = true);
        var context = Context(h);
        var person = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;

        // Act
        var results = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Email, "mail-1", person)]);

        // Assert
        Assert.True(results[0].Created);
        var note = Assert.Single(h.Sim.GetRecords("notes")).Properties;
        Assert.Equal(long.Parse(person, System.Globalization.CultureInfo.InvariantCulture), note["person_id"]!.GetValue<long>());
        Assert.Contains("<b>Intro call</b>", note["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(h.Sim.GetRecords("activities"));
    }

    [Fact]
    public async Task UpsertAsync_ContactWithoutAnyName_FailsWithRequiredFieldMissing()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();

        // Act
        var results = await h.Provider.UpsertAsync(Context(h), [Person("c-1", lastName: null)]);

        // Assert
        Assert.False(results[0].Succeeded);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, results[0].ProblemType);
        Assert.Empty(h.Sim.GetRecords("persons"));
    }

    [Fact]
    public async Task UpsertAsync_MappedFieldThatDoesNotExist_FailsWithUnknownFieldPerRecord()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var mapped = new Dictionary<string, string?> { ["0123456789abcdef0123456789abcdef01234567"] = "x" };

        // Act
        var results = await h.Provider.UpsertAsync(Context(h), [Person("c-1", mapped: mapped), Person("c-2")]);

        // Assert
        Assert.Equal(CrmProblemType.UnknownField, results.Single(r => r.ExternalId == "c-1").ProblemType);
        Assert.Contains("does not exist", results.Single(r => r.ExternalId == "c-1").Error, StringComparison.Ordinal);
        Assert.True(results.Single(r => r.ExternalId == "c-2").Succeeded);
    }

    [Fact]
    public async Task UpsertAsync_FourRecords_WritesAllWithBoundedConcurrency()
    {
        // Arrange
        await using var h = PipedriveHarness.Create(provider: o => o.MaxConcurrency = 4);

        // Act
        var results = await h.Provider.UpsertAsync(Context(h), [Person("a"), Person("b"), Person("c"), Person("d")]);

        // Assert
        Assert.Equal(4, h.Provider.Capabilities.MaxBatchSize);
        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(["a", "b", "c", "d"], results.Select(r => r.ExternalId));
        Assert.Equal(4, h.Sim.GetRecords("persons").Count);
    }

    [Fact]
    public async Task UpsertAsync_BurstLimitHit_ThrowsRateLimitedWithTheResetWindow()
    {
        // Arrange: Pipedrive's window is already full (another app of the company used it)
        await using var h = PipedriveHarness.Create();
        h.Sim.SetBurstLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(Context(h), [Person("c-1")]));

        // Assert: the 429's Retry-After (Pipedrive's 10-second penalty) wins over the window's x-ratelimit-reset
        Assert.False(ex.IsDailyLimit);
        Assert.Equal("BURST", ex.PolicyName);
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_DailyTokensSpent_ThrowsDailyLimitUntilUtcMidnight()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.SetDailyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(Context(h), [Person("c-1")]));

        // Assert: 09:00 → midnight UTC is 15 hours away
        Assert.True(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromHours(15), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_HtmlBlockPageAfterRepeated429s_IsThrottlingNotRevocation()
    {
        // Arrange: every request is over the limit; the second 429 in a minute triggers the Cloudflare block page
        await using var h = PipedriveHarness.Create(simulator: o => o.AbuseThreshold = 2);
        h.Sim.SetBurstLimit(0);
        var context = Context(h);
        // (each 429 carries Retry-After: 10, which the provider honours before it sends again)
        await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));
        h.Time.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));
        h.Time.Advance(TimeSpan.FromSeconds(11));

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.Equal("BLOCKED", ex.PolicyName);
        Assert.Equal(TimeSpan.FromMinutes(10), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_BudgetFull_PausesBeforePipedriveAnswers429()
    {
        // Arrange: the proactive budget allows 3 requests per window (searches have their own) and may not wait
        await using var h = PipedriveHarness.Create(simulator: o => o.BurstLimit = 4, provider: o =>
        {
            o.RequestBudget.BurstLimit = 3;
            o.RequestBudget.MaxWait = TimeSpan.Zero;
        });
        var context = Context(h);

        // Act: field lookup, field creation and the person create fill the window; the next record's search passes, its create must wait
        await h.Provider.UpsertAsync(context, [Person("c-1")]);
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-2")]));

        // Assert: paused by CrmSync, not by a 429 from Pipedrive
        Assert.Equal("BUDGET", ex.PolicyName);
        Assert.Equal(5, h.Sim.RequestCount);
        Assert.Single(h.Sim.GetRecords("persons"));
        Assert.Equal(3, h.Provider.RequestBudget.GetUsage(context.ConnectionId).BurstUsed);
    }

    [Fact]
    public async Task UpsertAsync_ServiceOutage_ThrowsProviderUnavailableWithRetryAfter()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.SimulateOutage(true);

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(Context(h), [Person("c-1")]));

        // Assert
        Assert.Equal(503, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_ApiTokenRevoked_ThrowsAuthRevokedWithoutTheToken()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.RevokeAllTokens();

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.UpsertAsync(Context(h), [Person("c-1")]));

        // Assert
        Assert.Contains("API token", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Sim.ApiToken, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_LostResponseOnActivityCreate_RetryFindsItInsteadOfDuplicating()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h);
        var person = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;
        h.Sim.LoseNextResponses(1);
        await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", person)]));

        // Act
        var retry = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", person)]);

        // Assert
        var stored = Assert.Single(h.Sim.GetRecords("activities"));
        Assert.False(retry[0].Created);
        Assert.Equal(stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), retry[0].CrmRecordId);
    }

    [Fact]
    public async Task GetUsersAsync_Simulator_ReturnsActiveUsersForTheOwnerPicker()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();

        // Act
        var users = await h.Provider.GetUsersAsync(Context(h));

        // Assert
        Assert.Equal(["1001", "1002"], users.Select(u => u.Id).Order(StringComparer.Ordinal));
        Assert.Contains(users, u => u.Name == "Sam Seller" && u.Email == "sam@acme.example");
    }

    [Fact]
    public async Task GetRecordLink_AfterACall_OpensThePersonOnTheCompanyDomain()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h);
        var before = h.Provider.GetRecordLink(context, CrmObjectType.Contact, "42");
        await h.Provider.GetUsersAsync(context);

        // Act
        var link = h.Provider.GetRecordLink(context, CrmObjectType.Contact, "42");

        // Assert
        Assert.Equal(new Uri("https://app.pipedrive.com/person/42"), before);
        Assert.Equal(new Uri(h.Sim.BaseUrl, "person/42"), link);
        Assert.Null(h.Provider.GetRecordLink(context, CrmObjectType.Call, "7"));
    }

    [Fact]
    public async Task Capabilities_Pipedrive_DescribeOneRecordPerRequestWithUsersAndLinks()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();

        // Act
        var capabilities = h.Provider.Capabilities;

        // Assert
        Assert.False(capabilities.NativeUpsert);
        Assert.True(capabilities.CanListUsers);
        Assert.True(capabilities.RecordDeepLinks);
        Assert.True(capabilities.OAuth);
        Assert.Empty(capabilities.Datacenters);
    }
}
