namespace CrmSync.Sdk;

/// <summary>What changed about a connection; several can change at once.</summary>
[Flags]
public enum CrmSyncChangeKinds
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>The stored facts the status is derived from, or the settings.</summary>
    Facts = 1,

    /// <summary>A run finished (run history and sync log).</summary>
    Runs = 2,

    /// <summary>The outbox or the failure ledger: records queued, synced, failed or re-queued.</summary>
    Ledger = 4,

    /// <summary>An alert was raised, resolved or acknowledged.</summary>
    Alerts = 8,

    /// <summary>The import inbox: records fetched, approved or rejected.</summary>
    Inbox = 16,

    /// <summary>A connection was created or deleted.</summary>
    Connections = 32,
}

/// <summary>One change announced on the <see cref="CrmSyncChangeFeed"/>.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ConnectionId">The connection, or <see langword="null"/> when the change concerns the tenant as a whole.</param>
/// <param name="Kinds">What changed.</param>
/// <param name="At">When.</param>
public sealed record CrmSyncChange(string TenantId, Guid? ConnectionId, CrmSyncChangeKinds Kinds, DateTimeOffset At);
