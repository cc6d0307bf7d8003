namespace CrmSync.Sdk;

/// <summary>
/// Receives approved import items: the only way fetched CRM data reaches the host. Register with
/// <c>builder.AddImportSink&lt;T&gt;()</c>. Delivery is at least once: use <see cref="CrmImportedRecord.ItemId"/> and
/// <see cref="CrmFetchedRecord.ModifiedAt"/> to make handling idempotent.
/// </summary>
public interface ICrmImportSink
{
    /// <summary>Handles a batch of approved records. Throwing leaves them approved and undelivered; the next delivery retries them.</summary>
    /// <param name="delivery">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task DeliverAsync(CrmImportDelivery delivery, CancellationToken cancellationToken = default);
}

/// <summary>A batch of approved records of one tenant.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Records">The records.</param>
public sealed record CrmImportDelivery(string TenantId, IReadOnlyList<CrmImportedRecord> Records);

/// <summary>One approved record.</summary>
/// <param name="ItemId">The inbox item id (stable across versions of the record).</param>
/// <param name="ConnectionId">The connection it came through.</param>
/// <param name="Provider">The provider name.</param>
/// <param name="Record">The record.</param>
/// <param name="IsUpdate">Whether an earlier version of it was delivered before.</param>
/// <param name="ApprovedBy">Who approved it.</param>
public sealed record CrmImportedRecord(long ItemId, Guid ConnectionId, string Provider, CrmFetchedRecord Record, bool IsUpdate, string? ApprovedBy);

/// <summary>The import preview: how many records the filter matches, and a few of them.</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="Filter">The filter as it will run (with the incremental modified-since applied).</param>
/// <param name="Count">How many records match.</param>
/// <param name="IsExact">Whether the count is exact.</param>
/// <param name="IncrementalSince">The high-water mark the import reads from, when incremental and a previous import completed.</param>
/// <param name="Sample">The first few records.</param>
public sealed record CrmImportPreview(Guid ConnectionId, CrmFetchFilter Filter, long Count, bool IsExact, DateTimeOffset? IncrementalSince, IReadOnlyList<CrmFetchedRecord> Sample);
