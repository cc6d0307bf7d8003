using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator.Tests;

/// <summary>Custom fields through the Tooling API, field-level security through FieldPermissions, and the refused path.</summary>
public class SalesforceSimulatorMetadataTests
{
    private const string Api = SalesforceSimulatorFixture.Api;
    private const string Field = "CrmSync_External_Id__c";

    /// <summary>Names exactly as written (Salesforce's <c>FullName</c>, <c>Metadata</c>, <c>ParentId</c>…), not camel case.</summary>
    private static readonly JsonSerializerOptions AsWritten = new();

    private static object FieldBody(string fullName = "Contact." + Field, string type = "Text", int length = 255) => new
    {
        FullName = fullName,
        Metadata = new { label = "CrmSync External Id", type, length, externalId = true, unique = true, caseSensitive = false, description = "test" },
    };

    private static SalesforceSimulatorFixture NewOrg(Action<SalesforceSimulatorOptions>? configure = null) =>
        new(o =>
        {
            o.ExternalIdFieldExists = false;
            configure?.Invoke(o);
        });

    private static async Task<JsonArray> DescribeFieldsAsync(SalesforceSimulatorFixture fixture) =>
        (await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/sobjects/Contact/describe")))["fields"]!.AsArray();

    private static async Task<string> ProfilePermissionSetAsync(SalesforceSimulatorFixture fixture)
    {
        var resources = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/"));
        var userId = resources["identity"]!.GetValue<string>().Split('/')[^1];
        var user = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q={Uri.EscapeDataString($"SELECT Id, ProfileId FROM User WHERE Id = '{userId}'")}"));
        var profileId = user["records"]![0]!["ProfileId"]!.GetValue<string>();
        var sets = await SalesforceSimulatorFixture.ReadJsonAsync(await fixture.Client.GetAsync($"{Api}/query?q={Uri.EscapeDataString($"SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND ProfileId = '{profileId}'")}"));
        return sets["records"]![0]!["Id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> GrantAsync(SalesforceSimulatorFixture fixture, string permissionSet, bool edit = true) =>
        fixture.Client.PostAsJsonAsync($"{Api}/sobjects/FieldPermissions", new { ParentId = permissionSet, SobjectType = "Contact", Field = "Contact." + Field, PermissionsRead = true, PermissionsEdit = edit }, AsWritten);

    [Fact]
    public async Task UpsertByExternalId_NewOrg_Returns404FieldDoesNotExist()
    {
        // Arrange
        using var fixture = NewOrg();

        // Act
        var response = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"errorCode\":\"NOT_FOUND\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await DescribeFieldsAsync(fixture), f => f!["name"]!.GetValue<string>() == Field);
    }

    [Fact]
    public async Task CreateCustomField_WithoutFieldPermissions_FieldInvisibleToDescribeQueryAndUpsert()
    {
        // Arrange
        using var fixture = NewOrg();

        // Act
        var created = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);
        var describe = await DescribeFieldsAsync(fixture);
        var query = await fixture.Client.GetAsync($"{Api}/query?q={Uri.EscapeDataString($"SELECT Id, {Field} FROM Contact")}");
        var upsert = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });
        var write = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Contact", new Dictionary<string, string> { ["LastName"] = "Doe", [Field] = "x" });

        // Assert
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await SalesforceSimulatorFixture.ReadJsonAsync(created);
        Assert.StartsWith("00N", body["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.DoesNotContain(describe, f => f!["name"]!.GetValue<string>() == Field);
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Contains($"No such column '{Field}'", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, upsert.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
        Assert.Contains("INVALID_FIELD", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(fixture.Simulator.GetRecords("Contact"));
        Assert.Equal(1, fixture.Simulator.ToolingRequestCount);
    }

    [Fact]
    public async Task CreateFieldPermissions_OnTheUsersProfilePermissionSet_MakesFieldAnExternalIdToUpsertBy()
    {
        // Arrange
        using var fixture = NewOrg();
        await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);
        var permissionSet = await ProfilePermissionSetAsync(fixture);

        // Act
        var granted = await GrantAsync(fixture, permissionSet);
        var again = await GrantAsync(fixture, permissionSet);
        var upsert = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });
        var describe = await DescribeFieldsAsync(fixture);

        // Assert
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Assert.StartsWith("01k", (await SalesforceSimulatorFixture.ReadJsonAsync(granted))["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("DUPLICATE_VALUE", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, upsert.StatusCode);
        var field = Assert.Single(describe, f => f!["name"]!.GetValue<string>() == Field)!;
        Assert.Equal("CrmSync External Id", field["label"]!.GetValue<string>());
        Assert.True(field["externalId"]!.GetValue<bool>());
        Assert.True(field["unique"]!.GetValue<bool>());
        Assert.True(field["updateable"]!.GetValue<bool>());
        Assert.Equal("ext-1", Assert.Single(fixture.Simulator.GetRecords("Contact")).Properties[Field]);
    }

    [Fact]
    public async Task CreateFieldPermissions_ReadOnly_FieldVisibleButNotWritable()
    {
        // Arrange
        using var fixture = NewOrg();
        await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);
        await GrantAsync(fixture, await ProfilePermissionSetAsync(fixture), edit: false);

        // Act
        var describe = await DescribeFieldsAsync(fixture);
        var write = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/Contact", new Dictionary<string, string> { ["LastName"] = "Doe", [Field] = "x" });

        // Assert
        var field = Assert.Single(describe, f => f!["name"]!.GetValue<string>() == Field)!;
        Assert.False(field["createable"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
        Assert.Contains("INVALID_FIELD_FOR_INSERT_UPDATE", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCustomField_SameNameTwice_ReturnsDuplicateDeveloperName()
    {
        // Arrange
        using var fixture = NewOrg();
        await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);

        // Act
        var duplicate = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody("contact.crmsync_external_id__c"), AsWritten);
        var standard = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody("Contact.Email__c"), AsWritten);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal("[{\"message\":\"There is already a field named crmsync_external_id on Contact.\",\"errorCode\":\"DUPLICATE_DEVELOPER_NAME\",\"fields\":[\"FullName\"]}]", await duplicate.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, standard.StatusCode);
    }

    [Theory]
    [InlineData("CrmSync_External_Id__c", "FIELD_INTEGRITY_EXCEPTION")]
    [InlineData("Contact.CrmSync__External_Id__c", "FIELD_INTEGRITY_EXCEPTION")]
    [InlineData("Contact.CrmSync_External_Id", "FIELD_INTEGRITY_EXCEPTION")]
    [InlineData("Contact._Id__c", "FIELD_INTEGRITY_EXCEPTION")]
    [InlineData("Widget__c.CrmSync_External_Id__c", "INVALID_TYPE")]
    public async Task CreateCustomField_BadFullNameOrObject_Returns400(string fullName, string errorCode)
    {
        // Arrange
        using var fixture = NewOrg();

        // Act
        var response = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(fullName), AsWritten);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"errorCode\":\"{errorCode}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Number", 255)]
    [InlineData("Text", 0)]
    [InlineData("Text", 256)]
    public async Task CreateCustomField_BadTypeOrLength_Returns400FieldIntegrityException(string type, int length)
    {
        // Arrange
        using var fixture = NewOrg();

        // Act
        var response = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(type: type, length: length), AsWritten);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"errorCode\":\"FIELD_INTEGRITY_EXCEPTION\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCustomField_UserWithoutCustomizeApplication_Returns403InsufficientAccessAndCreatesNothing()
    {
        // Arrange
        using var fixture = NewOrg();
        fixture.Simulator.SetCanCustomizeApplication(false);
        var before = fixture.Simulator.GetUsage().Requests;

        // Act
        var field = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);
        var permission = await fixture.Client.PostAsJsonAsync($"{Api}/sobjects/FieldPermissions", new { ParentId = "0PSSIM000000001AAA", SobjectType = "Contact", Field = "Contact." + Field, PermissionsRead = true }, AsWritten);
        fixture.Simulator.SetCanCustomizeApplication(true);
        var later = await fixture.Client.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, field.StatusCode);
        Assert.Equal("[{\"message\":\"insufficient access rights on object id\",\"errorCode\":\"INSUFFICIENT_ACCESS_OR_READONLY\"}]", await field.Content.ReadAsStringAsync());
        Assert.True(field.Headers.Contains("Sforce-Limit-Info"));
        Assert.Equal(HttpStatusCode.Forbidden, permission.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal(2, fixture.Simulator.ToolingRequestCount);
        Assert.Equal(before + 3, fixture.Simulator.GetUsage().Requests);
    }

