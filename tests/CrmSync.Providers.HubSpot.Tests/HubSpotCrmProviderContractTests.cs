using System.Security.Cryptography;
using System.Text;
using CrmSync.Providers.HubSpot.Simulator;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>The provider against the HubSpot simulator over real HTTP, without the engine.</summary>
public class HubSpotCrmProviderContractTests
{
    private static readonly string Verifier = new('v', 64);

    [Fact]
    public async Task BuildAuthorizeUri_Request_CarriesClientStateScopeAndPkceChallenge()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();

        // Act
        var uri = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-123", Challenge(Verifier), HubSpotHarness.RedirectUri, null));

        // Assert
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("/oauth/authorize", uri.AbsolutePath);
        Assert.Equal("crmsync-simulator-client", query["client_id"]);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal(Challenge(Verifier), query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(HubSpotHarness.RedirectUri.ToString(), query["redirect_uri"]);
        Assert.Contains("crm.objects.contacts.write", query["scope"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCodeAsync_SignedInWithPkce_ReturnsTokensExpiringIn30MinutesAndPortalLabel()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();

        // Act
        var result = await SignInAsync(h);

        // Assert
        Assert.NotNull(result.Credentials.AccessToken);
        Assert.NotNull(result.Credentials.RefreshToken);
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30), result.Credentials.ExpiresAt);
        Assert.Equal("HubSpot portal 20260101", result.AccountLabel);
        Assert.DoesNotContain(result.Credentials.AccessToken!, result.Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCodeAsync_WrongVerifier_ThrowsWithoutSecrets()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("s", Challenge(Verifier), HubSpotHarness.RedirectUri, null));
        var (code, _) = await HubSpotHarness.SignInAsync(authorize);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRequestFailedException>(() => h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, new string('w', 64), HubSpotHarness.RedirectUri, null)));

        // Assert
        Assert.Equal("BAD_CODE_VERIFIER", ex.ErrorCode);
        Assert.DoesNotContain(code, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("crmsync-simulator-secret", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_NewContacts_CreatesUniquePropertyAndContactsWithExternalIds()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        var writes = Enumerable.Range(1, 3).Select(i => ContactWrite($"c{i}")).ToList();

        // Act
        var results = await h.Provider.UpsertAsync(context, writes);

        // Assert
        Assert.All(results, r => Assert.True(r.Succeeded && r.Created, r.Error));
        var stored = h.Simulator.GetRecords("contacts");
        Assert.Equal(3, stored.Count);
        Assert.Equal(new[] { "c1", "c2", "c3" }, stored.Select(s => s.Properties["crmsync_external_id"]!).Order().ToArray());
        Assert.Equal(results.Select(r => r.CrmRecordId).Order(), stored.Select(s => s.Id).Order());
        Assert.Equal("Ada", stored[0].Properties["firstname"]);
    }

    [Fact]
    public async Task UpsertAsync_SameContactsAgain_UpdatesInPlaceWithoutDuplicates()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("c1"), ContactWrite("c2")]);

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1", lastName: "Byron"), ContactWrite("c2")]);

        // Assert
        Assert.All(results, r => Assert.True(r.Succeeded && !r.Created));
        var stored = h.Simulator.GetRecords("contacts");
        Assert.Equal(2, stored.Count);
        Assert.Equal("Byron", stored.Single(s => s.Properties["crmsync_external_id"] == "c1").Properties["lastname"]);
    }

    [Fact]
    public async Task UpsertAsync_InvalidEmailAndUnknownProperty_ReturnsPerRecordProblemsAndWritesTheRest()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        var unknown = ContactWrite("c3") with { MappedFields = new Dictionary<string, string?> { ["no_such_property"] = "x" } };

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1"), ContactWrite("c2", email: "not-an-email"), unknown]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(CrmProblemType.InvalidEmail, results[1].ProblemType);
        Assert.Contains("email", results[1].Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CrmProblemType.UnknownField, results[2].ProblemType);
        Assert.Contains("no_such_property", results[2].Error, StringComparison.Ordinal);
        Assert.Single(h.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task UpsertAsync_EmailExistsWithoutExternalId_LinksTheExistingContact()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("seed")]);
        await CreateRawContactAsync(h, "ada@example.test");

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1", email: "ada@example.test")]);

        // Assert
        Assert.True(results[0].Succeeded, results[0].Error);
        Assert.False(results[0].Created);
        var ada = Assert.Single(h.Simulator.GetRecords("contacts"), r => r.Properties["email"] == "ada@example.test");
        Assert.Equal("c1", ada.Properties["crmsync_external_id"]);
        Assert.Equal(ada.Id, results[0].CrmRecordId);
    }

    [Fact]
    public async Task UpsertAsync_EmailBelongsToAnotherExternalId_ReportsDuplicate()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("c1", email: "shared@example.test")]);

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c2", email: "shared@example.test")]);

        // Assert
        Assert.Equal(CrmProblemType.DuplicateRecord, results[0].ProblemType);
        Assert.Single(h.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task UpsertAsync_OwnerOnCreate_SetOnNewContactsOnly()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("old") with { OwnerIdOnCreate = "1001" }]);

        // Act
        await h.Provider.UpsertAsync(context, [ContactWrite("old") with { OwnerIdOnCreate = "1002" }, ContactWrite("new") with { OwnerIdOnCreate = "1002" }]);

        // Assert
        var stored = h.Simulator.GetRecords("contacts").ToDictionary(r => r.Properties["crmsync_external_id"]!);
        Assert.Equal("1001", stored["old"].OwnerId);
        Assert.Equal("1002", stored["new"].OwnerId);
    }

    [Theory]
    [InlineData(CrmObjectType.Email, "emails", 198)]
    [InlineData(CrmObjectType.Call, "calls", 194)]
    [InlineData(CrmObjectType.Meeting, "meetings", 200)]
    public async Task UpsertAsync_Activity_CreatesEngagementAssociatedToContactThenUpdatesIt(CrmObjectType type, string objectType, int typeId)
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [ContactWrite("c1")]))[0];
        var write = ActivityWrite(type, "a1", contact.CrmRecordId!);

        // Act
        var created = await h.Provider.UpsertAsync(context, [write]);
        var updated = await h.Provider.UpsertAsync(context, [write]);

        // Assert
        Assert.True(created[0].Succeeded && created[0].Created, created[0].Error);
        Assert.True(updated[0].Succeeded && !updated[0].Created, updated[0].Error);
        var engagement = Assert.Single(h.Simulator.GetRecords(objectType));
        Assert.Equal("a1", engagement.Properties["crmsync_external_id"]);
        var association = Assert.Single(engagement.Associations);
        Assert.Equal((contact.CrmRecordId, typeId), (association.ToObjectId, association.AssociationTypeId));
    }

    [Fact]
    public async Task UpsertAsync_ActivityWithoutContact_ReportsContactNotSynced()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [ActivityWrite(CrmObjectType.Call, "a1", null)]);

        // Assert
        Assert.Equal(CrmProblemType.ContactNotSynced, results[0].ProblemType);
    }

    [Fact]
    public async Task UpsertAsync_BurstLimitHit_ThrowsRateLimitedWithPolicyAndTenSeconds()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("c1")]);
        h.Simulator.SetBurstLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [ContactWrite("c2")]));

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.Equal("TEN_SECONDLY_ROLLING", ex.PolicyName);
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_BurstLimitWithRetryAfter_UsesRetryAfter()
    {
        // Arrange
        await using var h = HubSpotHarness.Create(simulator: s => s.RateLimitRetryAfter = TimeSpan.FromSeconds(3));
        var (context, _) = await ConnectAsync(h);
        h.Simulator.SetBurstLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.GetUsersAsync(context));

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_DailyLimitHit_ThrowsDailyLimitUntilMidnightUtc()
    {
        // Arrange: a private-app token in an account on UTC.
        await using var h = HubSpotHarness.Create();
        var context = h.Context(Guid.NewGuid(), new TestCredentials(h.Provider, new CrmCredentials { AccessToken = HubSpotHarness.PrivateAppToken }));
        h.Simulator.SetDailyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [ContactWrite("c1")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal("DAILY", ex.PolicyName);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero) - h.Time.GetUtcNow(), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_Outage_ThrowsProviderUnavailable()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        h.Simulator.SimulateOutage(true);

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [ContactWrite("c1")]));

        // Assert
        Assert.Equal(503, ex.Status);
    }

    [Fact]
    public async Task UpsertAsync_ResponseLost_ThrowsUnavailableAndTheRetryCreatesNoDuplicate()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("seed")]);
        h.Simulator.LoseNextResponses(1);

        // Act
        await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [ContactWrite("c1"), ContactWrite("c2")]));
        var retried = await h.Provider.UpsertAsync(context, [ContactWrite("c1"), ContactWrite("c2")]);

        // Assert
        Assert.All(retried, r => Assert.True(r.Succeeded && !r.Created));
        Assert.Equal(3, h.Simulator.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task UpsertAsync_LostResponseWithTransportRetries_RetriesOnceWithoutDuplicate()
    {
        // Arrange
        await using var h = HubSpotHarness.Create(o =>
        {
            o.MaxTransportRetries = 1;
            o.TransportRetryDelay = TimeSpan.Zero;
        });
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [ContactWrite("seed")]);
        h.Simulator.LoseNextResponses(1);

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(2, h.Simulator.GetRecords("contacts").Count);
    }

    [Fact]
    public async Task UpsertAsync_TokenExpiredAtHubSpot_RefreshesOnceAndSucceeds()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, credentials) = await ConnectAsync(h);
        h.Simulator.ExpireAccessTokens();

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task UpsertAsync_AppUninstalled_ThrowsAuthRevokedWithoutToken()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, credentials) = await ConnectAsync(h);
        var token = (await credentials.GetAsync()).AccessToken!;
        h.Simulator.RevokeAllTokens();

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.UpsertAsync(context, [ContactWrite("c1")]));

        // Assert
        Assert.Contains("Reconnect HubSpot", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_RefreshTokenRevoked_ThrowsAuthRevoked()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, credentials) = await ConnectAsync(h);
        var current = await credentials.GetAsync();
        h.Simulator.RevokeAllTokens();

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.RefreshAsync(context, current));

        // Assert
        Assert.Contains("revoked", ex.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(current.RefreshToken!, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUsersAsync_Owners_ReturnsActiveOwnersForThePicker()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);

        // Act
        var users = await h.Provider.GetUsersAsync(context);

        // Assert
        Assert.Equal([new CrmUser("1001", "Alex Owner", "alex.owner@example.com"), new CrmUser("1002", "Sam Seller", "sam.seller@example.com")], users);
    }

    [Fact]
    public async Task GetRecordLink_AfterAuthenticatedCall_LinksToThePortalRecord()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.GetUsersAsync(context);

        // Act
        var contact = h.Provider.GetRecordLink(context, CrmObjectType.Contact, "51");
        var call = h.Provider.GetRecordLink(context, CrmObjectType.Call, "77");

        // Assert
        Assert.Equal(new Uri("https://app.hubspot.com/contacts/20260101/record/0-1/51"), contact);
        Assert.Equal(new Uri("https://app.hubspot.com/contacts/20260101/record/0-48/77"), call);
    }

    [Fact]
    public async Task UpsertAsync_DateVersionedApi_UsesDatedPaths()
    {
        // Arrange
        await using var h = HubSpotHarness.Create(o => o.ApiVersion = "2026-03");
        var (context, _) = await ConnectAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [ContactWrite("c1")]);

        // Assert
        Assert.True(results[0].Succeeded, results[0].Error);
        Assert.Single(h.Simulator.GetRecords("contacts"));
    }

    internal static CrmRecordWrite ContactWrite(string id, string? email = null, string lastName = "Lovelace") => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = id,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = email ?? $"{id}@example.test",
        },
    };

    internal static CrmRecordWrite ActivityWrite(CrmObjectType type, string id, string? contactCrmId) => new()
    {
        ObjectType = type,
        ExternalId = id,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        ContactCrmId = contactCrmId,
        Fields = HubSpotHarness.Activity(type, id, "c1").Fields,
    };

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<CrmOAuthResult> SignInAsync(HubSpotHarness h)
    {
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", Challenge(Verifier), HubSpotHarness.RedirectUri, null));
        var (code, state) = await HubSpotHarness.SignInAsync(authorize);
        Assert.Equal("state-1", state);
        return await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, Verifier, HubSpotHarness.RedirectUri, null));
    }

    internal static async Task<(CrmProviderContext Context, TestCredentials Credentials)> ConnectAsync(HubSpotHarness h)
    {
        var signedIn = await SignInAsync(h);
        var credentials = new TestCredentials(h.Provider, signedIn.Credentials);
        var context = h.Context(Guid.NewGuid(), credentials);
        credentials.Context = context;
        return (context, credentials);
    }

    private static async Task CreateRawContactAsync(HubSpotHarness h, string email)
    {
        using var http = new HttpClient { BaseAddress = h.Simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", h.Simulator.IssueAccessToken());
        using var response = await http.PostAsync("/crm/v3/objects/contacts", new StringContent($"{{\"properties\":{{\"email\":\"{email}\"}}}}", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }
}
