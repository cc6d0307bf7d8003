using System.Net.Http.Headers;
using CrmSync.Providers.OpenApi.Reapit.Client;
using CrmSync.Sdk;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>The provider against the Reapit simulator, call by call.</summary>
public sealed class ReapitContractTests
{
    [Fact]
    public async Task GetUsersAsync_ListsActiveNegotiatorsOnly()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        h.Sim.AddNegotiator(ReapitHarness.Customer, "Gone Away", "gone@sbox.example", active: false);

        // Act
        var users = await h.Provider.GetUsersAsync(Context(h));

        // Assert
        Assert.Equal(["Jane Negotiator", "Liam Lettings"], users.Select(u => u.Name).Order(StringComparer.Ordinal));
        Assert.All(users, u => Assert.EndsWith("@sbox.example", u.Email, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpsertAsync_OwnerOnCreate_SetsTheNegotiatorOnlyOnCreate()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        var context = Context(h);
        var negotiator = (await h.Provider.GetUsersAsync(context))[0].Id;

        // Act
        var created = await h.Provider.UpsertAsync(context, [Write("c-1", "Lovelace", owner: negotiator)]);
        var updated = await h.Provider.UpsertAsync(context, [Write("c-1", "Byron", owner: "SOMEONE-ELSE", known: created[0].CrmRecordId)]);

        // Assert
        Assert.True(created[0].Created);
        Assert.False(updated[0].Created);
        var contact = Assert.Single(h.Sim.GetRecords("contacts"));
        Assert.Equal(negotiator, contact.Data["negotiatorIds"]![0]!.GetValue<string>());
        Assert.Equal("Byron", contact.Data["surname"]!.GetValue<string>());
    }

    [Fact]
    public async Task FetchPageAsync_ContactsModifiedSince_PagesThroughHalPages()
    {
        // Arrange: 120 contacts over two hours; fetch those of the second hour, 50 per page
        await using var h = ReapitHarness.Create();
        var context = Context(h);
        var since = h.Time.GetUtcNow().AddHours(1);
        for (var i = 0; i < 120; i++)
        {
            await h.Provider.UpsertAsync(context, [Write($"c-{i}", $"Surname {i}")]);
            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var filter = new CrmFetchFilter { ObjectType = CrmFetchObjectType.Contact, ModifiedSince = since };

        // Act
        var records = new List<CrmFetchedRecord>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await h.Provider.FetchPageAsync(context, new CrmFetchRequest(filter, cursor, 50));
            records.AddRange(page.Records);
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        var count = await h.Provider.CountAsync(context, filter);

        // Assert
        Assert.Equal(60, records.Count);
        Assert.Equal(2, pages);
        Assert.Equal(60, count.Total);
        Assert.All(records, r => Assert.True(r.ModifiedAt >= since));
        Assert.Equal(60, records.Select(r => r.CrmId).Distinct().Count());
        Assert.Contains(records, r => r.Fields[CrmFieldNames.LastName] == "Surname 60" && r.Fields[CrmFieldNames.Email] == "c-60@example.test");
    }

    [Fact]
    public async Task FetchPageAsync_Leads_ReadsApplicantsWithTheirMainContact()
    {
        // Arrange
        await using var h = ReapitHarness.Create();
        h.Sim.AddApplicant(ReapitHarness.Customer, "Grace", "Hopper", "grace@example.test", "renting");

        // Act
        var page = await h.Provider.FetchPageAsync(Context(h), new CrmFetchRequest(new CrmFetchFilter { ObjectType = CrmFetchObjectType.Lead }, null, 25));

        // Assert
        var lead = Assert.Single(page.Records);
        Assert.Equal("Grace Hopper", lead.Name);
        Assert.Equal("grace@example.test", lead.Fields[CrmFieldNames.Email]);
        Assert.Equal("renting", lead.Stage);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task UpsertAsync_ExistingContactWithTheExternalId_IsAdoptedNotDuplicated()
    {
        // Arrange: the record exists from an earlier install, CrmSync does not know its id
        await using var h = ReapitHarness.Create();
        var first = await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Lovelace")]);

        // Act
        var again = await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Byron")]);

        // Assert
        Assert.False(again[0].Created);
        Assert.Equal(first[0].CrmRecordId, again[0].CrmRecordId);
        Assert.Single(h.Sim.GetRecords("contacts"));
    }

    [Fact]
    public async Task UpsertAsync_ContactWithTheSameEmailAlreadyInReapit_IsUpdatedNotDuplicated()
    {
        // Arrange: a negotiator typed the contact into Reapit; it carries no CrmSync metadata
        await using var h = ReapitHarness.Create();
        var existing = h.Sim.AddContact(ReapitHarness.Customer, "Ada", "Old Name", "c-1@example.test");

        // Act
        var result = await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Lovelace")]);

        // Assert: the same contact, updated (with the ETag), now found by its external id
        Assert.False(result[0].Created);
        Assert.Equal(existing, result[0].CrmRecordId);
        var contact = Assert.Single(h.Sim.GetRecords("contacts"));
        Assert.Equal("Lovelace", contact.Data["surname"]!.GetValue<string>());
        Assert.Equal("c-1", contact.Data["metadata"]!["crmSyncExternalId"]!.GetValue<string>());
        var again = await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Byron")]);
        Assert.Equal(existing, again[0].CrmRecordId);
        Assert.Single(h.Sim.GetRecords("contacts"));
    }

    [Fact]
    public async Task UpsertAsync_SameEmailHeldByAnotherCrmSyncContact_CreatesItsOwnContact()
    {
        // Arrange: c-1 owns the Reapit contact with this email
        await using var h = ReapitHarness.Create();
        await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Lovelace")]);
        var other = Write("c-2", "Byron") with { Fields = new Dictionary<string, string?> { [CrmFieldNames.LastName] = "Byron", [CrmFieldNames.Email] = "c-1@example.test" } };

        // Act
        var result = await h.Provider.UpsertAsync(Context(h), [other]);

        // Assert
        Assert.True(result[0].Created);
        Assert.Equal(2, h.Sim.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task GeneratedClient_ReadsWhatTheProviderWrote()
    {
        // Arrange: the Kiota-generated ReapitClient, from the same document, on the same simulator
        await using var h = ReapitHarness.Create();
        await h.Provider.UpsertAsync(Context(h), [Write("c-1", "Lovelace")]);
        using var http = new HttpClient();
        var accessToken = await ClientCredentialsTokenAsync(http, h);
        using var adapter = new HttpClientRequestAdapter(new BaseBearerTokenAuthenticationProvider(new StaticToken(accessToken))) { BaseUrl = h.Sim.BaseUrl.ToString().TrimEnd('/') };
        var client = new ReapitClient(adapter);

        // Act
        var page = await client.Contacts.EmptyPathSegment.GetAsync(r =>
        {
            r.QueryParameters.Email = ["c-1@example.test"];
            r.Headers.Add("api-version", "2020-01-31");
            r.Headers.Add("reapit-customer", ReapitHarness.Customer);
        });

        // Assert
        var contact = Assert.Single(page!.Embedded!);
        Assert.Equal("Lovelace", contact.Surname);
        Assert.Equal("Ada", contact.Forename);
        Assert.Equal(1, page.TotalCount);
        Assert.Equal("c-1", contact.Metadata!.AdditionalData["crmSyncExternalId"]?.ToString());
    }

    private static async Task<string> ClientCredentialsTokenAsync(HttpClient http, ReapitHarness h)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, h.Sim.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(h.Sim.ClientId + ":" + h.Sim.ClientSecret)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    internal static CrmProviderContext Context(ReapitHarness h, string customer = ReapitHarness.Customer) =>
        new("tenant-a", Guid.NewGuid(), null, new ConnectionSettings(), new StaticCredentials(new CrmCredentials { ApiKey = customer }));

    internal static CrmRecordWrite Write(string externalId, string lastName, string? owner = null, string? known = null) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = externalId,
        ExternalIdField = "metadata.crmSyncExternalId",
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = externalId + "@example.test",
        },
        OwnerIdOnCreate = owner,
        KnownCrmId = known,
    };

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) => Task.FromResult(token);
    }
}

/// <summary>A connection's credentials as the SDK would hand them to the provider.</summary>
internal sealed class StaticCredentials(CrmCredentials credentials) : ICrmCredentialAccessor
{
    public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(credentials);

    public Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default) =>
        throw new CrmAuthRevokedException("The test credentials cannot be refreshed.", "test");
}
