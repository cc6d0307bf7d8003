using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The CRM's fields in the mapping editor and in the checks made when a mapping is saved, against the simulator.</summary>
public class PipedriveFieldCatalogTests
{
    private const string Tenant = PipedriveHarness.Tenant;

    [Fact]
    public async Task GetCrmFieldsAsync_Persons_ListsFieldsWithLabelsTypesAndWritability()
    {
        // Arrange: an OAuth app with the default scopes (contacts:full covers person fields).
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithOAuthAsync();
        var tier = await AddPersonFieldAsync(h, "Partner tier", "varchar");
        var segment = await AddPersonFieldAsync(h, "Segment", "enum", "SMB", "Enterprise");

        // Act
        var fields = await h.Client.GetCrmFieldsAsync(Tenant, connection.Id);

        // Assert
        var byName = fields.ToDictionary(f => f.Name);
        Assert.Equal(new CrmFieldInfo("name", "Name", CrmFieldType.Text, Writable: true, Required: true), byName["name"]);
        Assert.Equal(CrmFieldType.Email, byName["email"].Type);
        Assert.Equal(CrmFieldType.Phone, byName["phone"].Type);
        Assert.True(byName["email"].Writable);
        Assert.False(byName["add_time"].Writable);
        Assert.False(byName["owner_id"].Writable);
        Assert.Equal(CrmFieldType.Reference, byName["owner_id"].Type);
        Assert.Equal(new CrmFieldInfo(tier, "Partner tier", CrmFieldType.Text, Writable: true, Custom: true), byName[tier]);
        Assert.Equal(40, tier.Length);
        Assert.Equal(CrmFieldType.Other, byName[segment].Type);
        Assert.False(byName[segment].Writable);
        Assert.Empty(byName[segment].Options);
        Assert.False(byName["email"].Custom);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_UnknownAndReadOnly_RefusedNamingEachEntryAndNothingSaved()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync();
        await AddPersonFieldAsync(h, "Segment", "enum", "SMB", "Enterprise");
        var mapping = FieldMapping.Empty
            .With(FieldMappingEntry.Fixed("Partner tier", "Gold"))
            .With(FieldMappingEntry.Field("add_time", "created"))
            .With(FieldMappingEntry.Fixed("Segment", "SMB"))
            .With(FieldMappingEntry.Field("name", "title"));

        // Act
        var ex = await Assert.ThrowsAsync<CrmValidationException>(() => h.Client.SaveFieldMappingAsync(Tenant, connection.Id, mapping));

        // Assert
        Assert.Equal(["Entries[0]", "Entries[1]", "Entries[2]"], ex.Errors.Select(e => e.Path));
        Assert.Contains("Pipedrive has no field 'Partner tier'", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("'Person created' (add_time) is read-only", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("is read-only", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Empty((await h.Client.GetConnectionAsync(Tenant, connection.Id)).Settings.Mapping.Entries);
    }

    [Fact]
    public async Task SaveFieldMappingAsync_CustomFieldByName_SavedUnderItsKeyAndSynced()
    {
        // Arrange: an admin added "Partner tier" in Pipedrive; its key is a 40-character hash.
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync();
        var tier = await AddPersonFieldAsync(h, "Partner tier", "varchar");

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("Partner tier", "Gold")));
        await h.Client.EnqueueAsync(Tenant, [PipedriveHarness.Contact("c1")]);
        var run = await h.Client.SyncNowAsync(Tenant, connection.Id);

        // Assert
        Assert.Equal(tier, Assert.Single(saved.Settings.Mapping.Entries).CrmField);
        Assert.Equal(SyncRunOutcome.Success, run.Outcome);
        var person = Assert.Single(h.Sim.GetRecords("persons"));
        Assert.Equal("Gold", person.Properties["custom_fields"]![tier]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveFieldMappingAsync_PipedriveNotResponding_SavedWithCrmSyncsOwnChecks()
    {
        // Arrange
        await using var h = PipedriveHarness.Create();
        var connection = await h.ConnectWithApiTokenAsync();
        h.Sim.SimulateOutage(true);

        // Act
        var saved = await h.Client.SaveFieldMappingAsync(Tenant, connection.Id, FieldMapping.Empty.With(FieldMappingEntry.Fixed("name", "Ada")));

        // Assert
        Assert.Equal("name", Assert.Single(saved.Settings.Mapping.Entries).CrmField);
    }

    /// <summary>Adds a person field as an admin would, through Pipedrive's API (<c>POST /api/v2/personFields</c>); returns its key.</summary>
    private static async Task<string> AddPersonFieldAsync(PipedriveHarness h, string name, string type, params string[] options)
    {
        using var http = new HttpClient { BaseAddress = h.Sim.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/personFields")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["field_name"] = name,
                ["field_type"] = type,
                ["options"] = options.Length == 0 ? null : new JsonArray(options.Select(o => (JsonNode?)new JsonObject { ["label"] = o }).ToArray()),
            }),
        };
        request.Headers.Add("x-api-token", h.Sim.ApiToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["data"]!["field_code"]!.GetValue<string>();
    }
}
