using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>Places where the provider and the simulator once agreed on behaviour HubSpot does not have.</summary>
public sealed class HubSpotContractMismatchTests
{
    [Theory]
    [InlineData(CrmObjectType.Email, "emails")]
    [InlineData(CrmObjectType.Call, "calls")]
    [InlineData(CrmObjectType.Meeting, "meetings")]
    public async Task UpsertAsync_Engagement_MarksItWithANonUniqueProperty(CrmObjectType type, string objectType)
    {
        // Arrange: HubSpot has no unique-value properties on engagements.
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c1")]))[0];

        // Act
        var result = (await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(type, "a1", contact.CrmRecordId)]))[0];

        // Assert
        Assert.True(result.Succeeded, result.Error);
        using var http = new HttpClient { BaseAddress = h.Simulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", h.Simulator.IssueAccessToken());
        var property = await http.GetFromJsonAsync<JsonObject>($"/crm/v3/properties/{objectType}/crmsync_external_id");
        Assert.False(property!["hasUniqueValue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task UpsertAsync_EngagementCreatedByALostAttempt_FindsItByItsMarkerAndUpdatesIt()
    {
        // Arrange: an earlier attempt created the call but its answer was lost, so CrmSync has no HubSpot id for it.
        await using var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c1")]))[0];
        var write = HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "call-1", contact.CrmRecordId);
        var first = (await h.Provider.UpsertAsync(context, [write]))[0];
        h.Simulator.LoseNextResponses(1);

        // Act: the same call again, without its id (as after a lost answer), and once more after the loss.
        await Assert.ThrowsAsync<CrmProviderUnavailableException>(() => h.Provider.UpsertAsync(context, [write]));
        var retried = (await h.Provider.UpsertAsync(context, [write]))[0];

        // Assert
        Assert.True(retried.Succeeded, retried.Error);
        Assert.Equal(first.CrmRecordId, retried.CrmRecordId);
        Assert.False(retried.Created);
        Assert.Single(h.Simulator.GetRecords("calls"));
    }
}

/// <summary>HubSpot limits search to 5 requests a second per account: the provider paces its searches instead of drawing 429s.</summary>
public sealed class HubSpotSearchLimitTests
{
    [Fact]
    public async Task UpsertAsync_MoreEngagementSearchesThanTheSecondAllows_PausesBeforeHubSpotAnswers429()
    {
        // Arrange: the provider allows 2 searches a second; the simulator would take more, so any pause is the provider's own
        await using var h = HubSpotHarness.Create(o => o.SearchRequestsPerSecond = 2, o => o.SearchRequestsPerSecond = 100);
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        var contact = (await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c1")]))[0];
        await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "call-1", contact.CrmRecordId)]);
        await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "call-2", contact.CrmRecordId)]);

        // Act: a third new call needs a third search within the same second
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "call-3", contact.CrmRecordId)]));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var next = (await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ActivityWrite(CrmObjectType.Call, "call-3", contact.CrmRecordId)]))[0];

        // Assert
        Assert.False(ex.IsDailyLimit);
        Assert.True(ex.RetryAfter <= TimeSpan.FromSeconds(1));
        Assert.True(next.Succeeded, next.Error);
        Assert.Equal(3, h.Simulator.GetRecords("calls").Count);
    }
}

/// <summary>HubSpot's daily limit: private-app tokens only, reset at midnight in the account's time zone.</summary>
public sealed class HubSpotDailyLimitTests
{
    private const string PrivateAppToken = "pat-na1-11111111-2222-3333-4444-555555555555";

    [Fact]
    public async Task UpsertAsync_PrivateAppDailyLimitReached_WaitsUntilMidnightInTheAccountsTimeZone()
    {
        // Arrange: 09:00 UTC on 23 Nov 2026 is 04:00 in New York; the limit resets at 05:00 UTC on the 24th.
        await using var h = HubSpotHarness.Create(simulator: o =>
        {
            o.PrivateAppTokens.Add(PrivateAppToken);
            o.AccountTimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
            o.DailyLimit = 1;
        });
        var context = h.Context(Guid.NewGuid(), new TestCredentials(h.Provider, new CrmCredentials { AccessToken = PrivateAppToken }));

        // Act
        var ex = await Assert.ThrowsAsync<CrmRateLimitedException>(() => h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c1")]));

        // Assert
        Assert.True(ex.IsDailyLimit);
        Assert.Equal(TimeSpan.FromHours(20), ex.RetryAfter);
    }

    [Fact]
    public async Task UpsertAsync_OAuthAppPastThePrivateAppDailyLimit_IsNotLimitedPerDay()
    {
        // Arrange: OAuth apps are limited per 10 seconds only.
        await using var h = HubSpotHarness.Create(simulator: o => o.DailyLimit = 1);
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);

        // Act
        var results = await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c1"), HubSpotCrmProviderContractTests.ContactWrite("c2")]);
        var again = await h.Provider.UpsertAsync(context, [HubSpotCrmProviderContractTests.ContactWrite("c3")]);

        // Assert
        Assert.All(results.Concat(again), r => Assert.True(r.Succeeded, r.Error));
    }
}

/// <summary>HubSpot's token endpoint errors carry status, message, correlationId and category, not an OAuth error field.</summary>
public sealed class HubSpotTokenErrorTests
{
    [Fact]
    public async Task RefreshAsync_WrongClientSecret_SaysTheAppCredentialsAreWrong()
    {
        // Arrange
        await using var h = HubSpotHarness.Create(o => o.ClientSecret = "not-the-secret");
        var context = h.Context(Guid.NewGuid(), new TestCredentials(h.Provider, new CrmCredentials { AccessToken = "expired", RefreshToken = "refresh" }));

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.RefreshAsync(context, new CrmCredentials { AccessToken = "expired", RefreshToken = "refresh" }));

        // Assert
        Assert.Contains("client id or secret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshAsync_UnknownRefreshToken_SaysAccessWasRevoked()
    {
        // Arrange
        await using var h = HubSpotHarness.Create();
        var context = h.Context(Guid.NewGuid(), new TestCredentials(h.Provider, new CrmCredentials { AccessToken = "expired", RefreshToken = "refresh" }));

        // Act
        var ex = await Assert.ThrowsAsync<CrmAuthRevokedException>(() => h.Provider.RefreshAsync(context, new CrmCredentials { AccessToken = "expired", RefreshToken = "unknown-refresh-token" }));

        // Assert
        Assert.Contains("uninstalled or its access was revoked", ex.Message, StringComparison.Ordinal);
    }
}
