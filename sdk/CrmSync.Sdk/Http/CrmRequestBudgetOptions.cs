using System.ComponentModel.DataAnnotations;

namespace CrmSync.Sdk.Http;

/// <summary>
/// The documented request limits of one CRM, which <see cref="CrmRequestBudget"/> keeps each connection under.
/// Providers fill it from their vendor's limits (for example HubSpot 100 calls per 10 seconds, Pipedrive's
/// token budget per 2 seconds) and let hosts tighten it.
/// </summary>
public sealed class CrmRequestBudgetOptions
{
    /// <summary>Gets or sets how many requests one connection may start per <see cref="BurstWindow"/>. <see langword="null"/> means no burst limit. Defaults to <see langword="null"/>.</summary>
    [Range(1, 1_000_000)]
    public int? BurstLimit { get; set; }

    /// <summary>Gets or sets the length of the rolling burst window. Defaults to 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many requests one connection may make per day. <see langword="null"/> means unknown: the budget then relies on what the CRM reports. Defaults to <see langword="null"/>.</summary>
    [Range(1, int.MaxValue)]
    public int? DailyLimit { get; set; }

    /// <summary>Gets or sets how the daily quota is counted. Defaults to <see cref="CrmDailyLimitWindow.CalendarDay"/>.</summary>
    public CrmDailyLimitWindow DailyWindow { get; set; } = CrmDailyLimitWindow.CalendarDay;

    /// <summary>Gets or sets the time zone whose midnight resets a <see cref="CrmDailyLimitWindow.CalendarDay"/> quota. Defaults to UTC.</summary>
    public TimeZoneInfo DailyResetTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Gets or sets the longest a request waits for room in the budget. A longer wait throws
    /// <see cref="CrmRateLimitedException"/> instead, so the engine reschedules the connection rather than holding it. Defaults to 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(30);
}
