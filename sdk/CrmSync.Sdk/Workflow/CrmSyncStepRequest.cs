namespace CrmSync.Sdk;

/// <summary>One run of the <c>crm_sync</c> workflow step: send this lead to the tenant's CRM with these <c>syncFields</c>.</summary>
public sealed record CrmSyncStepRequest
{
    /// <summary>Gets the tenant whose CRM receives the lead.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the host's lead id; the CRM record is upserted by it and its timeline is kept under it.</summary>
    public required string LeadId { get; init; }

    /// <summary>
    /// Gets the lead's values by host field name (for example <c>name</c>, <c>email</c>, <c>phone</c>, <c>callStatus</c>,
    /// <c>successEvaluation</c>). The standard ones (<see cref="CrmFieldNames"/>) reach the CRM's own fields; every value can be used as a placeholder.
    /// </summary>
    public required IReadOnlyDictionary<string, string?> Lead { get; init; }

    /// <summary>
    /// Gets the step's <c>syncFields</c>: CRM field name → template, for example <c>["hs_lead_status"] = "{{callStatus}}"</c> or
    /// <c>["description"] = "Call {{duration}}s: {{successEvaluation}}"</c>. Text without placeholders is sent as it is. Defaults to none.
    /// </summary>
    public IReadOnlyDictionary<string, string> SyncFields { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the provider to send to (for example <c>hubspot</c>) when the tenant connected several CRMs. Defaults to the oldest connection that sends.</summary>
    public string? Provider { get; init; }
}

/// <summary>What one run of the <c>crm_sync</c> step did.</summary>
/// <param name="Succeeded">Whether the CRM holds the lead now.</param>
/// <param name="ProviderDisplayName">The CRM's name, when a connection was found.</param>
/// <param name="ConnectionId">The connection used, when one was found.</param>
/// <param name="CrmRecordId">The CRM record id, on success.</param>
/// <param name="Reason">Why it failed, in plain language; <see langword="null"/> on success.</param>
/// <param name="Timeline">The lead's timeline after the run, oldest first (ends with this run's success or failure).</param>
public sealed record CrmSyncStepResult(
    bool Succeeded,
    string? ProviderDisplayName,
    Guid? ConnectionId,
    string? CrmRecordId,
    string? Reason,
    IReadOnlyList<CrmTimelineEvent> Timeline);
