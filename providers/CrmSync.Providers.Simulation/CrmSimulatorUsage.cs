namespace CrmSync.Providers.Simulation;

/// <summary>What a simulated CRM metered, in the unit the real CRM meters (HubSpot calls, Salesforce API requests, Pipedrive tokens, Zoho credits).</summary>
/// <param name="Unit">The unit (for example <c>credits</c>).</param>
/// <param name="Requests">The HTTP requests received, metered or not (OAuth and throttled answers included).</param>
/// <param name="Used">The units charged.</param>
/// <param name="DailyLimit">The daily quota in <paramref name="Unit"/>, when one is set.</param>
/// <param name="DailyUsed">The units charged in the current daily window.</param>
public sealed record CrmSimulatorUsage(string Unit, long Requests, long Used, long? DailyLimit, long DailyUsed)
{
    /// <summary>Gets what is left of the daily quota, when one is set.</summary>
    public long? DailyRemaining => DailyLimit is { } limit ? Math.Max(0, limit - DailyUsed) : null;
}
