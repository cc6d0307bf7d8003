using CrmSync.Providers.Pipedrive.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>CrmSync's external-id person field: created once per connection before the first write; the admin steps when Pipedrive refuses.</summary>
public sealed class PipedriveExternalIdFieldTests
{
    /// <summary>The harness's product is "SalesHive", so the field is "SalesHive External ID".</summary>
    private const string FieldName = "SalesHive External ID";

    private static CrmRecordWrite Person(string id) => PipedriveProviderContractTests.Person(id);

    private static CrmProviderContext Context(PipedriveHarness h, Guid connectionId) => PipedriveProviderContractTests.Context(h, connectionId: connectionId);

    private static string? CustomValue(PipedriveStoredRecord person, string code) => person.Properties["custom_fields"]?[code]?.GetValue<string>();

    private static async Task<CrmProviderContext> SignInAsync(PipedriveHarness h)
    {
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", new string('c', 43), PipedriveHarness.RedirectUri, null));
        var (code, _) = await PipedriveHarness.FollowConsentAsync(authorize, "allow");
        var signedIn = await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, new string('v', 43), PipedriveHarness.RedirectUri, null));
        return new CrmProviderContext(PipedriveHarness.Tenant, Guid.NewGuid(), null, new ConnectionSettings(), new TestCredentials(signedIn.Credentials));
    }

    [Fact]
    public async Task UpsertAsync_FieldMissing_CreatesItOncePerConnectionAndWritesThePersons()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var context = Context(h, Guid.NewGuid());

        // Act: two calls of several persons on one connection
        var first = await h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2"), Person("c-3")]);
        var second = await h.Provider.UpsertAsync(context, [Person("c-4")]);

        // Assert
        Assert.All(first.Concat(second), r => Assert.True(r.Succeeded && r.Created, r.Error));
        Assert.Equal(1, h.Sim.CreatePersonFieldRequestCount);
        var field = Assert.Single(h.Sim.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
        Assert.Equal(FieldName, field.Properties["name"]!.GetValue<string>());
        var key = field.Properties["key"]!.GetValue<string>();
        Assert.Equal(["c-1", "c-2", "c-3", "c-4"], h.Sim.GetRecords("persons").Select(p => CustomValue(p, key)!).Order(StringComparer.Ordinal));
        Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 4101);
    }

    [Fact]
    public async Task UpsertAsync_UserMayNotAddCustomFields_ThrowsPermissionDeniedWithAdminStepsBeforeAnyPerson()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.SetUserCanAddCustomFields(false);
        var context = Context(h, Guid.NewGuid());

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2"), Person("c-3")]));

        // Assert: one refused create, nothing written
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal(403, ex.Status);
        Assert.Equal("FORBIDDEN", ex.ErrorCode);
        Assert.Equal(
            $"Pipedrive did not let CrmSync create its external-id person field '{FieldName}' (the connected user's permission set does not allow adding custom fields), so no persons were sent. "
            + $"An admin can add it once: Company settings › Data fields › Person › Custom field, name '{FieldName}', field type 'Text'; "
            + "or give the connected user the 'Add custom fields' permission (Company settings › Manage users › Permission sets). Then click Retry.",
            ex.Message);
        Assert.DoesNotContain(h.Sim.ApiToken, ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sim.GetRecords("persons"));
        Assert.Equal(1, h.Sim.CreatePersonFieldRequestCount);
        var refused = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 4106);
        Assert.DoesNotContain(h.Sim.ApiToken, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_RefusedThenAdminAddsField_NextUpsertSyncsByItWithoutCreating()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.SetUserCanAddCustomFields(false);
        var context = Context(h, Guid.NewGuid());
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));
        var key = h.Sim.AddCustomPersonField(FieldName);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1"), Person("c-2")]);
        var again = await h.Provider.UpsertAsync(context, [Person("c-1")]);

        // Assert
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error));
        Assert.True(again[0].Succeeded);
        Assert.False(again[0].Created);
        Assert.Equal(1, h.Sim.CreatePersonFieldRequestCount);
        Assert.Equal(["c-1", "c-2"], h.Sim.GetRecords("persons").Select(p => CustomValue(p, key)!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpsertAsync_RefusedThenPermissionGiven_NextUpsertCreatesTheFieldOnceAndSyncs()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        h.Sim.SetUserCanAddCustomFields(false);
        var context = Context(h, Guid.NewGuid());
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));
        h.Sim.SetUserCanAddCustomFields(true);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Person("c-1")]);
        var later = await h.Provider.UpsertAsync(context, [Person("c-2")]);

        // Assert: the refused create and the one that succeeded; none after
        Assert.True(results[0].Succeeded && later[0].Succeeded);
        Assert.Equal(2, h.Sim.CreatePersonFieldRequestCount);
        Assert.Single(h.Sim.GetRecords("personFields"), f => f.Properties["edit_flag"]!.GetValue<bool>());
        Assert.Equal(2, h.Sim.GetRecords("persons").Count);
    }

    [Fact]
    public async Task UpsertAsync_SignInWithoutContactsFull_ThrowsPermissionDeniedAskingToReconnectBeforeAnyPerson()
    {
        // Arrange: the app's scopes give read-only access to contacts
        await using var h = PipedriveHarness.Create(simulator: o => o.GrantedScopes = "base contacts:read activities:full users:read");
        var context = await SignInAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Person("c-1")]));

        // Assert
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal("SCOPE_MISMATCH", ex.ErrorCode);
        Assert.StartsWith($"Pipedrive did not let CrmSync create its external-id person field '{FieldName}' (the app's sign-in was not granted contacts:full", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect Pipedrive and approve full access to contacts", ex.Message, StringComparison.Ordinal);
        Assert.Contains("then click Retry.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sim.GetRecords("persons"));
        Assert.Equal(0, h.Sim.CreatePersonFieldRequestCount);
    }
}
