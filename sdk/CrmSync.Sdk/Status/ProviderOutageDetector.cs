namespace CrmSync.Sdk;

/// <summary>Detects provider-wide outages: several tenants on one provider failing with 5xx or timeouts at once.</summary>
public static class ProviderOutageDetector
{
    /// <summary>Returns the providers that are having an outage.</summary>
    /// <param name="connections">Every connection's provider, tenant and last outage time.</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The thresholds (<see cref="StatusRules.OutageWindow"/>, <see cref="StatusRules.OutageMinTenants"/>).</param>
    /// <returns>The provider names with an outage, sorted.</returns>
    public static IReadOnlyList<string> Detect(IEnumerable<(string Provider, string TenantId, DateTimeOffset? LastOutageAt)> connections, DateTimeOffset now, StatusRules rules)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(rules);
        return connections
            .Where(c => c.LastOutageAt is { } at && now - at <= rules.OutageWindow && at <= now)
            .GroupBy(c => c.Provider, StringComparer.Ordinal)
            .Where(g => g.Select(c => c.TenantId).Distinct(StringComparer.Ordinal).Count() >= rules.OutageMinTenants)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
