using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>The CRM's fields in the mapping editor and in the checks made when a mapping is saved, against the simulator.</summary>
public class SalesforceFieldCatalogTests
{
    private const string Tenant = SalesforceHarness.Tenant;

    [Fact]
    public async Task GetCrmFieldsAsync_Contacts_ListsDescribeFieldsWithLabelsTypesAndWritability()
    {
        // Arrange
        await using var h = SalesforceHarness.Create(simulator: o => o.CustomFields.Add("Partner_Tier__c"));
        var connection = await h.ConnectAsync();

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.Equal(new CrmFieldInfo("Title", "Title", CrmFieldType.Text, Writable: true), byName["Title"] with { Options = [] });
        Assert.Equal(CrmFieldType.Email, byName["Email"].Type);
        Assert.Equal(new CrmFieldInfo("Phone", "Business Phone", CrmFieldType.Phone, Writable: true), byName["Phone"]);
        Assert.Equal(CrmFieldType.Boolean, byName["HasOptedOutOfEmail"].Type);
        Assert.False(byName["CreatedDate"].Writable);
        Assert.Equal(CrmFieldType.DateTime, byName["CreatedDate"].Type);
        Assert.False(byName["Name"].Writable);
        Assert.True(byName["LastName"].Required);
        Assert.False(byName["OwnerId"].Required);
        Assert.Equal(CrmFieldType.Reference, byName["OwnerId"].Type);
        Assert.Equal(CrmFieldType.Enumeration, byName["LeadSource"].Type);
        Assert.Contains("Partner Referral", byName["LeadSource"].Options);
        Assert.True(byName["Partner_Tier__c"].Custom);
        Assert.Equal("Partner Tier", byName["Partner_Tier__c"].Label);
        Assert.False(byName["Email"].Custom);
        Assert.DoesNotContain("Company", byName.Keys);
    }

    [Fact]
    public async Task GetCrmFieldsAsync_LeadConnection_ListsLeadFields()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync(new ConnectionSettings { ProviderSettings = new Dictionary<string, string> { [SalesforceCrmProvider.ObjectSetting] = "Lead" } });

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.True(byName["Company"].Required);
        Assert.False(byName["Status"].Required);
        Assert.Contains("Working - Contacted", byName["Status"].Options);
        Assert.Equal(CrmFieldType.Text, byName["Website"].Type);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_UnknownReadOnlyAndWrongValue_RefusedNamingEachEntryAndNothingSaved()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("Lead_Source__c", "Partner"))
            .With(FieldMappingEntry.Field("CreatedDate", "created"))
            .With(FieldMappingEntry.Fixed("LeadSource", "Partner"))
            .With(FieldMappingEntry.Field("Title", "title"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SaveFieldMappingAsync(Tenant, connection.Id, mapping));

        // Assert
        Assert.Equal(["Entries[0]", "Entries[1]", "Entries[2]"], ex.Errors.Select(e => e.Path));
        Assert.Contains("Salesforce has no field 'Lead_Source__c'", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Created Date' (CreatedDate) is read-only", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("'Partner' is not one of them", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_FieldByLabel_SavedUnderApiNameAndSynced()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Lead Source", "Partner Referral")));
        await h.Client.EnqueueAsync(Tenant, [SalesforceHarness.Contact("c1")]);
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal("LeadSource", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal("Partner Referral", Assert.Single(h.Simulator.GetRecords("Contact")).Properties["LeadSource"]);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_SalesforceNotResponding_SavedWithCrmSyncsOwnChecks()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var connection = await h.ConnectAsync();
        h.Simulator.SimulateOutage(true);

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Title", "Founder")));

        // Assert
        Assert.Equal("Title", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
    }
}
