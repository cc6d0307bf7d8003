using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The CRM's fields in the mapping editor and in the checks made when a mapping is saved, against the simulator.</summary>
public class ZohoFieldCatalogTests
{
    private const string Tenant = ZohoHarness.Tenant;

    [Fact]
    public async Task GetCrmFieldsAsync_Contacts_ListsFieldsWithLabelsTypesAndWritability()
    {
        // Arrange
        await using var h = ZohoHarness.Create(simulator: o => o.ExternalIdFieldExists = true);
        var connection = await h.ConnectAsync();

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.Equal(new CrmFieldInfo("Title", "Title", CrmFieldType.Text, Writable: true), byName["Title"] with { Options = [] });
        Assert.Equal(CrmFieldType.Email, byName["Email"].Type);
        Assert.Equal(CrmFieldType.Phone, byName["Mobile"].Type);
        Assert.Equal(CrmFieldType.Reference, byName["Account_Name"].Type);
        Assert.All(new[] { "Created_Time", "Modified_Time", "Created_By", "Modified_By" }, name => Assert.False(byName[name].Writable));
        Assert.Equal(CrmFieldType.DateTime, byName["Created_Time"].Type);
        Assert.True(byName["Last_Name"].Required);
        Assert.False(byName["First_Name"].Required);
        Assert.Equal(CrmFieldType.Enumeration, byName["Lead_Source"].Type);
        Assert.Contains("Cold Call", byName["Lead_Source"].Options);
        Assert.DoesNotContain("-None-", byName["Lead_Source"].Options);
        Assert.True(byName["External_Id"].Custom);
        Assert.False(byName["Email"].Custom);
        Assert.DoesNotContain("Company", byName.Keys);
    }

    [Fact]
    public async Task GetCrmFieldsAsync_LeadsConnection_ListsLeadFields()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync(settings: new ConnectionSettings { ProviderSettings = new Dictionary<string, string> { [ZohoCrmProvider.ModuleSetting] = "Leads" } });

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.Equal("Title", byName["Designation"].Label);
        Assert.Contains("Contacted", byName["Lead_Status"].Options);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_UnknownReadOnlyAndWrongValue_RefusedNamingEachEntryAndNothingSaved()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("Partner_Tier", "Gold"))
            .With(FieldMappingEntry.Field("Created_Time", "created"))
            .With(FieldMappingEntry.Fixed("Lead_Source", "Cold call"))
            .With(FieldMappingEntry.Field("Title", "title"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SaveFieldMappingAsync(Tenant, connection.Id, mapping));

        // Assert
        Assert.Equal(["Entries[0]", "Entries[1]", "Entries[2]"], ex.Errors.Select(e => e.Path));
        Assert.Contains("has no field 'Partner_Tier'", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Created Time' (Created_Time) is read-only", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("'Cold call' is not one of them", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_FieldByLabel_SavedUnderApiNameAndSynced()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Lead Source", "Trade Show")));
        await h.Client.EnqueueAsync(Tenant, [ZohoHarness.Contact("c1")]);
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal("Lead_Source", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal("Trade Show", Assert.Single(h.Sim.GetRecords("Contacts")).Fields["Lead_Source"]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveFieldMappingAsync_ZohoNotResponding_SavedWithCrmSyncsOwnChecks()
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();
        h.Sim.SimulateOutage(true);

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Title", "Founder")));

        // Assert
        Assert.Equal("Title", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
    }

    [Theory]
    [InlineData("Modified_Time")]
    [InlineData("Created_By")]
    [InlineData("Modified_By")]
    public async Task SaveFieldMappingAsync_SystemField_RefusedAsReadOnly(string field)
    {
        // Arrange
        await using var h = ZohoHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Field(field, "x"))));

        // Assert
        Assert.Contains($"({field}) is read-only", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }
}
