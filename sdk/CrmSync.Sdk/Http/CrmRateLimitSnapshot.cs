namespace CrmSync.Sdk.Http;

/// <summary>
/// What a CRM said about its limits in one response (for example <c>X-HubSpot-RateLimit-*</c> or
/// Salesforce <c>Sforce-Limit-Info</c>). Every value is optional; report what the response carried.
/// </summary>
public sealed record CrmRateLimitSnapshot
{
    /// <summary>Gets the burst limit the CRM applies to this connection, per <see cref="BurstWindow"/>.</summary>
    public int? BurstLimit { get; init; }

    /// <summary>Gets how many requests remain in the current burst window.</summary>
    public int? BurstRemaining { get; init; }

    /// <summary>Gets the burst window length.</summary>
    public TimeSpan? BurstWindow { get; init; }

    /// <summary>Gets the daily quota.</summary>
    public int? DailyLimit { get; init; }

    /// <summary>Gets how many requests remain of the daily quota.</summary>
    public int? DailyRemaining { get; init; }
}
