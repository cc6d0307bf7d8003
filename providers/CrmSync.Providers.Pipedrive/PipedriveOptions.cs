using System.ComponentModel.DataAnnotations;

namespace CrmSync.Providers.Pipedrive;

/// <summary>Options of the Pipedrive provider, validated on start. Defaults match Pipedrive's documented API and limits.</summary>
public sealed class PipedriveOptions
{
    /// <summary>
    /// Gets or sets the API base used when a connection has no <c>api_domain</c> of its own (API-token connections without
    /// a company domain). OAuth connections use the <c>api_domain</c> Pipedrive returns with their tokens.
    /// Defaults to <c>https://api.pipedrive.com</c>; point it at a simulator in tests.
    /// </summary>
    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://api.pipedrive.com");

    /// <summary>Gets or sets Pipedrive's OAuth server (<c>/oauth/authorize</c> and <c>/oauth/token</c> below it). Defaults to <c>https://oauth.pipedrive.com</c>.</summary>
    [Required]
    public Uri OAuthBaseUrl { get; set; } = new("https://oauth.pipedrive.com");

    /// <summary>Gets or sets the web app used for deep links until a connection's company domain is known. Defaults to <c>https://app.pipedrive.com</c>.</summary>
    [Required]
    public Uri AppBaseUrl { get; set; } = new("https://app.pipedrive.com");

    /// <summary>Gets or sets the OAuth client id of the host's Pipedrive app. Defaults to none: connections then use API tokens only.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the OAuth client secret. Required together with <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Gets or sets the name of the custom person field that holds the host's record id. CrmSync creates it when missing.
    /// Defaults to <see langword="null"/>: "<c>{ProductName} External ID</c>" from <c>CrmSyncOptions.ProductName</c>.
    /// </summary>
    public string? ExternalIdFieldName { get; set; }

    /// <summary>
    /// Gets or sets how many records one sync call hands the provider and how many it writes at once. Pipedrive has no
    /// batch endpoint, so each record is its own requests; they run concurrently up to this bound, inside the request
    /// budget. 1 writes strictly one record at a time. Defaults to 4.
    /// </summary>
    [Range(1, 32)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// Gets or sets the burst limit per connection: requests per <see cref="BurstWindow"/>. Pipedrive's own
    /// <c>x-ratelimit-limit</c> lowers it when the plan allows less. Defaults to 40 (Growth plan, API token).
    /// </summary>
    [Range(1, 100_000)]
    public int BurstLimit { get; set; } = 40;

    /// <summary>Gets or sets the burst window. Defaults to 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the separate burst limit of the search API per <see cref="BurstWindow"/>. Defaults to 10 (all plans).</summary>
    [Range(1, 100_000)]
    public int SearchBurstLimit { get; set; } = 10;

    /// <summary>
    /// Gets or sets the company's daily API token budget. Defaults to <see langword="null"/>: the budget Pipedrive reports in
    /// <c>x-daily-ratelimit-token-limit</c> and <c>x-daily-ratelimit-token-remaining</c> applies.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? DailyTokenBudget { get; set; }

    /// <summary>Gets or sets the longest a request waits for room in the budget before the run pauses instead. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxBudgetWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long to pause after Pipedrive's HTML 403 block page (sent after repeated 429s). Defaults to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BlockedRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets whether emails are logged as notes on the person (v1 notes) instead of "email" activities. Defaults to <see langword="false"/>.</summary>
    public bool LogEmailsAsNotes { get; set; }

    /// <summary>Gets or sets how long one request may take. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a read (GET) is retried after a 5xx or a transport failure. Writes are never retried blindly. Defaults to 2; 0 turns retries off.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Gets or sets the first retry delay (exponential with jitter). Defaults to 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
