using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The provider against the Zoho simulator over real HTTP.</summary>
public sealed class ZohoProviderContractTests
{
    private const string Sam = "5725767000000411002";
    private const string Admin = "5725767000000411001";

    internal static async Task<CrmProviderContext> SignInAsync(ZohoHarness h, string datacenter = "us", ConnectionSettings? settings = null)
    {
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", "challenge", ZohoHarness.RedirectUri, datacenter));
        var query = await ZohoHarness.FollowConsentAsync(authorize);
        var result = await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(query["code"], "verifier", ZohoHarness.RedirectUri, datacenter));
        CrmProviderContext? context = null;
        var credentials = new TestCredentials(result.Credentials, rejected => h.Provider.RefreshAsync(context!, rejected));
        context = new CrmProviderContext(ZohoHarness.Tenant, Guid.NewGuid(), datacenter, settings ?? new ConnectionSettings(), credentials);
        return context;
    }

    private static CrmRecordWrite Person(string externalId, string? lastName = "Lovelace", string? email = null, string? owner = null, CrmObjectType type = CrmObjectType.Contact) => new()
    {
        ObjectType = type,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = email ?? $"{externalId}@example.test",
            [CrmFieldNames.Company] = "Analytical Engines",
            [CrmFieldNames.Status] = "Contacted",
        },
        OwnerIdOnCreate = owner,
    };

    private static CrmRecordWrite Activity(CrmObjectType type, string externalId, string contactId) => new()
    {
        ObjectType = type,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        ContactCrmId = contactId,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.Subject] = "Intro",
            [CrmFieldNames.Body] = "Talked about pricing.",
            [CrmFieldNames.OccurredAt] = "2026-11-20T10:30:00Z",
            [CrmFieldNames.EndsAt] = "2026-11-20T11:15:00Z",
            [CrmFieldNames.DurationSeconds] = "330",
        },
    };

    private static string Text(ZohoStoredRecord record, string field) => record.Fields[field]!.GetValue<string>();

    [Fact]
    public async Task UpsertAsync_ThreeNewContacts_UpsertsThemInOneCallByExternalId()
    {
        // Arrange: an org whose admin created External_Id; CrmSync checks it once per connection and module
        await using var h = ZohoHarness.Create(simulator: o => o.ExternalIdFieldExists = true);
        var context = await SignInAsync(h);
        var before = h.Sim.RequestCount;

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2"), Person("c-3")]);

        // Assert: the field check and one upsert
        Assert.Equal(2, h.Sim.RequestCount - before);
        Assert.Equal(0, h.Sim.CreateFieldRequestCount);
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created));
        var contacts = h.Sim.GetRecords("Contacts");
        Assert.Equal(["c-1", "c-2", "c-3"], contacts.Select(c => Text(c, "External_Id")));
        Assert.Equal(results.Select(r => r.CrmRecordId), contacts.Select(c => c.Id));
        Assert.Equal("Lovelace", Text(contacts[0], "Last_Name"));
        Assert.Empty(h.Sim.GetRecords("Leads"));
    }

    [Fact]
    public async Task UpsertAsync_SameExternalIdAgain_UpdatesTheRecordInsteadOfDuplicating()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        var first = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Act
        var second = await h.Provider.UpsertAsync(context, [Person("c-1", lastName: "Byron")]);

        // Assert
        Assert.False(second[0].Created);
        Assert.Equal(first[0].CrmRecordId, second[0].CrmRecordId);
        Assert.Equal("Byron", Text(Assert.Single(h.Sim.GetRecords("Contacts")), "Last_Name"));
    }

    [Fact]
    public async Task UpsertAsync_LeadsModuleSetting_WritesLeadsWithCompanyAndStatus()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var settings = new ConnectionSettings { ProviderSettings = new Dictionary<string, string> { [ZohoCrmProvider.ModuleSetting] = "Leads" } };
        var context = await SignInAsync(h, settings: settings);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        var lead = Assert.Single(h.Sim.GetRecords("Leads"));
        Assert.Equal("Analytical Engines", Text(lead, "Company"));
        Assert.Equal("Contacted", Text(lead, "Lead_Status"));
        Assert.Empty(h.Sim.GetRecords("Contacts"));
        Assert.Equal(new Uri($"https://crm.zoho.com/crm/tab/Leads/{lead.Id}"), h.Provider.GetRecordLink(context, CrmObjectType.Contact, lead.Id));
    }

    [Fact]
    public async Task UpsertAsync_MixedBatch_GivesEachRecordItsOwnPlainOutcome()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("ok"), Person("no-name", lastName: null), Person("bad-mail", email: "not-an-email")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, results[1].ProblemType);
        Assert.Contains("'Last_Name'", results[1].Error, StringComparison.Ordinal);
        Assert.Equal(CrmProblemType.InvalidEmail, results[2].ProblemType);
        Assert.Equal("ok", Text(Assert.Single(h.Sim.GetRecords("Contacts")), "CrmSync_External_Id"));
    }

    [Fact]
    public async Task UpsertAsync_OwnerGiven_AppliesItOnCreateButNeverOnUpdate()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        await h.Provider.UpsertAsync(context, [Person("c-1", owner: Sam)]);

        // Act: the same record again, unknown to CrmSync, with another owner
        var again = await h.Provider.UpsertAsync(context, [Person("c-1", owner: Admin)]);

        // Assert
        Assert.False(again[0].Created);
        Assert.Equal(Sam, Assert.Single(h.Sim.GetRecords("Contacts")).OwnerId);
    }

    [Fact]
    public async Task UpsertAsync_ExternalIdFieldMissingInZoho_FailsEveryRecordWithHowToCreateIt()
    {
        // Arrange
        await using var h = ZohoHarness.Create(provider: o => o.ExternalIdField = "SalesHive_Id");
        var context = await SignInAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2")]);

        // Assert
        Assert.All(results, r =>
        {
            Assert.Equal(CrmProblemType.UnknownField, r.ProblemType);
            Assert.Contains("SalesHive_Id", r.Error, StringComparison.Ordinal);
        });
        Assert.Empty(h.Sim.GetRecords("Contacts"));
    }

    [Fact]
    public async Task UpsertAsync_ActivitiesOfAContact_BecomeNotesCallsAndEventsLinkedToIt()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;

        // Act
        var email = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Email, "mail-1", contact)]);
        var call = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", contact)]);
        var meeting = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Meeting, "meet-1", contact)]);

        // Assert
        Assert.True(email[0].Created && call[0].Created && meeting[0].Created);
        var note = Assert.Single(h.Sim.GetRecords("Notes"));
        Assert.Equal(contact, note.Fields["Parent_Id"]!["id"]!.GetValue<string>());
        var storedCall = Assert.Single(h.Sim.GetRecords("Calls"));
        Assert.Equal(contact, storedCall.Fields["Who_Id"]!["id"]!.GetValue<string>());
        Assert.Equal("2026-11-20T10:30:00+00:00", Text(storedCall, "Call_Start_Time"));
        Assert.Equal("05:30", Text(storedCall, "Call_Duration"));
        var storedEvent = Assert.Single(h.Sim.GetRecords("Events"));
        Assert.Equal("2026-11-20T11:15:00+00:00", Text(storedEvent, "End_DateTime"));
        Assert.Equal(contact, storedEvent.Fields["Participants"]![0]!["participant"]!.GetValue<string>());
        Assert.Equal(new Uri($"https://crm.zoho.com/crm/tab/Calls/{storedCall.Id}"), h.Provider.GetRecordLink(context, CrmObjectType.Call, storedCall.Id));
    }

    [Fact]
    public async Task UpsertAsync_CallForALead_LinksThroughWhatIdAndSeModule()
    {
        // Arrange
        await using var h = ZohoHarness.Create(provider: o => o.ContactModule = "Leads");
        var context = await SignInAsync(h);
        var lead = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;

        // Act
        var results = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", lead)]);

        // Assert
        Assert.True(results[0].Succeeded);
        var call = Assert.Single(h.Sim.GetRecords("Calls"));
        Assert.Equal(lead, call.Fields["What_Id"]!["id"]!.GetValue<string>());
        Assert.Equal("Leads", Text(call, "$se_module"));
    }

    [Fact]
    public async Task UpsertAsync_KnownActivity_UpdatesItByIdInsteadOfInserting()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;
        var created = (await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", contact)]))[0].CrmRecordId!;

        // Act
        var updated = await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "call-1", contact) with { KnownCrmId = created }]);

        // Assert
        Assert.False(updated[0].Created);
        Assert.Equal(created, updated[0].CrmRecordId);
        Assert.Single(h.Sim.GetRecords("Calls"));
    }

    [Theory]
    [InlineData(CrmObjectType.Meeting, "Events")]
    [InlineData(CrmObjectType.Call, "Calls")]
    public async Task UpsertAsync_LostInsertAnswer_RetryFindsTheActivityOnTheContactsV8RelatedLists(CrmObjectType type, string module)
    {
        // Arrange: v8 lists a contact's calls and meetings on Activities / Activities_History, not on Calls or Events
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Person("c-1")]))[0].CrmRecordId!;
        h.Sim.LoseNextResponses(1);
        await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [Activity(type, "a-1", contact), Activity(type, "a-2", contact)]));

        // Act
        var retry = await h.Provider.UpsertAsync(context, [Activity(type, "a-1", contact), Activity(type, "a-2", contact)]);

        // Assert
        Assert.All(retry, r => Assert.True(r.Succeeded, r.Error));
        Assert.All(retry, r => Assert.False(r.Created));
        Assert.Equal(2, h.Sim.GetRecords(module).Count);
    }

    [Fact]
    public async Task UpsertAsync_TooManyRequests_ThrowsRateLimitedWithTheThrottleDelay()
    {
        // Arrange
        await using var h = ZohoHarness.Create(provider: o => o.ThrottleDelay = TimeSpan.FromSeconds(7));
        var context = await SignInAsync(h);
        h.Sim.SetConcurrencyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.Equal("TOO_MANY_REQUESTS", ex.PolicyName);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_CreditsExhausted_ThrowsDailyLimit()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        h.Sim.SetDailyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal("LIMIT_EXCEEDED", ex.PolicyName);
        Assert.True(ex.RetryAfter > TimeSpan.FromHours(23));
    }

    [Fact]
    public async Task UpsertAsync_CreditBudget_PausesBeforeZohoRunsOut()
    {
        // Arrange: 4 credits a day; the external-id field check costs 1 and a write of 25 records 3
        await using var h = ZohoHarness.Create(simulator: o => o.ExternalIdFieldExists = true, provider: o =>
        {
            o.RequestBudget.DailyLimit = 4;
            o.RequestBudget.MaxWait = TimeSpan.Zero;
        });
        var context = await SignInAsync(h);
        await h.Provider.UpsertAsync(context, Enumerable.Range(0, 25).Select(i => Person($"c-{i}")).ToList());
        var before = h.Sim.RequestCount;

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Person("c-99")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal(before, h.Sim.RequestCount);
    }

    [Fact]
    public async Task UpsertAsync_ServiceOutage_ThrowsProviderUnavailable()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        h.Sim.SimulateOutage(true);

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.Equal(503, ex.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_ExpiredToken_RefreshesOnceAndSucceeds()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);
        h.Sim.ExpireAccessTokens();

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(1, ((TestCredentials)context.Credentials).Refreshes);
    }

    [Fact]
    public async Task GetUsersAsync_Simulator_ReturnsActiveUsersOnly()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await SignInAsync(h);

        // Act
        var users = await h.Provider.GetUsersAsync(context);

        // Assert
        Assert.Equal([Admin, Sam], users.Select(u => u.Id).Order(StringComparer.Ordinal));
        Assert.Contains(users, u => u.Email == "sam@acme.example");
    }

    [Fact]
    public async Task Capabilities_Zoho_OfferFiveDatacentersInPickerOrder()
    {
        // Arrange
        await using var h = ZohoHarness.Create();

        // Act
        var capabilities = h.Provider.Capabilities;

        // Assert
        Assert.Equal(["us", "eu", "in", "au", "jp"], capabilities.Datacenters.Select(d => d.Id));
        Assert.Equal(["United States", "Europe", "India", "Australia", "Japan"], capabilities.Datacenters.Select(d => d.DisplayName));
        Assert.Equal(100, capabilities.MaxBatchSize);
        Assert.True(capabilities.NativeUpsert && capabilities.OAuth && capabilities.CanListUsers && capabilities.RecordDeepLinks);
    }
}

/// <summary>Credentials for provider-level contract tests: the current set, and a refresh through the provider that counts calls.</summary>
internal sealed class TestCredentials(CrmCredentials initial, Func<CrmCredentials, Task<CrmCredentials>> refresh) : ICrmCredentialAccessor
{
    private CrmCredentials _current = initial;
    private int _refreshes;

    public int Refreshes => Volatile.Read(ref _refreshes);

    public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _current));

    public async Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _refreshes);
        var fresh = await refresh(rejected);
        Volatile.Write(ref _current, fresh);
        return fresh;
    }
}
