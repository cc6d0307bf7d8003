namespace CrmSync.Sdk.Storage;

/// <summary>Where an outbox item came from.</summary>
public enum OutboxOrigin
{
    /// <summary>A change the host accepted.</summary>
    Change = 0,

    /// <summary>The import of existing contacts (initial import or "resync existing").</summary>
    Import = 1,

    /// <summary>A test contact.</summary>
    TestContact = 2,

    /// <summary>A lead pushed by the <c>crm_sync</c> workflow step; its outcome is written to the lead's timeline.</summary>
    Workflow = 3,
}

/// <summary>The state of an outbox item.</summary>
public enum OutboxItemState
{
    /// <summary>Waiting for the next run.</summary>
    Pending = 0,

    /// <summary>Written to the CRM.</summary>
    Synced = 1,

    /// <summary>Intentionally not pushed, with a reason.</summary>
    Skipped = 2,

    /// <summary>Rejected by the CRM; in the failure ledger until retried.</summary>
    Failed = 3,
}

/// <summary>One accepted change in the durable outbox.</summary>
public sealed record OutboxItem
{
    /// <summary>Gets the store-assigned id (0 before insert).</summary>
    public long Id { get; init; }

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection.</summary>
    public required Guid ConnectionId { get; init; }

    /// <summary>Gets the record type.</summary>
    public required CrmObjectType ObjectType { get; init; }

    /// <summary>Gets the host record id (the CRM external id).</summary>
    public required string ExternalId { get; init; }

    /// <summary>Gets the host id of the contact an activity belongs to.</summary>
    public string? ContactExternalId { get; init; }

    /// <summary>Gets the idempotency key, unique per connection.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the host field values.</summary>
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    /// <summary>Gets where the item came from.</summary>
    public OutboxOrigin Origin { get; init; }

    /// <summary>Gets when it was accepted.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>Gets the state.</summary>
    public OutboxItemState State { get; init; }

    /// <summary>Gets how many times it was attempted.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when it reached its current final state.</summary>
    public DateTimeOffset? ProcessedAt { get; init; }

    /// <summary>Gets the CRM record id once synced.</summary>
    public string? CrmRecordId { get; init; }

    /// <summary>Gets why it was skipped or failed.</summary>
    public CrmProblemType? ProblemType { get; init; }

    /// <summary>Gets the error or skip reason, without secrets.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Gets until when a direct push (the test contact, the workflow step) holds the item: runs do not claim it before then, so
    /// the item is never written to the CRM by two paths at once. If the host stops mid-push, the hold lapses and a run sends it.
    /// </summary>
    public DateTimeOffset? HeldUntil { get; init; }
}

/// <summary>The outcome of one outbox item.</summary>
/// <param name="ItemId">The item.</param>
/// <param name="ObjectType">The record type.</param>
/// <param name="ExternalId">The external id.</param>
/// <param name="State">Synced, skipped or failed.</param>
/// <param name="CrmRecordId">The CRM id when synced.</param>
/// <param name="ProblemType">Why skipped or failed.</param>
/// <param name="Error">The message.</param>
/// <param name="ProcessedAt">When.</param>
public sealed record OutboxOutcome(
    long ItemId,
    CrmObjectType ObjectType,
    string ExternalId,
    OutboxItemState State,
    string? CrmRecordId,
    CrmProblemType? ProblemType,
    string? Error,
    DateTimeOffset ProcessedAt);

/// <summary>Counts of outcomes over a period, for the "Last 24 hours" card.</summary>
/// <param name="Synced">Records synced.</param>
/// <param name="Skipped">Records skipped.</param>
/// <param name="Failed">Records currently failed.</param>
/// <param name="Pending">Records waiting for the next run.</param>
/// <param name="FailedByProblem">Failed and skipped records per problem type.</param>
public sealed record OutcomeCounts(int Synced, int Skipped, int Failed, int Pending, IReadOnlyDictionary<string, int> FailedByProblem);
