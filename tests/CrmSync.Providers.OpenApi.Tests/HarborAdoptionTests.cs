using System.Text.Json.Nodes;
using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>The provider running the invented Harbor CRM's profile against its simulator: adopting a person Harbor already holds (search by email, then phone).</summary>
public sealed class HarborAdoptionTests
{
    [Fact]
    public async Task UpsertAsync_PersonWithTheSameEmailAlreadyInHarbor_IsUpdatedNotDuplicated()
    {
        // Arrange: someone typed the person into Harbor by hand; CrmSync has never seen it
        await using var h = HarborHarness.Create();
        var existing = h.Sim.AddPerson("Ada", "Old Name", "ada@example.test", null);

        // Act
        var result = await h.Provider.UpsertAsync(h.Context(), [HarborHarness.Person("c-1", "Lovelace", email: "ada@example.test", phone: "+447700900001")]);

        // Assert: the same record, now carrying CrmSync's reference and values
        Assert.False(result[0].Created);
        Assert.Equal(existing, result[0].CrmRecordId);
        var person = Assert.Single(People(h));
        Assert.Equal("Lovelace", person["lastName"]!.GetValue<string>());
        Assert.Equal("c-1", person["externalRef"]!.GetValue<string>());
        Assert.Equal("+447700900001", person["phone"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpsertAsync_PersonWithOnlyTheSamePhoneAlreadyInHarbor_IsUpdatedNotDuplicated()
    {
        // Arrange: the hand-typed person has no email, only the phone number
        await using var h = HarborHarness.Create();
        var existing = h.Sim.AddPerson("Ada", "Old Name", null, "+447700900002");

        // Act
        var result = await h.Provider.UpsertAsync(h.Context(), [HarborHarness.Person("c-2", "Lovelace", email: "new@example.test", phone: "+447700900002")]);

        // Assert: searched by email (no match), then by phone (match)
        Assert.False(result[0].Created);
        Assert.Equal(existing, result[0].CrmRecordId);
        var person = Assert.Single(People(h));
        Assert.Equal("new@example.test", person["email"]!.GetValue<string>());
        Assert.Equal("c-2", person["externalRef"]!.GetValue<string>());
        Assert.Contains(h.Sim.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("phone=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpsertAsync_SameEmailHeldByAnotherCrmSyncRecord_CreatesItsOwnPerson()
    {
        // Arrange: c-1 already owns the Harbor person with this email
        await using var h = HarborHarness.Create();
        var context = h.Context();
        var first = await h.Provider.UpsertAsync(context, [HarborHarness.Person("c-1", "Lovelace", email: "shared@example.test")]);

        // Act
        var second = await h.Provider.UpsertAsync(context, [HarborHarness.Person("c-2", "Byron", email: "shared@example.test")]);

        // Assert: a record already claimed by another external id is never taken over
        Assert.True(second[0].Created);
        Assert.NotEqual(first[0].CrmRecordId, second[0].CrmRecordId);
        Assert.Equal(2, People(h).Count);
    }

    [Fact]
    public async Task UpsertAsync_NoEmailOrPhoneMatch_CreatesOnePerson()
    {
        // Arrange
        await using var h = HarborHarness.Create();
        h.Sim.AddPerson("Someone", "Else", "else@example.test", "+447700900009");

        // Act
        var result = await h.Provider.UpsertAsync(h.Context(), [HarborHarness.Person("c-3", "Lovelace", email: "ada@example.test", phone: "+447700900003")]);

        // Assert
        Assert.True(result[0].Created);
        Assert.Equal(2, People(h).Count);
    }

    private static List<JsonObject> People(HarborHarness h) => h.Sim.GetRecords("people").Cast<JsonObject>().ToList();
}
