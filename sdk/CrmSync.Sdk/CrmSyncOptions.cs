using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>Options of CrmSync, validated on start.</summary>
public sealed class CrmSyncOptions
{
    /// <summary>Gets or sets the product name users see, used in the test contact's name ("{ProductName} Sync Test"). Defaults to <c>CrmSync</c>.</summary>
    [Required]
    public string ProductName { get; set; } = "CrmSync";

    /// <summary>Gets or sets the number of consecutive failed runs that raise an alert. Defaults to 3.</summary>
    [Range(1, 100)]
    public int AlertAfterConsecutiveFailures { get; set; } = 3;

    /// <summary>Gets or sets the status and health thresholds.</summary>
    [ValidateObjectMembers]
    public StatusRules Status { get; set; } = new();

    /// <summary>Gets or sets how often the scheduler looks for due connections. Defaults to 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SchedulerPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets whether the hosted scheduler runs. Defaults to <see langword="true"/>.</summary>
    public bool EnableScheduler { get; set; } = true;

    /// <summary>Gets or sets how long a run's lease lasts before another instance may take over a crashed run. Defaults to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets this host instance's stable id. A run's lease names its instance, so a restarted instance (same id)
    /// takes back at once the leases its previous process left instead of waiting for them to lapse. Defaults to
    /// <see cref="DefaultInstanceId"/>: the machine name and a hash of the application's folder, stable across restarts.
    /// Set it when several instances run on one machine from one folder (each needs its own id).
    /// </summary>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string InstanceId { get; set; } = DefaultInstanceId();

    /// <summary>
    /// Gets or sets how many connections this instance syncs at once. Due connections start in due order as slots free
    /// up, so a slow or throttled CRM holds one slot and delays no other tenant; each connection's request budget still
    /// paces its CRM. Defaults to 8.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentRuns { get; set; } = 8;

    /// <summary>Gets or sets how many connections one scheduler tick runs at most. Defaults to 50.</summary>
    [Range(1, 10000)]
    public int MaxConnectionsPerTick { get; set; } = 50;

    /// <summary>Gets or sets how many records a run reads from the outbox at once. Defaults to 500.</summary>
    [Range(1, 10000)]
    public int OutboxReadSize { get; set; } = 500;

    /// <summary>Gets or sets how many records one run pushes at most before yielding to other connections. Defaults to 50,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRecordsPerRun { get; set; } = 50_000;

    /// <summary>Gets or sets how long to wait after a throttle or outage when the CRM gives no Retry-After. Defaults to 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DefaultRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long processed outbox items and log entries are kept. Defaults to 30 days.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets how early an OAuth access token is refreshed before it expires. Defaults to 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets the detail page of one connection, for hosts and widgets that link to it; <c>{provider}</c> and <c>{connectionId}</c> are replaced.
    /// Defaults to <c>/settings/integrations/{provider}</c>.
    /// </summary>
    public string ConnectionPageUrl { get; set; } = "/settings/integrations/{provider}";

    /// <summary>
    /// Gets or sets the link alerts carry: the Integrations page where the owner investigates (note 001); <c>{provider}</c> and
    /// <c>{connectionId}</c> are replaced when present. Defaults to <c>/settings/integrations</c>.
    /// </summary>
    public string IntegrationsPageUrl { get; set; } = "/settings/integrations";

    /// <summary>
    /// Gets or sets the words widgets show for each status, for hosts whose vocabulary differs from the defaults of notes 000 and 002
    /// (for example note 004's "Failed Sync" for <see cref="ConnectionStatus.Error"/>). A status not listed keeps its default label.
    /// </summary>
    public IDictionary<ConnectionStatus, string> StatusLabels { get; set; } = new Dictionary<ConnectionStatus, string>();

    /// <summary>Gets or sets the host's base address, so alert links are absolute. Defaults to none (relative links).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the options of the fetch direction: import roles, page size, rate-limit waits, lead-source retries.</summary>
    [ValidateObjectMembers]
    public CrmImportOptions Import { get; set; } = new();

    /// <summary>
    /// Gets or sets the settings new connections start with when the caller gives none (for example a 4-hour schedule,
    /// or fetch as well as send). Defaults to <see cref="ConnectionSettings"/>'s defaults: send only, everything on, every 5 minutes.
    /// </summary>
    public ConnectionSettings DefaultConnectionSettings { get; set; } = new();

    /// <summary>Gets or sets the host field names, when the host declares them: mappings that use other fields are then rejected when saved.</summary>
    public ICollection<string>? KnownSourceFields { get; set; }

    /// <summary>Gets the default <see cref="InstanceId"/>: the machine name and a hash of the application's folder.</summary>
    /// <returns>For example <c>web-01-3f9a2c1b</c>.</returns>
    public static string DefaultInstanceId()
    {
        var folder = System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(folder).AsSpan(0, 4));
        return $"{Environment.MachineName}-{hash}";
    }
}
