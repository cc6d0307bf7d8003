using CrmSync.Sdk;
using static CrmSync.Providers.Salesforce.Tests.SalesforceHarness;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>CrmSync creates its External ID field (Tooling API + field-level security) before the first write, or says what an admin must do.</summary>
public class SalesforceExternalIdFieldTests
{
    private const string Field = "CrmSync_External_Id__c";

    private const string AdminInstructions =
        "Salesforce did not let CrmSync create its external-id field on Contact (the connected user lacks the 'Customize Application' permission). "
        + "An admin can create it once: Setup › Object Manager › Contact › Fields & Relationships › New › Text (255), label 'CrmSync External Id', API name CrmSync_External_Id__c, "
        + "tick 'Unique' and 'External ID', and make it visible and editable for the connected user; then click Retry.";

    private static CrmRecordWrite Write(string id, string? externalIdField = null) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = id,
        ExternalIdField = externalIdField ?? FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = "Lovelace",
            [CrmFieldNames.Email] = $"{id}@example.test",
            [CrmFieldNames.Company] = "Acme",
        },
    };

    [Fact]
    public async Task SyncNowAsync_FieldMissing_CreatesFieldGrantsAccessAndSyncs()
    {
        // Arrange
        await using var h = Create();
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [Contact("c1"), Contact("c2")]);

        // Act
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        Assert.Equal(2, run.Synced);
        Assert.Equal(1, h.Simulator.ToolingRequestCount);
        using var http = new HttpClient { BaseAddress = h.Simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", h.Simulator.IssueAccessToken());
        var describe = await http.GetStringAsync("/services/data/v62.0/sobjects/Contact/describe");
        Assert.Contains("\"name\":\"CrmSync_External_Id__c\",\"label\":\"CrmSync External Id\"", describe, StringComparison.Ordinal);
        Assert.Equal(["c1", "c2"], h.Simulator.GetRecords("Contact").Select(r => r.Properties[Field]).Order().ToList());
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Message.Contains("Created the external-id field CrmSync_External_Id__c on Contact", StringComparison.Ordinal));
        await h.AssertNoSecretLeakedAsync(connection.Id, run.Message);
    }

    [Fact]
    public async Task UpsertAsync_SecondRunAndSecondConnection_DoNotCreateTheFieldAgain()
    {
        // Arrange
        await using var h = Create();
        var (first, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);
        var (second, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);
        await h.Provider.UpsertAsync(first, [Write("c1")]);
        var requestsAfterFirst = h.Simulator.RequestCount;

        // Act
        var again = await h.Provider.UpsertAsync(first, [Write("c1")]);
        var requestsForAgain = h.Simulator.RequestCount - requestsAfterFirst;
        var other = await h.Provider.UpsertAsync(second, [Write("c2")]);

        // Assert
        Assert.True(again.Single().Succeeded, again.Single().Error);
        Assert.True(other.Single().Succeeded, other.Single().Error);
        Assert.Equal(1, requestsForAgain);
        Assert.Equal(1, h.Simulator.ToolingRequestCount);
        Assert.Equal(2, h.Simulator.GetRecords("Contact").Count);
    }

    [Fact]
    public async Task UpsertAsync_FieldAlreadyThere_CreatesNothing()
    {
        // Arrange
        await using var h = Create(simulator: o => o.ExternalIdFieldExists = true);
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("c1")]);

        // Assert
        Assert.True(results.Single().Succeeded, results.Single().Error);
        Assert.Equal(0, h.Simulator.ToolingRequestCount);
    }

    [Fact]
    public async Task SyncNowAsync_UserCannotCustomizeApplication_FailsBeforeAnyRecordWithAdminInstructionsThenRetrySucceedsAfterAdminAddsField()
    {
        // Arrange
        await using var h = Create(simulator: o => o.CanCustomizeApplication = false);
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(Tenant, [Contact("c1"), Contact("c2")]);

        // Act
        var refused = await h.Client.SyncNowAsync(Tenant, connection.Id);
        var status = (await h.Client.GetConnectionAsync(Tenant, connection.Id)).Status;
        var recordsAfterRefusal = h.Simulator.GetRecords("Contact").Count;
        h.Simulator.AddExternalIdField("Contact");
        var retried = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Failed, refused.Outcome);
        Assert.Equal(0, refused.Synced);
        Assert.Contains(AdminInstructions, refused.Message, StringComparison.Ordinal);
        Assert.Contains(AdminInstructions, status.Reason, StringComparison.Ordinal);
        Assert.Equal(0, recordsAfterRefusal);
        Assert.Equal(SyncRunOutcome.Success, retried.Outcome);
        Assert.Equal(2, retried.Synced);
        Assert.Equal(2, h.Simulator.GetRecords("Contact").Count);
        await h.AssertNoSecretLeakedAsync(connection.Id, refused.Message, status.Reason);
    }

    [Fact]
    public async Task UpsertAsync_UserCannotCustomizeApplication_ThrowsPermissionDeniedAndSendsNoRecord()
    {
        // Arrange
        await using var h = Create(simulator: o => o.CanCustomizeApplication = false);
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Write("c1")]));
        h.Simulator.AddExternalIdField("Contact");
        var results = await h.Provider.UpsertAsync(context, [Write("c1")]);

        // Assert
        Assert.Equal(CrmProblemType.PermissionDenied, ex.ProblemType);
        Assert.Equal(AdminInstructions, ex.Message);
        Assert.Equal(403, ex.Status);
        Assert.True(results.Single().Succeeded, results.Single().Error);
        Assert.Single(h.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task UpsertAsync_FieldCreatedEarlierButInvisible_GrantsAccessAndSyncs()
    {
        // Arrange: an earlier attempt created the field, then failed before granting field-level security.
        await using var h = Create();
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);
        h.Simulator.SetCanCustomizeApplication(true);
        using (var http = new HttpClient { BaseAddress = h.Simulator.BaseUrl })
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", h.Simulator.IssueAccessToken());
            using var created = await http.PostAsync("/services/data/v62.0/tooling/sobjects/CustomField", new StringContent(
                """{"FullName":"Contact.CrmSync_External_Id__c","Metadata":{"label":"CrmSync External Id","type":"Text","length":255,"externalId":true,"unique":true}}""",
                System.Text.Encoding.UTF8,
                "application/json"));
            Assert.True(created.IsSuccessStatusCode);
        }

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("c1")]);

        // Assert
        Assert.True(results.Single().Succeeded, results.Single().Error);
        Assert.Equal(2, h.Simulator.ToolingRequestCount);
    }

    [Fact]
    public async Task UpsertAsync_HostChosenFieldMissing_ThrowsUnknownFieldWithoutCreatingIt()
    {
        // Arrange
        await using var h = Create();
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Write("c1", "Legacy_Id__c")]));

        // Assert
        Assert.Equal(CrmProblemType.UnknownField, ex.ProblemType);
        Assert.Contains("Salesforce has no field 'Legacy_Id__c' on Contact", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Simulator.ToolingRequestCount);
        Assert.Empty(h.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task UpsertAsync_LeadObject_CreatesTheFieldOnLead()
    {
        // Arrange
        await using var h = Create();
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h, new ConnectionSettings { ProviderSettings = new Dictionary<string, string> { [SalesforceCrmProvider.ObjectSetting] = "Lead" } });

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("l1")]);

        // Assert
        Assert.True(results.Single().Succeeded, results.Single().Error);
        Assert.Equal("l1", Assert.Single(h.Simulator.GetRecords("Lead")).Properties[Field]);
    }

    [Fact]
    public async Task UpsertAsync_FieldDeletedAfterItWasEnsured_FailsOnceThenCreatesItAgain()
    {
        // Arrange
        await using var h = Create();
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [Write("c1")]);
        h.Simulator.DeleteCustomField("Contact", Field);

        // Act
        var gone = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.UpsertAsync(context, [Write("c2")]));
        var results = await h.Provider.UpsertAsync(context, [Write("c2")]);

        // Assert
        Assert.Equal(CrmProblemType.UnknownField, gone.ProblemType);
        Assert.True(results.Single().Succeeded, results.Single().Error);
        Assert.Equal(2, h.Simulator.ToolingRequestCount);
    }
}
