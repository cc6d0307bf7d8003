namespace CrmSync.Sdk;

/// <summary>The stage of one record's push.</summary>
public enum RecordSyncStage
{
    /// <summary>The record is being pushed.</summary>
    Pending = 0,

    /// <summary>The record is in the CRM.</summary>
    Succeeded = 1,

    /// <summary>The record was intentionally not pushed.</summary>
    Skipped = 2,

    /// <summary>The CRM rejected the record.</summary>
    Failed = 3,
}

/// <summary>Progress of one record, for a host's workflow timeline (pending, success, failure with reason).</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ConnectionId">The connection.</param>
/// <param name="Provider">The provider name.</param>
/// <param name="ObjectType">The record type.</param>
/// <param name="SourceId">The host record id.</param>
/// <param name="Stage">The stage.</param>
/// <param name="At">When.</param>
/// <param name="CrmRecordId">The CRM id, on success.</param>
/// <param name="Reason">Why it was skipped or failed.</param>
public sealed record RecordSyncProgress(
    string TenantId,
    Guid ConnectionId,
    string Provider,
    CrmObjectType ObjectType,
    string SourceId,
    RecordSyncStage Stage,
    DateTimeOffset At,
    string? CrmRecordId = null,
    string? Reason = null);

/// <summary>Receives per-record progress. Register with <c>builder.AddProgressObserver&lt;T&gt;()</c>; failures of an observer are logged and never stop a sync.</summary>
public interface ICrmSyncProgressObserver
{
    /// <summary>Called for each record's stage change.</summary>
    /// <param name="progress">The progress.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task OnProgressAsync(RecordSyncProgress progress, CancellationToken cancellationToken = default);
}
