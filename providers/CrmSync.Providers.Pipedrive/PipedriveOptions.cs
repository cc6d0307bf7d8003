using System.ComponentModel.DataAnnotations;
using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Pipedrive;

/// <summary>
/// Options of the Pipedrive provider, validated on start. Defaults match Pipedrive's documented API and limits. The OAuth client
/// (optional: without it connections use API tokens), request budget and transport rules come from <see cref="CrmProviderOptions"/>.
/// </summary>
public sealed class PipedriveOptions : CrmProviderOptions
{
    /// <summary>
    /// Initializes the options. The request budget defaults to 40 requests per 2-second window (Growth plan, API token; Pipedrive's
    /// own <c>x-ratelimit-limit</c> lowers it when the plan allows less) with a calendar-day token budget that resets at midnight UTC,
    /// learned from Pipedrive's headers when no <see cref="CrmRequestBudgetOptions.DailyLimit"/> is set.
    /// </summary>
    public PipedriveOptions()
    {
        RequestBudget = new CrmRequestBudgetOptions
        {
            BurstLimit = 40,
            BurstWindow = TimeSpan.FromSeconds(2),
            DailyWindow = CrmDailyLimitWindow.CalendarDay,
            DailyResetTimeZone = TimeZoneInfo.Utc,
        };
    }

    /// <summary>
    /// Gets or sets the API base used when a connection has no <c>api_domain</c> of its own (API-token connections without
    /// a company domain). OAuth connections use the <c>api_domain</c> Pipedrive returns with their tokens.
    /// Defaults to <c>https://api.pipedrive.com</c>; point it at a simulator in tests.
    /// </summary>
    [Required]
    public Uri ApiBaseAddress { get; set; } = new("https://api.pipedrive.com");

    /// <summary>Gets or sets Pipedrive's OAuth server (<c>/oauth/authorize</c> and <c>/oauth/token</c> below it). Defaults to <c>https://oauth.pipedrive.com</c>.</summary>
    [Required]
    public Uri OAuthBaseAddress { get; set; } = new("https://oauth.pipedrive.com");

    /// <summary>Gets or sets the web app used for deep links until a connection's company domain is known. Defaults to <c>https://app.pipedrive.com</c>.</summary>
    [Required]
    public Uri AppBaseAddress { get; set; } = new("https://app.pipedrive.com");

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

    /// <summary>Gets or sets the separate burst limit of the search API per <see cref="CrmRequestBudgetOptions.BurstWindow"/> of <see cref="CrmProviderOptions.RequestBudget"/>. Defaults to 10 (all plans).</summary>
    [Range(1, 100_000)]
    public int SearchBurstLimit { get; set; } = 10;

    /// <summary>Gets or sets how long to pause after Pipedrive's HTML 403 block page (sent after repeated 429s). Defaults to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BlockedRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets whether emails are logged as notes on the person (v1 notes) instead of "email" activities. Defaults to <see langword="false"/>.</summary>
    public bool LogEmailsAsNotes { get; set; }
}
