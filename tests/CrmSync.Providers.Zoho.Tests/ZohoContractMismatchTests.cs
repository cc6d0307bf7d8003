using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>Places where the provider and the simulator once agreed on behaviour Zoho CRM v8 does not have.</summary>
public sealed class ZohoContractMismatchTests
{
    [Fact]
    public async Task FetchPageAsync_SignedInWithDefaultScopes_CoqlIsGranted()
    {
        // Arrange: COQL needs ZohoCRM.coql.READ; without it every import call gets OAUTH_SCOPE_MISMATCH.
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        h.Sim.SeedContact("Ada", "Lovelace", "ada@example.test");

        // Act
        var page = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact }, null, 10));

        // Assert
        Assert.Single(page.Records);
    }

    [Fact]
    public async Task FetchPageAsync_LargestPage_EveryCallCostsOneCredit()
    {
        // Arrange: a COQL LIMIT above 200 costs 2 credits.
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        h.Sim.SeedContact("Ada", "Lovelace", "ada@example.test");
        var before = h.Sim.GetUsage();

        // Act
        await h.Provider.FetchPageAsync(context, new CrmFetchRequest(new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact }, null, 1000));

        // Assert
        var after = h.Sim.GetUsage();
        Assert.True(after.Requests > before.Requests);
        Assert.Equal(after.Requests - before.Requests, after.Used - before.Used);
    }

    [Fact]
    public async Task UpsertAsync_LeadWithJobTitle_WritesDesignation()
    {
        // Arrange: Leads keep the job title in Designation; Title is a Contacts field.
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        var lead = new CrmRecordWrite
        {
            ObjectType = CrmObjectType.Lead,
            ExternalId = "lead-1",
            ExternalIdField = FieldMapping.DefaultExternalIdField,
            Fields = new Dictionary<string, string?>
            {
                [CrmFieldNames.LastName] = "Lovelace",
                [CrmFieldNames.Email] = "ada@example.test",
                [CrmFieldNames.Company] = "Analytical Engines",
                [CrmFieldNames.JobTitle] = "Countess",
            },
        };

        // Act
        var result = (await h.Provider.UpsertAsync(context, [lead]))[0];

        // Assert
        Assert.True(result.Succeeded, result.Error);
        var stored = Assert.Single(h.Sim.GetStoredRecords("Leads"));
        Assert.Equal("Countess", stored.Properties["Designation"]);
        Assert.False(stored.Properties.ContainsKey("Title"));
    }

    [Fact]
    public async Task UpsertAsync_RecordWithSeveralErrors_FailsWithTheFirstProblemAndExplainsEach()
    {
        // Arrange: no last name and a malformed email → MULTIPLE_OR_MULTI_ERRORS.
        await using var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        var contact = new CrmRecordWrite
        {
            ObjectType = CrmObjectType.Contact,
            ExternalId = "c-bad",
            ExternalIdField = FieldMapping.DefaultExternalIdField,
            Fields = new Dictionary<string, string?> { [CrmFieldNames.FirstName] = "Ada", [CrmFieldNames.Email] = "not-an-email" },
        };

        // Act
        var result = (await h.Provider.UpsertAsync(context, [contact]))[0];

        // Assert
        Assert.False(result.Succeeded);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, result.ProblemType);
        Assert.Contains("Last_Name", result.Error, StringComparison.Ordinal);
        Assert.Contains("email address", result.Error, StringComparison.Ordinal);
    }
}
