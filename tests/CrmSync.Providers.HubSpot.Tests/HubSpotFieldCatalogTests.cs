using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>The CRM's fields in the mapping editor and in the checks made when a mapping is saved, against the simulator.</summary>
public class HubSpotFieldCatalogTests
{
    private const string Tenant = HubSpotHarness.Tenant;

    [Fact]
    public async Task GetCrmFieldsAsync_Contacts_ListsPropertiesWithLabelsTypesAndWritability()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        h.Simulator.AddCustomProperty("contacts", "partner_tier", "Partner tier");

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.Equal(new CrmFieldInfo("jobtitle", "Job Title", CrmFieldType.Text, Writable: true), byName["jobtitle"] with { Options = [] });
        Assert.Equal(CrmFieldType.Email, byName["email"].Type);
        Assert.Equal(CrmFieldType.Phone, byName["phone"].Type);
        Assert.False(byName["createdate"].Writable);
        Assert.Equal(CrmFieldType.Enumeration, byName["lifecyclestage"].Type);
        Assert.Contains("customer", byName["lifecyclestage"].Options);
        Assert.True(byName["partner_tier"].Custom);
        Assert.Equal("Partner tier", byName["partner_tier"].Label);
        Assert.False(byName["email"].Custom);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_UnknownReadOnlyAndWrongValue_RefusedNamingEachEntryAndNothingSaved()
    {
        // Arrange: note 002's own example (a fixed lead_source, which HubSpot does not have) among other mistakes.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("lead_source", "Partner"))
            .With(FieldMappingEntry.Field("createdate", "created"))
            .With(FieldMappingEntry.Fixed("lifecyclestage", "Customer"))
            .With(FieldMappingEntry.Field("jobtitle", "title"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SaveFieldMappingAsync(Tenant, connection.Id, mapping));

        // Assert
        Assert.Equal(["Entries[0]", "Entries[1]", "Entries[2]"], ex.Errors.Select(e => e.Path));
        Assert.Contains("HubSpot has no field 'lead_source'", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("read-only", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("'Customer' is not one of them", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_FieldByLabel_SavedUnderApiNameAndSynced()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.ChooseStartingPointAsync(Tenant, connection.Id, StartingPoint.Skip);

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Job Title", "Founder")));
        await h.Client.EnqueueAsync(Tenant, [HubSpotHarness.Contact("c1")]);
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal("jobtitle", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal("Founder", Assert.Single(h.Simulator.GetRecords("contacts")).Properties["jobtitle"]);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_PropertyAddedInHubSpotAfterTheListWasCached_AcceptedWithoutWaiting()
    {
        // Arrange: the editor listed the fields, then an admin added a property in HubSpot.
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);
        h.Simulator.AddCustomProperty("contacts", "partner_tier", "Partner tier");

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("partner_tier", "Gold")));

        // Assert
        Assert.Equal("partner_tier", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_HubSpotNotResponding_SavedWithCrmSyncsOwnChecks()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var connection = await h.ConnectAsync();
        h.Simulator.SimulateOutage(true);

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("jobtitle", "Founder")));

        // Assert
        Assert.Equal("jobtitle", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
    }
}
