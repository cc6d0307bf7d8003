using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace CrmSync.Providers.HubSpot.Simulator.Tests;

public class HubSpotSimulatorControlTests
{
    [Fact]
    public async Task ApiCall_Always_CarriesBurstRateLimitHeaders()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal("110", response.Headers.GetValues("X-HubSpot-RateLimit-Max").Single());
        Assert.Equal("109", response.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());
        Assert.Equal("10000", response.Headers.GetValues("X-HubSpot-RateLimit-Interval-Milliseconds").Single());
        Assert.False(response.Headers.Contains("X-HubSpot-RateLimit-Daily"));
    }

    [Fact]
    public async Task ApiCall_PrivateAppToken_AlsoCarriesDailyHeaders()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.PrivateAppTokens.Add("pat-na1-test"));
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pat-na1-test");
        fixture.Time.Advance(TimeSpan.FromDays(3));

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("250000", response.Headers.GetValues("X-HubSpot-RateLimit-Daily").Single());
        Assert.Equal("249999", response.Headers.GetValues("X-HubSpot-RateLimit-Daily-Remaining").Single());
    }

    [Fact]
    public async Task SetBurstLimit_Exceeded_Returns429TenSecondlyRollingUntilWindowPasses()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.RateLimitRetryAfter = TimeSpan.FromSeconds(10));
        fixture.Simulator.SetBurstLimit(2);
        await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Act
        var limited = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(limited);
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var afterWindow = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("TEN_SECONDLY_ROLLING", body["policyName"]!.ToString());
        Assert.Equal("You have reached your ten_secondly_rolling limit.", body["message"]!.ToString());
        Assert.Equal("0", limited.Headers.GetValues("X-HubSpot-RateLimit-Remaining").Single());
        Assert.Equal(TimeSpan.FromSeconds(10), limited.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, afterWindow.StatusCode);
    }

    [Fact]
    public async Task GetBurstAllowance_CallsAsFastAsAdmitted_EqualsWhatTheSimulatorAccepted()
    {
        // Arrange: call until refused, then once a window has passed, twice, and count what was accepted.
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetBurstLimit(3, TimeSpan.FromSeconds(2));
        var accepted = 0;
        var period = TimeSpan.FromSeconds(4.5);
        for (var elapsed = TimeSpan.Zero; elapsed <= period; elapsed += TimeSpan.FromMilliseconds(500))
        {
            while ((await fixture.Client.GetAsync("/crm/v3/objects/contacts")).StatusCode == HttpStatusCode.OK)
            {
                accepted++;
            }

            fixture.Time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // Act
        var allowance = fixture.Simulator.GetBurstAllowance(period);

        // Assert: 3 at the start, 3 at 2 s, 3 at 4 s.
        Assert.Equal(9, accepted);
        Assert.Equal(accepted, allowance);
        Assert.Equal(3, fixture.Simulator.GetBurstAllowance(TimeSpan.FromSeconds(1.99)));
    }

    [Fact]
    public async Task SetDailyLimit_PrivateAppTokenExceeded_Returns429DailyUntilMidnight()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture(o => o.PrivateAppTokens.Add("pat-na1-fixture"));
        fixture.Client.DefaultRequestHeaders.Authorization = new("Bearer", "pat-na1-fixture");
        fixture.Simulator.SetDailyLimit(1);
        await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Act
        var limited = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(limited);
        fixture.Time.Advance(TimeSpan.FromHours(15));
        var nextDay = await fixture.Client.GetAsync("/crm/v3/objects/owners");

        // Assert
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("DAILY", body["policyName"]!.ToString());
        Assert.Equal("You have reached your daily limit.", body["message"]!.ToString());
        Assert.False(limited.Headers.Contains("Retry-After"));
        Assert.NotEqual((HttpStatusCode)429, nextDay.StatusCode);
    }

    [Fact]
    public async Task SetDailyLimit_OAuthToken_IsNotLimitedPerDay()
    {
        // Arrange: HubSpot's daily limit applies to private apps; OAuth apps are limited per 10 seconds only.
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetDailyLimit(1);

        // Act
        var first = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var second = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("X-HubSpot-RateLimit-Daily"));
    }

    [Fact]
    public async Task SetDailyLimit_AccountInNewYork_ResetsAtMidnightThere()
    {
        // Arrange: 09:00 UTC is 04:00 in New York; the limit resets at 05:00 UTC the next day, not at midnight UTC.
        using var fixture = new HubSpotSimulatorFixture(o =>
        {
            o.PrivateAppTokens.Add("pat-na1-fixture");
            o.AccountTimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        });
        fixture.Client.DefaultRequestHeaders.Authorization = new("Bearer", "pat-na1-fixture");
        fixture.Simulator.SetDailyLimit(1);
        await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var start = fixture.Time.GetUtcNow();

        // Act
        fixture.Time.SetUtcNow(new DateTimeOffset(start.UtcDateTime.Date.AddDays(1).AddHours(1), TimeSpan.Zero));
        var afterUtcMidnight = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        fixture.Time.SetUtcNow(new DateTimeOffset(start.UtcDateTime.Date.AddDays(1).AddHours(5).AddMinutes(1), TimeSpan.Zero));
        var afterNewYorkMidnight = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal((HttpStatusCode)429, afterUtcMidnight.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterNewYorkMidnight.StatusCode);
    }

    [Fact]
    public async Task CreateProperty_UniqueOnEngagement_IsRefused()
    {
        // Arrange: HubSpot documents unique-value properties for contacts, companies, deals, tickets and custom objects.
        using var fixture = new HubSpotSimulatorFixture();
        using var content = new StringContent("""{"name":"ext_id","label":"Ext","type":"string","fieldType":"text","groupName":"engagement","hasUniqueValue":true}""", System.Text.Encoding.UTF8, "application/json");

        // Act
        var response = await fixture.Client.PostAsync("/crm/v3/properties/emails", content);
        var body = await HubSpotSimulatorFixture.ReadJsonAsync(response);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", body["category"]!.ToString());
        Assert.False(string.IsNullOrEmpty(body["correlationId"]?.ToString()));
    }

    [Fact]
    public async Task SimulateOutage_ServiceUnavailable_Returns503UntilCleared()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();

        // Act
        fixture.Simulator.SimulateOutage(true);
        var during = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        fixture.Simulator.SimulateOutage(false);
        var after = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SimulateOutage_Timeout_ClientTimesOut()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Client.Timeout = TimeSpan.FromMilliseconds(300);
        fixture.Simulator.SimulateOutage(true, HubSpotOutageKind.Timeout);

        // Act
        var error = await Record.ExceptionAsync(() => fixture.Client.GetAsync("/crm/v3/objects/contacts"));
        fixture.Simulator.SimulateOutage(false);

        // Assert
        Assert.IsType<TaskCanceledException>(error);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
    }

    [Fact]
    public async Task LoseNextResponses_Create_AppliesWriteButDropsConnection()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.LoseNextResponses(1);

        // Act
        var error = await Record.ExceptionAsync(() => fixture.CreateContactAsync("a@b.com"));
        var retry = await fixture.CreateContactAsync("a@b.com");

        // Assert
        Assert.IsType<HttpRequestException>(error);
        Assert.Single(fixture.Simulator.GetRecords("contacts"));
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
    }

    [Fact]
    public async Task SetLatency_Positive_DelaysResponses()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        fixture.Simulator.SetLatency(TimeSpan.FromMilliseconds(250));
        var stopwatch = Stopwatch.StartNew();

        // Act
        var response = await fixture.Client.GetAsync("/crm/v3/objects/contacts");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(240), $"Elapsed {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Reset_AfterActivity_ClearsRecordsTokensAndCounters()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateContactAsync("a@b.com");
        await fixture.CreateExternalIdPropertyAsync();
        var countBefore = fixture.Simulator.RequestCount;

        // Act
        fixture.Simulator.Reset();
        var afterReset = await fixture.Client.GetAsync("/crm/v3/objects/contacts");
        var property = await fixture.Client.GetAsync("/crm/v3/properties/contacts/crm_sync_ext_id");

        // Assert
        Assert.Equal(2, countBefore);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReset.StatusCode);
        Assert.Equal(2, fixture.Simulator.RequestCount);
        Assert.Empty(fixture.Simulator.GetRecords("contacts"));
        Assert.Equal(HttpStatusCode.Unauthorized, property.StatusCode);
    }

    [Fact]
    public async Task Reset_CustomProperty_IsRemoved()
    {
        // Arrange
        using var fixture = new HubSpotSimulatorFixture();
        await fixture.CreateExternalIdPropertyAsync();

        // Act
        fixture.Simulator.Reset();
        fixture.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Simulator.IssueAccessToken());
        var property = await fixture.Client.GetAsync("/crm/v3/properties/contacts/crm_sync_ext_id");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, property.StatusCode);
    }
}
