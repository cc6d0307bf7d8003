namespace CrmSync.Sdk;

/// <summary>Where an inbox item stands.</summary>
public enum CrmInboxItemState
{
    /// <summary>Waiting for a manager or admin.</summary>
    Pending = 0,

    /// <summary>Approved: delivered to the host's <see cref="ICrmImportSink"/> (see <see cref="CrmInboxItem.DeliveredAt"/>); later versions are delivered as updates.</summary>
    Approved = 1,

    /// <summary>Rejected: remembered, and never proposed again, even when the CRM record changes.</summary>
    Rejected = 2,
}

/// <summary>
/// One CRM record in a tenant's import inbox. There is one item per connection, object kind and CRM id; a newer
/// version of the record (a later modified stamp) updates the item in place.
/// </summary>
public sealed record CrmInboxItem
{
    /// <summary>Gets the item id.</summary>
    public required long Id { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection it was fetched through.</summary>
    public required Guid ConnectionId { get; init; }

    /// <summary>Gets the fetched record (latest version).</summary>
    public required CrmFetchedRecord Record { get; init; }

    /// <summary>Gets the state.</summary>
    public CrmInboxItemState State { get; init; }

    /// <summary>Gets when the record was first fetched.</summary>
    public DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>Gets when the latest version was fetched.</summary>
    public DateTimeOffset FetchedAt { get; init; }

    /// <summary>Gets the import run that fetched the latest version.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Gets when it was approved or rejected.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Gets who approved or rejected it.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Gets when the latest version reached the host's sink; <see langword="null"/> while approved but not delivered.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>Gets whether an earlier version was delivered before (the next delivery is an update).</summary>
    public bool DeliveredBefore { get; init; }
}

/// <summary>Which inbox items to list.</summary>
public sealed record CrmInboxQuery
{
    /// <summary>Gets the connection, or <see langword="null"/> for all of the tenant's. Defaults to all.</summary>
    public Guid? ConnectionId { get; init; }

    /// <summary>Gets the state, or <see langword="null"/> for any. Defaults to <see cref="CrmInboxItemState.Pending"/>.</summary>
    public CrmInboxItemState? State { get; init; } = CrmInboxItemState.Pending;

    /// <summary>Gets the object kind, or <see langword="null"/> for any. Defaults to any.</summary>
    public CrmFetchObjectType? ObjectType { get; init; }

    /// <summary>Gets the id after which to list (keyset paging: pass the last id of the previous page). Defaults to the start.</summary>
    public long AfterId { get; init; }

    /// <summary>Gets the page size. Defaults to 50.</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>Inbox counts per state.</summary>
/// <param name="Pending">Waiting for a decision.</param>
/// <param name="Approved">Approved.</param>
/// <param name="Rejected">Rejected.</param>
/// <param name="AwaitingDelivery">Approved but not yet delivered to the sink.</param>
public sealed record CrmInboxCounts(long Pending, long Approved, long Rejected, long AwaitingDelivery);

/// <summary>What an approve or reject call did.</summary>
/// <param name="Decided">Items whose state changed.</param>
/// <param name="Delivered">Items delivered to the host's sink by this call (approvals only).</param>
/// <param name="DeliveryError">Why delivery stopped, when the sink failed; the items stay approved and are delivered by the next call.</param>
public sealed record CrmInboxDecisionResult(int Decided, int Delivered, string? DeliveryError);
