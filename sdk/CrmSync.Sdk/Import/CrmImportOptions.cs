using System.ComponentModel.DataAnnotations;

namespace CrmSync.Sdk;

/// <summary>Options of the fetch direction: imports, the import inbox and lead-source integrations.</summary>
public sealed class CrmImportOptions
{
    /// <summary>Gets or sets the host roles that may approve or reject inbox items. Defaults to <c>manager</c> and <c>admin</c>.</summary>
    [Required]
    public ICollection<string> ApproverRoles { get; set; } = ["manager", "admin"];

    /// <summary>
    /// Gets or sets the host roles that may preview and run imports and manage lead-source integrations.
    /// Defaults to <c>owner</c>, <c>admin</c> and <c>manager</c>.
    /// </summary>
    [Required]
    public ICollection<string> OperatorRoles { get; set; } = ["owner", "admin", "manager"];

    /// <summary>Gets or sets how many records an import asks the CRM for per page (capped by the provider's maximum). Defaults to 100.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Gets or sets how many sample records the import preview shows. Defaults to 10.</summary>
    [Range(0, 100)]
    public int PreviewSampleSize { get; set; } = 10;

    /// <summary>
    /// Gets or sets the longest rate-limit or outage wait an import sits out in-process before asking for the same page
    /// again. Longer waits park the run (status <see cref="CrmImportRunStatus.Waiting"/>) with its cursor; it resumes through
    /// <see cref="CrmImportClient.ResumeImportAsync"/> or <see cref="CrmImportClient.ResumeDueImportsAsync"/>. Defaults to 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxInlineRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many in-process waits one page gets before the run is parked. Defaults to 3.</summary>
    [Range(0, 100)]
    public int MaxInlineRetries { get; set; } = 3;

    /// <summary>Gets or sets how many approved items the import sink receives per call. Defaults to 500.</summary>
    [Range(1, 100_000)]
    public int SinkBatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets how long approved items wait undelivered (after they were approved or a newer version was fetched)
    /// before the hosted scheduler retries delivering them to the <see cref="ICrmImportSink"/>, for example after the sink
    /// failed. Defaults to 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the first automatic retry delay of a lead-source integration in Failed Sync; it doubles per failure. Defaults to 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeadSourceRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the longest automatic retry delay of a lead-source integration. Defaults to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan LeadSourceMaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
}
