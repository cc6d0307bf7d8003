namespace CrmSync.Sdk;

/// <summary>The stage a timeline event reports.</summary>
public enum CrmTimelineStage
{
    /// <summary>The record is being sent to the CRM.</summary>
    Pending = 0,

    /// <summary>The CRM holds the record.</summary>
    Succeeded = 1,

    /// <summary>The record did not reach the CRM; <see cref="CrmTimelineEvent.Reason"/> says why.</summary>
    Failed = 2,
}

/// <summary>One event of a host record's CRM timeline: pending, then success with the CRM's name, or failure with the reason.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="RecordId">The host record id (for example the lead id).</param>
/// <param name="At">When it happened.</param>
/// <param name="Stage">Pending, succeeded or failed.</param>
/// <param name="ProviderDisplayName">The CRM's name (for example <c>HubSpot</c>), when a CRM was involved.</param>
/// <param name="ConnectionId">The connection, when one was found.</param>
/// <param name="CrmRecordId">The CRM record id, on success.</param>
/// <param name="Reason">Why it failed, in plain language and without secrets.</param>
public sealed record CrmTimelineEvent(
    string TenantId,
    string RecordId,
    DateTimeOffset At,
    CrmTimelineStage Stage,
    string? ProviderDisplayName = null,
    Guid? ConnectionId = null,
    string? CrmRecordId = null,
    string? Reason = null);
