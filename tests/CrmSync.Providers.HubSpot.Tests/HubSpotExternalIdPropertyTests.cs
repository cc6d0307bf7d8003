using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>CrmSync's external-id property: created once per connection before the first write; the admin steps when HubSpot refuses.</summary>
public sealed class HubSpotExternalIdPropertyTests
{
    private const string Property = FieldMapping.DefaultExternalIdField;

    private static CrmRecordWrite Contact(string id) => HubSpotCrmProviderContractTests.ContactWrite(id);

    private static CrmProviderContext PrivateAppContext(HubSpotHarness h) =>
        h.Context(Guid.NewGuid(), new TestCredentials(h.Provider, new CrmCredentials { AccessToken = HubSpotHarness.PrivateAppToken }));

    /// <summary>A harness whose private-app token was created without <c>crm.schemas.contacts.write</c>.</summary>
    private static HubSpotHarness WithoutSchemaScope() =>
        HubSpotHarness.Create(simulator: o => o.PrivateAppTokenScopes[HubSpotHarness.PrivateAppToken] = HubSpotSimulator.SupportedScopes.Where(s => s != "crm.schemas.contacts.write").ToList());

    private static void AssertAdminSteps(CrmRequestFailedException ex)
    {
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal(403, ex.Status);
        Assert.StartsWith("HubSpot did not let CrmSync create its external-id property on contacts (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("so no contacts were sent.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect HubSpot and approve every permission it asks for (including crm.schemas.contacts.write)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"have a super admin create the property once: Settings › Data Management › Properties › Contact properties › Create property, label 'CrmSync external id', internal name {Property}, field type 'Single-line text', and tick 'Require unique values for this property'. Then click Retry.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HubSpotHarness.PrivateAppToken, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_PropertyMissing_CreatesItOnceAndWritesTheContacts()
    {
        // Arrange: a new portal without the property
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);

        // Act
        var first = await h.Provider.UpsertAsync(context, [Contact("c-1"), Contact("c-2")]);
        var second = await h.Provider.UpsertAsync(context, [Contact("c-3")]);

        // Assert
        Assert.All(first.Concat(second), r => Assert.True(r.Succeeded && r.Created, r.Error));
        Assert.Equal(1, h.Simulator.CreatePropertyRequestCount);
        Assert.Equal(["c-1", "c-2", "c-3"], h.Simulator.GetRecords("contacts").Select(c => c.Properties[Property]!).Order(StringComparer.Ordinal));
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == 1001);
    }

    [Fact]
    public async Task UpsertAsync_TokenWithoutSchemaScope_ThrowsPermissionDeniedWithAdminStepsBeforeAnyContact()
    {
        // Arrange
        await using var h = WithoutSchemaScope();
        var context = PrivateAppContext(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Contact("c-1"), Contact("c-2")]));

        // Assert
        AssertAdminSteps(ex);
        Assert.Equal("MISSING_SCOPES", ex.ErrorCode);
        Assert.Contains("(the connection was not granted the permission (scope) crm.schemas.contacts.write)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.GetRecords("contacts"));
        var refused = Assert.Single(h.Logs.GetSnapshot(), r => r.Id.Id == 1005);
        Assert.DoesNotContain(HubSpotHarness.PrivateAppToken, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_UserCannotEditProperties_ThrowsPermissionDeniedWithAdminStepsBeforeAnyContact()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        h.Simulator.SetUserCanEditProperties(false);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Contact("c-1")]));

        // Assert
        AssertAdminSteps(ex);
        Assert.Equal("USER_DOES_NOT_HAVE_PERMISSIONS", ex.ErrorCode);
        Assert.Contains("(the HubSpot user who connected it may not edit property settings)", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.GetRecords("contacts"));
        Assert.Equal(1, h.Simulator.CreatePropertyRequestCount);
    }

    [Fact]
    public async Task UpsertAsync_RefusedThenSuperAdminCreatesProperty_NextUpsertSyncsWithoutCreating()
    {
        // Arrange
        await using var h = WithoutSchemaScope();
        var context = PrivateAppContext(h);
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Contact("c-1")]));
        h.Simulator.AddCustomProperty("contacts", Property, HubSpotCrmProvider.ExternalIdPropertyLabel, hasUniqueValue: true);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Contact("c-1"), Contact("c-2")]);
        var again = await h.Provider.UpsertAsync(context, [Contact("c-1")]);

        // Assert
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error));
        Assert.False(again[0].Created);
        Assert.Equal(results[0].CrmRecordId, again[0].CrmRecordId);
        Assert.Equal(1, h.Simulator.CreatePropertyRequestCount);
        Assert.Equal(2, h.Simulator.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task UpsertAsync_RefusedThenPermissionGiven_NextUpsertCreatesThePropertyOnceAndSyncs()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        h.Simulator.SetUserCanEditProperties(false);
        await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Contact("c-1")]));
        h.Simulator.SetUserCanEditProperties(true);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Contact("c-1")]);
        var later = await h.Provider.UpsertAsync(context, [Contact("c-2")]);

        // Assert: one refused create, one that succeeded, none after
        Assert.True(results[0].Succeeded && later[0].Succeeded);
        Assert.Equal(2, h.Simulator.CreatePropertyRequestCount);
        Assert.Equal(2, h.Simulator.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task UpsertAsync_RefusedOnEngagementMarker_NamesTheCallProperty()
    {
        // Arrange: the contact property exists (the admin made it); the call marker does not and may not be created
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        var contact = await h.Provider.UpsertAsync(context, [Contact("c1")]);
        h.Simulator.SetUserCanEditProperties(false);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "n1", contact[0].CrmRecordId)]));

        // Assert: a marker needs no unique values
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Contains("Call properties › Create property", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Require unique values", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.GetRecords("calls"));
    }
}
