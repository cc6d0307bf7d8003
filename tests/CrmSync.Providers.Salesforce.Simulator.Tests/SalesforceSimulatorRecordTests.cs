using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

public class SalesforceSimulatorRecordTests
{
    private const string Api = SalesforceSimulatorFixture.Api;

    [Fact]
    public async Task UpsertByExternalId_NewThenExisting_Returns201ThenCreatedFalse()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var created = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe", Email = "A@B.com" });
        var createdBody = await SalesforceSimulatorFixture.ReadJsonAsync(created);
        var updated = await fixture.UpsertContactAsync("ext-1", new { FirstName = "Jane" });
        var updatedBody = await SalesforceSimulatorFixture.ReadJsonAsync(updated);
        var record = Assert.Single(fixture.Simulator.GetRecords("Contact"));

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((bool)createdBody["created"]!);
        Assert.StartsWith("003", record.Id, StringComparison.Ordinal);
        Assert.Equal(18, record.Id.Length);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.False((bool)updatedBody["created"]!);
        Assert.Equal("Jane", record.Properties["FirstName"]);
        Assert.Equal("a@b.com", record.Properties["Email"]);
        Assert.Equal("ext-1", record.Properties["CrmSync_External_Id__c"]);
        Assert.Equal("005SIM000000001AAA", record.OwnerId);
        Assert.True(updated.Headers.Contains("Sforce-Limit-Info"));
    }

    [Fact]
    public async Task CreateLead_MissingLastNameAndCompany_Returns400RequiredFieldMissing()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Lead", new { Email = "a@b.com" });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[{\"message\":\"Required fields are missing: [LastName, Company]\",\"errorCode\":\"REQUIRED_FIELD_MISSING\",\"fields\":[\"LastName\",\"Company\"]}]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{\"LastName\":\"Doe\",\"Email\":\"nope\"}", "INVALID_EMAIL_ADDRESS")]
    [InlineData("{\"LastName\":\"Doe\",\"Shoe_Size__c\":\"9\"}", "INVALID_FIELD")]
    [InlineData("{\"LastName\":\"Doe\",\"Name\":\"John Doe\"}", "INVALID_FIELD_FOR_INSERT_UPDATE")]
    [InlineData("{\"LastName\":\"Doe\",\"OwnerId\":\"005SIM000000003AAA\"}", "INVALID_CROSS_REFERENCE_KEY")]
    public async Task CreateContact_InvalidField_Returns400ErrorArray(string json, string errorCode)
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await fixture.Client.PostAsync($"{Api}/sobjects/Contact", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(errorCode, body[0]!["errorCode"]!.ToString());
        Assert.Empty(fixture.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task CreateContact_DuplicateEmail_Returns400DuplicatesDetectedUnlessAllowSave()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Contact", new { LastName = "Doe", Email = "a@b.com" });
        var existing = Assert.Single(fixture.Simulator.GetRecords("Contact"));

        // Act
        var blocked = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Contact", new { LastName = "Doe2", Email = "a@b.com" });
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(blocked);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api}/sobjects/Contact") { Content = JsonContent.Create(new { LastName = "Doe2", Email = "a@b.com" }) };
        request.Headers.Add("Sforce-Duplicate-Rule-Header", "allowSave=true");
        var allowed = await fixture.Client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Equal("DUPLICATES_DETECTED", body[0]!["errorCode"]!.ToString());
        Assert.Equal("Use one of these records?", body[0]!["message"]!.ToString());
        Assert.Equal(existing.Id, body[0]!["duplicateResult"]!["matchResults"]![0]!["matchRecords"]![0]!["record"]!["Id"]!.ToString());
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task CollectionsUpsert_AllOrNoneFalse_ReturnsPerRecordResults()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        var records = new JsonArray(
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["CrmSync_External_Id__c"] = "e1", ["LastName"] = "Doe" },
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["CrmSync_External_Id__c"] = "e2", ["Email"] = "x@y.com" });

        // Act
        var response = await fixture.Client.PatchAsJsonAsync($"{Api}/composite/sobjects/Contact/CrmSync_External_Id__c", new JsonObject { ["allOrNone"] = false, ["records"] = records });
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body[0]!["success"]!);
        Assert.True((bool)body[0]!["created"]!);
        Assert.False((bool)body[1]!["success"]!);
        Assert.Equal("REQUIRED_FIELD_MISSING", body[1]!["errors"]![0]!["statusCode"]!.ToString());
        Assert.Equal("LastName", body[1]!["errors"]![0]!["fields"]![0]!.ToString());
        Assert.Single(fixture.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task CollectionsUpsert_AllOrNoneTrueWithOneFailure_RollsBackEverything()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        var records = new JsonArray(
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["CrmSync_External_Id__c"] = "e1", ["LastName"] = "Doe" },
            new JsonObject { ["attributes"] = new JsonObject { ["type"] = "Contact" }, ["CrmSync_External_Id__c"] = "e2", ["LastName"] = "Roe", ["Email"] = "bad" });

        // Act
        var response = await fixture.Client.PatchAsJsonAsync($"{Api}/composite/sobjects/Contact/CrmSync_External_Id__c", new JsonObject { ["allOrNone"] = true, ["records"] = records });
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", body[0]!["errors"]![0]!["statusCode"]!.ToString());
        Assert.Equal("INVALID_EMAIL_ADDRESS", body[1]!["errors"]![0]!["statusCode"]!.ToString());
        Assert.Empty(fixture.Simulator.GetRecords("Contact"));
    }

    [Theory]
    [InlineData(200, HttpStatusCode.OK)]
    [InlineData(201, HttpStatusCode.BadRequest)]
    public async Task CollectionsUpsert_RecordCountAtAndOverCap_EnforcesLimitOf200(int count, HttpStatusCode expected)
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        var records = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = "Lead" },
            ["CrmSync_External_Id__c"] = $"e{i}",
            ["LastName"] = "Doe",
            ["Company"] = "Acme",
        }).ToArray());

        // Act
        var response = await fixture.Client.PatchAsJsonAsync($"{Api}/composite/sobjects/Lead/CrmSync_External_Id__c", new JsonObject { ["allOrNone"] = false, ["records"] = records });

        // Assert
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? count : 0, fixture.Simulator.GetRecords("Lead").Count);
    }

    [Fact]
    public async Task Upsert_UnknownExternalIdField_Returns404()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await fixture.Client.PatchAsJsonAsync($"{Api}/sobjects/Contact/Ext_Id__c/x", new { LastName = "Doe" });
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Provided external ID field does not exist or is not accessible: Ext_Id__c", body[0]!["message"]!.ToString());
    }

    [Fact]
    public async Task Query_ByEmailAndExternalId_ReturnsRecordsWithAttributes()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();
        await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe", Email = "a@b.com" });
        await fixture.UpsertContactAsync("ext-2", new { LastName = "Roe", Email = "c@d.com" });

        // Act
        var byEmail = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q=" + Uri.EscapeDataString("SELECT Id, Email, OwnerId FROM Contact WHERE Email = 'A@B.com' LIMIT 1")));
        var byExt = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q=SELECT+Id+FROM+Contact+WHERE+CrmSync_External_Id__c+IN+('ext-1','ext-2')"));

        // Assert
        Assert.Equal(1, (int)byEmail["totalSize"]!);
        Assert.True((bool)byEmail["done"]!);
        Assert.Equal("Contact", byEmail["records"]![0]!["attributes"]!["type"]!.ToString());
        Assert.Equal("a@b.com", byEmail["records"]![0]!["Email"]!.ToString());
        Assert.Equal(2, (int)byExt["totalSize"]!);
    }

    [Fact]
    public async Task Query_UnknownColumn_Returns400InvalidField()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await fixture.Client.GetAsync($"{Api}/query?q=SELECT+Id,Shoe__c+FROM+Contact");
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_FIELD", body[0]!["errorCode"]!.ToString());
    }

    [Fact]
    public async Task Query_ActiveUsers_ReturnsOwners()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q=SELECT+Id,Name,Email,IsActive+FROM+User+WHERE+IsActive=true"));

        // Assert
        Assert.Equal(2, (int)body["totalSize"]!);
        Assert.StartsWith("005", body["records"]![0]!["Id"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("Alex Owner", body["records"]![0]!["Name"]!.ToString());
    }

    [Fact]
    public async Task Query_MoreThanBatchSize_PagesWithNextRecordsUrl()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture(o => o.QueryBatchSize = 2);
        for (var i = 0; i < 3; i++)
        {
            await fixture.UpsertContactAsync($"e{i}", new { LastName = $"N{i}" });
        }

        // Act
        var first = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q=SELECT+Id+FROM+Contact"));
        var next = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync(first["nextRecordsUrl"]!.ToString()));

        // Assert
        Assert.False((bool)first["done"]!);
        Assert.Equal(3, (int)first["totalSize"]!);
        Assert.Equal(2, first["records"]!.AsArray().Count);
        Assert.True((bool)next["done"]!);
        Assert.Single(next["records"]!.AsArray());
    }

    [Fact]
    public async Task CreateTask_CallCenterFieldInOrgWithoutCallCenter_RefusedAsNoSuchColumn()
    {
        // Arrange: by default the org has no Salesforce Call Center
        using var fixture = new SalesforceSimulatorFixture();
        var contact = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" }));

        // Act
        var created = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Task", new { Subject = "Call", WhoId = contact["id"]!.ToString(), CallObject = "crmsync:a1" });
        var queried = await fixture.Client.GetAsync($"{Api}/query?q={Uri.EscapeDataString("SELECT Id, CallObject FROM Task")}");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal("INVALID_FIELD", (await SalesforceSimulatorFixture.ReadJsonAsync(created))[0]!["errorCode"]!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, queried.StatusCode);
        Assert.Equal("INVALID_FIELD", (await SalesforceSimulatorFixture.ReadJsonAsync(queried))[0]!["errorCode"]!.ToString());
        Assert.Empty(fixture.Simulator.GetRecords("Task"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DescribeTask_CallCenterFields_ListedOnlyWithCallCenter(bool callCenter)
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture(o => o.CallCenter = callCenter);

        // Act
        var response = await fixture.Client.GetAsync($"{Api}/sobjects/Task/describe");
        var names = (await SalesforceSimulatorFixture.ReadJsonAsync(response))["fields"]!.AsArray().Select(f => f!["name"]!.ToString()).ToList();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Subject", names);
        Assert.Contains("Description", names);
        foreach (var field in new[] { "CallObject", "CallType", "CallDurationInSeconds", "CallDisposition" })
        {
            Assert.Equal(callCenter, names.Contains(field));
        }
    }

    [Fact]
    public async Task DescribeContact_Fields_CarryLabelsTypesNillabilityAndPicklistValues()
    {
        // Arrange
        using var fixture = new SalesforceSimulatorFixture();

        // Act
        var response = await fixture.Client.GetAsync($"{Api}/sobjects/Contact/describe");
        var fields = (await SalesforceSimulatorFixture.ReadJsonAsync(response))["fields"]!.AsArray().ToDictionary(f => f!["name"]!.ToString(), f => f!);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Last Name", fields["LastName"]["label"]!.ToString());
        Assert.False(fields["LastName"]["nillable"]!.GetValue<bool>());
        Assert.False(fields["LastName"]["defaultedOnCreate"]!.GetValue<bool>());
        Assert.Equal(80, fields["LastName"]["length"]!.GetValue<int>());
        Assert.Equal("email", fields["Email"]["type"]!.ToString());
        Assert.Equal("phone", fields["Phone"]["type"]!.ToString());
        Assert.Equal("Business Phone", fields["Phone"]["label"]!.ToString());
        Assert.True(fields["OwnerId"]["defaultedOnCreate"]!.GetValue<bool>());
        Assert.Equal("User", fields["OwnerId"]["referenceTo"]![0]!.ToString());
        Assert.Equal("Owner", fields["OwnerId"]["relationshipName"]!.ToString());
        Assert.Equal("picklist", fields["LeadSource"]["type"]!.ToString());
        Assert.Contains("Web", fields["LeadSource"]["picklistValues"]!.AsArray().Select(v => v!["value"]!.ToString()));
        Assert.Empty(fields["Title"]["picklistValues"]!.AsArray());
        Assert.False(fields["CreatedDate"]["createable"]!.GetValue<bool>());
        Assert.True(fields["CrmSync_External_Id__c"]["externalId"]!.GetValue<bool>());
        Assert.True(fields["CrmSync_External_Id__c"]["custom"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateTaskAndEvent_WithWhoId_LinksToContact()
    {
        // Arrange: an org with Salesforce Call Center (CallDurationInSeconds exists)
        using var fixture = new SalesforceSimulatorFixture(o => o.CallCenter = true);
        var contact = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" }));
        var whoId = contact["id"]!.ToString();

        // Act
        var task = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Task", new { Subject = "Call", WhoId = whoId, TaskSubtype = "Call", CallDurationInSeconds = 330, Status = "Completed" });
        var evt = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Event", new { Subject = "Demo", WhoId = whoId, StartDateTime = "2026-01-15T10:00:00Z", EndDateTime = "2026-01-15T10:30:00Z" });
        var badWho = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Task", new { Subject = "Call", WhoId = "003SIM999999999AAA" });
        var storedTask = Assert.Single(fixture.Simulator.GetRecords("Task"));

        // Assert
        Assert.Equal(HttpStatusCode.Created, task.StatusCode);
        Assert.Equal(HttpStatusCode.Created, evt.StatusCode);
        Assert.Equal(whoId, storedTask.Properties["WhoId"]);
        Assert.Equal("330", storedTask.Properties["CallDurationInSeconds"]);
        Assert.Equal("Normal", storedTask.Properties["Priority"]);
        Assert.Equal(whoId, Assert.Single(fixture.Simulator.GetRecords("Event")).Properties["WhoId"]);
        Assert.Equal(HttpStatusCode.BadRequest, badWho.StatusCode);
        Assert.Equal("FIELD_INTEGRITY_EXCEPTION", (await SalesforceSimulatorFixture.ReadJsonAsync(badWho))[0]!["errorCode"]!.ToString());
    }
}
