using System.Security.Cryptography;
using System.Text;
using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>The provider against the Salesforce simulator over real HTTP, without the engine.</summary>
public class SalesforceCrmProviderContractTests
{
    private static readonly string Verifier = new('v', 64);

    [Fact]
    public async Task BuildAuthorizeUri_Request_CarriesCodeFlowStateAndPkce()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();

        // Act
        var uri = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-9", Challenge(Verifier), SalesforceHarness.RedirectUri, null));

        // Assert
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("/services/oauth2/authorize", uri.AbsolutePath);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("state-9", query["state"]);
        Assert.Equal(Challenge(Verifier), query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("api refresh_token", query["scope"]);
    }

    [Fact]
    public async Task ExchangeCodeAsync_SignedIn_ReturnsTokensAndInstanceWithoutExpiry()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();

        // Act
        var result = await SignInAsync(h);

        // Assert
        Assert.NotNull(result.Credentials.AccessToken);
        Assert.NotNull(result.Credentials.RefreshToken);
        Assert.Null(result.Credentials.ExpiresAt);
        Assert.Equal(h.Simulator.BaseUrl.ToString().TrimEnd('/'), result.Credentials.InstanceUrl);
        Assert.Equal(h.Simulator.BaseUrl.Host, result.AccountLabel);
    }

    [Fact]
    public async Task UpsertAsync_NewContacts_UpsertsByExternalIdThenUpdatesInPlace()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);

        // Act
        var created = await h.Provider.UpsertAsync(context, [Write("c1"), Write("c2")]);
        var updated = await h.Provider.UpsertAsync(context, [Write("c1", lastName: "Byron"), Write("c2")]);

        // Assert
        Assert.All(created, r => Assert.True(r.Succeeded && r.Created, r.Error));
        Assert.All(updated, r => Assert.True(r.Succeeded && !r.Created, r.Error));
        var stored = h.Simulator.GetRecords("Contact");
        Assert.Equal(2, stored.Count);
        Assert.Equal("Byron", stored.Single(s => s.Properties["CrmSync_External_Id__c"] == "c1").Properties["LastName"]);
    }

    [Fact]
    public async Task UpsertAsync_LeadObjectSetting_WritesLeadsWithCompany()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var settings = new ConnectionSettings { ProviderSettings = new Dictionary<string, string> { [SalesforceCrmProvider.ObjectSetting] = "Lead" } };
        var (context, _) = await ConnectAsync(h, settings);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("l1"), Write("l2", company: null)]);

        // Assert
        Assert.True(results[0].Succeeded, results[0].Error);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, results[1].ProblemType);
        Assert.Contains("Company", results[1].Error, StringComparison.Ordinal);
        Assert.Equal("Acme", Assert.Single(h.Simulator.GetRecords("Lead")).Properties["Company"]);
    }

    [Fact]
    public async Task UpsertAsync_PartialFailures_MapsEachRecordsProblem()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [Write("c1", email: "taken@example.test")]);

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("ok"), Write("noname", lastName: null), Write("bad", email: "not-an-email"), Write("dupe", email: "taken@example.test")]);

        // Assert
        Assert.True(results[0].Succeeded);
        Assert.Equal(CrmProblemType.RequiredFieldMissing, results[1].ProblemType);
        Assert.Equal(CrmProblemType.InvalidEmail, results[2].ProblemType);
        Assert.Equal(CrmProblemType.DuplicateRecord, results[3].ProblemType);
        Assert.Contains("duplicate rule", results[3].Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UpsertAsync_OwnerOnCreate_SetOnNewRecordsOnly()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.UpsertAsync(context, [Write("old") with { OwnerIdOnCreate = "005SIM000000001AAA" }]);

        // Act
        await h.Provider.UpsertAsync(context, [Write("old") with { OwnerIdOnCreate = "005SIM000000002AAA" }, Write("new") with { OwnerIdOnCreate = "005SIM000000002AAA" }]);

        // Assert
        var stored = h.Simulator.GetRecords("Contact").ToDictionary(r => r.Properties["CrmSync_External_Id__c"]!);
        Assert.Equal("005SIM000000001AAA", stored["old"].OwnerId);
        Assert.Equal("005SIM000000002AAA", stored["new"].OwnerId);
    }

    [Theory]
    [InlineData(CrmObjectType.Email)]
    [InlineData(CrmObjectType.Call)]
    public async Task UpsertAsync_TaskInOrgWithoutCallCenter_WritesNoCallCenterFieldAndFindsItAgainByItsReference(CrmObjectType type)
    {
        // Arrange: CallObject, CallType, CallDurationInSeconds and CallDisposition exist only with Salesforce Call Center
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Write("c1")]))[0];
        var write = Activity(type, "a1", contact.CrmRecordId!);

        // Act: the second call is a retry after a lost answer (no known id)
        var first = (await h.Provider.UpsertAsync(context, [write]))[0];
        var second = (await h.Provider.UpsertAsync(context, [write]))[0];

        // Assert
        Assert.True(first.Succeeded && first.Created, first.Error);
        Assert.True(second.Succeeded && !second.Created, second.Error);
        Assert.Equal(first.CrmRecordId, second.CrmRecordId);
        var stored = Assert.Single(h.Simulator.GetRecords("Task"));
        Assert.DoesNotContain(stored.Properties.Keys, k => k.StartsWith("Call", StringComparison.Ordinal) && stored.Properties[k] is not null);
        Assert.Equal("Talked about the renewal.\n\ncrmsync-ref:a1", stored.Properties["Description"]);
    }

    [Fact]
    public async Task UpsertAsync_CallInOrgWithCallCenter_WritesCallDetailsButNoCallObject()
    {
        // Arrange
        await using var h = SalesforceHarness.Create(simulator: o => o.CallCenter = true);
        var (context, _) = await ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Write("c1")]))[0];

        // Act
        var result = (await h.Provider.UpsertAsync(context, [Activity(CrmObjectType.Call, "a1", contact.CrmRecordId!)]))[0];

        // Assert
        Assert.True(result.Succeeded, result.Error);
        var stored = Assert.Single(h.Simulator.GetRecords("Task"));
        Assert.Equal("330", stored.Properties["CallDurationInSeconds"]);
        Assert.Equal("Outbound", stored.Properties["CallType"]);
        Assert.Null(stored.Properties.GetValueOrDefault("CallObject"));
    }

    [Theory]
    [InlineData(CrmObjectType.Email, "Task")]
    [InlineData(CrmObjectType.Call, "Task")]
    [InlineData(CrmObjectType.Meeting, "Event")]
    public async Task UpsertAsync_ActivityRetriedWithoutKnownId_CreatesOneRecordLinkedToContact(CrmObjectType type, string sobject)
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [Write("c1")]))[0];
        var write = Activity(type, "a1", contact.CrmRecordId!);

        // Act: the second call is what a retry after a lost response looks like (the engine does not know the id yet).
        var first = await h.Provider.UpsertAsync(context, [write]);
        var second = await h.Provider.UpsertAsync(context, [write]);

        // Assert
        Assert.True(first[0].Succeeded && first[0].Created, first[0].Error);
        Assert.True(second[0].Succeeded && !second[0].Created, second[0].Error);
        Assert.Equal(first[0].CrmRecordId, second[0].CrmRecordId);
        var stored = Assert.Single(h.Simulator.GetRecords(sobject));
        Assert.Equal(contact.CrmRecordId, stored.Properties["WhoId"]);
    }

    [Fact]
    public async Task UpsertAsync_DailyLimit_ThrowsDailyRateLimitNotRevoked()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        h.Simulator.SetDailyLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Write("c1")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.NotNull(ex.RetryAfter);
        Assert.InRange(ex.RetryAfter!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(25));
    }

    [Fact]
    public async Task UpsertAsync_ConcurrencyLimit_ThrowsShortRateLimit()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        h.Simulator.SetConcurrentLongRequestLimit(0);

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [Write("c1")]));

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task SyncNowAsync_SignedInWithoutApiScope_RevokedWithWhatTheAdminMustGrant()
    {
        // Arrange: a connected app whose OAuth scopes lack api; Salesforce refuses every REST call for such a session.
        await using var h = SalesforceHarness.Create(o => o.Scopes = "refresh_token");
        var connection = await h.ConnectAsync();
        await h.Client.EnqueueAsync(SalesforceHarness.Tenant, [SalesforceHarness.Contact("c1")]);

        // Act
        var run = await h.Client.SyncNowAsync(SalesforceHarness.Tenant, connection.Id);

        // Assert
        Assert.Equal(SyncRunOutcome.Revoked, run.Outcome);
        var status = (await h.Client.GetConnectionAsync(SalesforceHarness.Tenant, connection.Id)).Status;
        Assert.Contains("'Manage user data via APIs (api)' OAuth scope", status.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.GetRecords("Contact"));
    }

    [Fact]
    public async Task UpsertAsync_SessionExpired_RefreshesOnceAndSucceeds()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, credentials) = await ConnectAsync(h);
        h.Time.Advance(TimeSpan.FromHours(3));

        // Act
        var results = await h.Provider.UpsertAsync(context, [Write("c1")]);

        // Assert
        Assert.True(results[0].Succeeded, results[0].Error);
        Assert.Equal(1, credentials.Refreshes);
    }

    [Fact]
    public async Task UpsertAsync_Revoked_ThrowsAuthRevokedWithoutToken()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, credentials) = await ConnectAsync(h);
        var current = await credentials.GetAsync();
        h.Simulator.RevokeAllTokens();

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.UpsertAsync(context, [Write("c1")]));

        // Assert: Salesforce's answer ("expired access/refresh token") says the sign-in expired.
        Assert.Contains("Reconnect Salesforce", ex.Reason, StringComparison.Ordinal);
        Assert.True(ex.CredentialsExpired);
        Assert.DoesNotContain(current.AccessToken!, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(current.RefreshToken!, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpsertAsync_Outage_ThrowsProviderUnavailable()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        h.Simulator.SimulateOutage(true);

        // Act
        var ex = await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [Write("c1")]));

        // Assert
        Assert.Equal(503, ex.Status);
    }

    [Fact]
    public async Task GetUsersAsync_Users_ReturnsActiveUsersOnly()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);

        // Act
        var users = await h.Provider.GetUsersAsync(context);

        // Assert
        Assert.Equal(["005SIM000000001AAA", "005SIM000000002AAA"], users.Select(u => u.Id).Order().ToArray());
        Assert.Contains(new CrmUser("005SIM000000001AAA", "Alex Owner", "alex.owner@example.com"), users);
    }

    [Fact]
    public async Task GetRecordLink_AfterAuthenticatedCall_LinksToLightningRecordPage()
    {
        // Arrange
        await using var h = SalesforceHarness.Create();
        var (context, _) = await ConnectAsync(h);
        await h.Provider.GetUsersAsync(context);

        // Act
        var link = h.Provider.GetRecordLink(context, CrmObjectType.Meeting, "00USIM000000001AAA");

        // Assert
        Assert.Equal(new Uri(h.Simulator.BaseUrl, "lightning/r/Event/00USIM000000001AAA/view"), link);
    }

    private static CrmRecordWrite Write(string id, string? email = null, string? lastName = "Lovelace", string? company = "Acme") => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = id,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = email ?? $"{id}@example.test",
            [CrmFieldNames.Company] = company,
        },
    };

    private static CrmRecordWrite Activity(CrmObjectType type, string id, string contactCrmId) => new()
    {
        ObjectType = type,
        ExternalId = id,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        ContactCrmId = contactCrmId,
        Fields = SalesforceHarness.Activity(type, id, "c1").Fields,
    };

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<CrmOAuthResult> SignInAsync(SalesforceHarness h)
    {
        var authorize = h.Provider.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest("state-1", Challenge(Verifier), SalesforceHarness.RedirectUri, null));
        var (code, state) = await SalesforceHarness.SignInAsync(authorize);
        Assert.Equal("state-1", state);
        return await h.Provider.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, Verifier, SalesforceHarness.RedirectUri, null));
    }

    internal static async Task<(CrmProviderContext Context, TestCredentials Credentials)> ConnectAsync(SalesforceHarness h, ConnectionSettings? settings = null)
    {
        var signedIn = await SignInAsync(h);
        var credentials = new TestCredentials(h.Provider, signedIn.Credentials);
        var context = h.Context(Guid.NewGuid(), credentials, settings);
        credentials.Context = context;
        return (context, credentials);
    }
}