    [Fact]
    public async Task CreateCustomField_WithoutSession_Returns401()
    {
        // Arrange
        using var fixture = NewOrg();
        using var anonymous = new HttpClient { BaseAddress = fixture.Simulator.BaseUrl };

        // Act
        var response = await anonymous.PostAsJsonAsync($"{Api}/tooling/sobjects/CustomField", FieldBody(), AsWritten);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(fixture.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task AddExternalIdField_AsAdmin_UpsertByItWorks()
    {
        // Arrange
        using var fixture = NewOrg();

        // Act
        fixture.Simulator.AddExternalIdField("Contact");
        var upsert = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });

        // Assert
        Assert.Equal(HttpStatusCode.Created, upsert.StatusCode);
        Assert.Throws<ArgumentException>(() => fixture.Simulator.AddExternalIdField("Contact"));
        Assert.Throws<ArgumentException>(() => fixture.Simulator.AddExternalIdField("Task"));
    }

    [Fact]
    public async Task CreateFieldPermissions_UnknownParentOrField_Returns400()
    {
        // Arrange
        using var fixture = NewOrg();
        var permissionSet = await ProfilePermissionSetAsync(fixture);

        // Act
        var unknownField = await GrantAsync(fixture, permissionSet);
        var unknownParent = await GrantAsync(fixture, "0PSSIM000000099AAA");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Contains("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", await unknownField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownParent.StatusCode);
        Assert.Contains("FIELD_INTEGRITY_EXCEPTION", await unknownParent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_AfterFieldCreated_RestoresANewOrgWithoutTheField()
    {
        // Arrange
        using var fixture = NewOrg();
        fixture.Simulator.AddExternalIdField("Contact");

        // Act
        fixture.Simulator.Reset();
        fixture.Client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Simulator.IssueAccessToken());
        var upsert = await fixture.UpsertContactAsync("ext-1", new { LastName = "Doe" });

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, upsert.StatusCode);
        Assert.Equal(0, fixture.Simulator.ToolingRequestCount);
    }
}
