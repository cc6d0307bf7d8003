using CrmSync.Providers.Zoho.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>CrmSync's external-id field: found, or created once before the first write; the admin steps when Zoho refuses.</summary>
public sealed class ZohoExternalIdFieldTests
{
    private const string CreatedField = "CrmSync_External_Id";

    private static CrmRecordWrite Person(string externalId, IReadOnlyDictionary<string, string?>? mapped = null) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = "Lovelace",
            [CrmFieldNames.Email] = $"{externalId}@example.test",
        },
        MappedFields = mapped ?? new Dictionary<string, string?>(),
    };

    private static string? Text(ZohoStoredRecord record, string field) => record.Fields[field]?.GetValue<string>();

    [Fact]
    public async Task UpsertAsync_FieldMissing_CreatesItOnceAndWritesTheRecordsByIt()
    {
        // Arrange: a new organization without an external-id field
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var first = await h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2")]);
        var second = await h.Provider.UpsertAsync(context, [Person("c-3")]);

        // Assert
        Assert.All(first.Concat(second), r => Assert.True(r.Succeeded && r.Created));
        Assert.Equal(1, h.Sim.CreateFieldRequestCount);
        Assert.Equal(["c-1", "c-2", "c-3"], h.Sim.GetRecords("Contacts").Select(c => Text(c, CreatedField)));
        var field = Assert.Single(await h.Provider.GetFieldsAsync(context, CrmObjectType.Contact), f => f.Name == CreatedField);
        Assert.Equal(ZohoCrmProvider.ExternalIdFieldLabel, field.Label);
        Assert.True(field.Custom);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 4204);
    }

    [Fact]
    public async Task UpsertAsync_FieldCreated_SecondRecordWithSameIdUpdatesInsteadOfDuplicating()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        var created = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Act
        var again = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert: the created field refuses duplicates, so the upsert matches by it
        Assert.False(again[0].Created);
        Assert.Equal(created[0].CrmRecordId, again[0].CrmRecordId);
        Assert.Single(h.Sim.GetRecords("Contacts"));
    }

    [Fact]
    public async Task UpsertAsync_FieldAddedByAdminUnderTheLabel_UsesItWithoutCreating()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var apiName = h.Sim.AddUniqueTextField("Contacts", ZohoCrmProvider.ExternalIdFieldLabel);
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(0, h.Sim.CreateFieldRequestCount);
        Assert.Equal("c-1", Text(Assert.Single(h.Sim.GetRecords("Contacts")), apiName));
    }

    [Fact]
    public async Task UpsertAsync_DefaultExternalIdExists_UsesItWithoutCreating()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.ExternalIdFieldExists = true);
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.Equal(0, h.Sim.CreateFieldRequestCount);
        Assert.Equal("c-1", Text(Assert.Single(h.Sim.GetRecords("Contacts")), "External_Id"));
    }

    [Fact]
    public async Task UpsertAsync_UserMayNotCustomize_ThrowsPermissionDeniedWithAdminStepsBeforeAnyRecord()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.UserCanCustomize = false);
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal("NO_PERMISSION", ex.ErrorCode);
        Assert.StartsWith("Zoho CRM did not let CrmSync create its external-id field on Contacts (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Setup › Customization › Modules and Fields › Contacts › add a Single Line field 'CrmSync External Id'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'Do not allow duplicate values'; then click Retry.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("oauthtoken", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(h.Sim.GetRecords("Contacts"));
    }

    [Fact]
    public async Task UpsertAsync_RefusedThenAdminAddsField_NextUpsertSucceedsWithoutCreating()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.UserCanCustomize = false);
        var context = await ZohoProviderContractTests.SignInAsync(h);
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));
        var apiName = h.Sim.AddUniqueTextField("Contacts", ZohoCrmProvider.ExternalIdFieldLabel);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(1, h.Sim.CreateFieldRequestCount);
        Assert.Equal("c-1", Text(Assert.Single(h.Sim.GetRecords("Contacts")), apiName));
    }

    [Fact]
    public async Task UpsertAsync_SignInWithoutFieldCreateScope_ThrowsPermissionDeniedWithAdminSteps()
    {
        // Arrange: a connection made before CrmSync asked for ZohoCRM.settings.fields.CREATE
        await using var h = ZohoHarness.Create(provider: o => o.Scopes = "ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.settings.fields.READ,ZohoCRM.coql.READ");
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal("OAUTH_SCOPE_MISMATCH", ex.ErrorCode);
        Assert.Contains("'CrmSync External Id'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sim.GetRecords("Contacts"));
    }

    [Fact]
    public async Task SyncNowAsync_Refused_RunFailsWithAdminStepsAndRecordsStayQueuedUntilTheFieldExists()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.UserCanCustomize = false);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(ZohoHarness.Tenant, [ZohoHarness.Contact("c1"), ZohoHarness.Contact("c2")]);

        // Act
        var refused = await h.Client.SyncNowAsync(ZohoHarness.Tenant, connection.Id);
        h.Sim.AddUniqueTextField("Contacts", ZohoCrmProvider.ExternalIdFieldLabel);
        var runs = await h.SyncUntilDoneAsync(connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Failed, refused.Outcome);
        Assert.Equal(0, refused.Synced);
        Assert.Contains("Setup › Customization › Modules and Fields › Contacts", refused.Message, StringComparison.Ordinal);
        Assert.Equal(SyncRunOutcome.Success, runs[^1].Outcome);
        Assert.Equal(2, runs.Sum(r => r.Synced));
        Assert.Equal(2, h.Sim.GetRecords("Contacts").Count);
    }

    [Fact]
    public async Task UpsertAsync_HostChosenFieldMissing_FailsRecordsWithoutCreatingIt()
    {
        // Arrange
        await using var h = ZohoHarness.Create(provider: o => o.ExternalIdField = "SalesHive_Id");
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.Equal(CrmProblemType.UnknownField, results[0].ProblemType);
        Assert.Contains("no field 'SalesHive_Id'", results[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Sim.CreateFieldRequestCount);
        Assert.Empty(h.Sim.GetRecords("Contacts"));
    }

    [Fact]
    public async Task UpsertAsync_MappingWritesSystemField_FailsThatRecordWithoutSendingIt()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1", new Dictionary<string, string?> { ["Created_Time"] = "2020-01-01T00:00:00+00:00" }), Person("c-2")]);

        // Assert
        Assert.Equal(CrmProblemType.InvalidValue, results[0].ProblemType);
        Assert.Contains("'Created_Time'", results[0].Error, StringComparison.Ordinal);
        Assert.True(results[1].Succeeded);
        Assert.Equal("c-2", Text(Assert.Single(h.Sim.GetRecords("Contacts")), CreatedField));
    }

    [Fact]
    public async Task BuildAuthorizeUri_PushAndFetchOnly_AsksForFieldCreationOnlyWhenPushing()
    {
        // Arrange
        await using var h = ZohoHarness.Create();

        // Act
        var push = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("s", "c", ZohoHarness.RedirectUri, "us"));
        var fetch = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("s", "c", ZohoHarness.RedirectUri, "us") { ReadOnly = true });

        // Assert
        Assert.Contains("ZohoCRM.settings.fields.CREATE", Uri.UnescapeDataString(push.Query), StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE", Uri.UnescapeDataString(fetch.Query), StringComparison.Ordinal);
    }
}
