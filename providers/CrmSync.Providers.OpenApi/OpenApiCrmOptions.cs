using System.ComponentModel.DataAnnotations;

namespace CrmSync.Providers.OpenApi;

/// <summary>
/// Options of one OpenAPI CRM (named by the profile's <see cref="OpenApiProfile.Name"/>), validated on start together
/// with the profile. Everything but the profile and the app credentials has a default that follows the profile.
/// </summary>
public sealed class OpenApiCrmOptions
{
    /// <summary>Gets or sets the profile. Set by the registration helper.</summary>
    public OpenApiProfile? Profile { get; set; }

    /// <summary>Gets or sets a path on disk to read the profile's OpenAPI document from, instead of the embedded or relative <see cref="OpenApiProfile.Document"/>.</summary>
    public string? DocumentPath { get; set; }

    /// <summary>Gets or sets the API base URL. Defaults to the profile's; point it at a simulator in tests.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets or sets the OAuth token endpoint. Defaults to the profile's.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>Gets or sets the OAuth authorize page. Defaults to the profile's.</summary>
    public Uri? AuthorizeUrl { get; set; }

    /// <summary>Gets or sets the OAuth client id of the host's app (client credentials and authorization code).</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the OAuth client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the burst limit per connection. Defaults to the profile's published limit.</summary>
    [Range(1, 100_000)]
    public int? BurstLimit { get; set; }

    /// <summary>Gets or sets the burst window. Defaults to the profile's.</summary>
    public TimeSpan? BurstWindow { get; set; }

    /// <summary>Gets or sets the daily request limit per connection. Defaults to the profile's.</summary>
    [Range(1, int.MaxValue)]
    public int? DailyLimit { get; set; }

    /// <summary>Gets or sets how many records of one connection are written at once. Defaults to the profile's concurrency.</summary>
    [Range(1, 32)]
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets the longest a request waits for room in the budget before the run pauses instead. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxBudgetWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long to wait after a 429 that says nothing about when to retry. Defaults to the burst window.</summary>
    public TimeSpan? DefaultThrottleWait { get; set; }

    /// <summary>Gets or sets how long one request may take. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a read (GET) is retried after a 5xx or a transport failure. Writes are never retried blindly. Defaults to 2; 0 turns retries off.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the first retry delay (exponential with jitter). Defaults to 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long before a client-credentials token expires a new one is fetched. Defaults to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);
}
