using System.ComponentModel.DataAnnotations;

namespace CrmSync.Sdk;

/// <summary>Thresholds of the status and health rules.</summary>
public sealed class StatusRules
{
    /// <summary>Gets or sets how long without a successful sync makes a connection stale. Defaults to 36 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(36);

    /// <summary>Gets or sets how many recent runs the success rate covers. Defaults to 20.</summary>
    [Range(1, 1000)]
    public int SuccessRateRuns { get; set; } = 20;

    /// <summary>Gets or sets the success rate at or above which the health bar is green. Defaults to 0.95.</summary>
    [Range(0.0, 1.0)]
    public double GreenSuccessRate { get; set; } = 0.95;

    /// <summary>Gets or sets the success rate at or above which the health bar is amber (below it is red). Defaults to 0.80.</summary>
    [Range(0.0, 1.0)]
    public double AmberSuccessRate { get; set; } = 0.80;

    /// <summary>Gets or sets how recent an outage must be to count toward a provider-wide outage. Defaults to 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OutageWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets how many tenants must see a provider failing at once to call it an outage. Defaults to 2.</summary>
    [Range(1, 10000)]
    public int OutageMinTenants { get; set; } = 2;

    /// <summary>Gets or sets how many runs in a row that found the CRM not responding (5xx, timeouts, connection errors) make a connection's outage. Defaults to 3.</summary>
    [Range(1, 1000)]
    public int OutageAfterWaits { get; set; } = 3;

    /// <summary>Gets or sets how long a connection's CRM may keep not responding before it is an outage, whichever of this and <see cref="OutageAfterWaits"/> comes first. Defaults to 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OutageAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long an outage lasts before an alert is raised (once per outage). Defaults to 2 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan OutageAlertAfter { get; set; } = TimeSpan.FromHours(2);
}
