namespace CrmSync.Sdk;

/// <summary>What accepting changes did.</summary>
/// <param name="Accepted">Outbox items written (one per change and connection).</param>
/// <param name="Duplicates">Items ignored because their idempotency key was already accepted.</param>
/// <param name="NotRouted">Changes no connection takes (no send-enabled connection, or the type is switched off).</param>
public sealed record EnqueueResult(int Accepted, int Duplicates, int NotRouted);

/// <summary>The outcome of "Send a test contact".</summary>
/// <param name="CrmRecordId">The CRM record id; the same on every click.</param>
/// <param name="Created">Whether this click created the record (the first one) rather than updated it.</param>
/// <param name="Elapsed">How long the push took.</param>
/// <param name="RecordLink">A link that opens the record in the CRM, when the CRM has one.</param>
public sealed record TestContactResult(string CrmRecordId, bool Created, TimeSpan Elapsed, Uri? RecordLink);

/// <summary>One row of the recent sync activity table.</summary>
/// <param name="At">When it happened.</param>
/// <param name="EventType">The sync log type of the record (for example <c>contact_sync</c>).</param>
/// <param name="ObjectType">The record type.</param>
/// <param name="SourceId">The host record id.</param>
/// <param name="Outcome">Success, skipped or failed.</param>
/// <param name="CrmRecordId">The CRM record id.</param>
/// <param name="RecordLink">A link to the record in the CRM.</param>
/// <param name="Error">The error or skip reason.</param>
public sealed record SyncActivity(DateTimeOffset At, string EventType, CrmObjectType ObjectType, string SourceId, SyncActivityOutcome Outcome, string? CrmRecordId, Uri? RecordLink, string? Error);

/// <summary>The outcome column of the recent activity table.</summary>
public enum SyncActivityOutcome
{
    /// <summary>Pushed to the CRM.</summary>
    Success = 0,

    /// <summary>Intentionally not pushed.</summary>
    Skipped = 1,

    /// <summary>The push errored.</summary>
    Failed = 2,
}

/// <summary>The "Last 24 hours" card.</summary>
/// <param name="Synced">Records synced.</param>
/// <param name="WaitingOrSkipped">Records waiting for the next run or skipped.</param>
/// <param name="Failed">Records failed (in the ledger).</param>
/// <param name="Problems">One plain-language explanation per problem type, with its count, most frequent first.</param>
public sealed record SyncSummary(int Synced, int WaitingOrSkipped, int Failed, IReadOnlyList<SyncProblemSummary> Problems)
{
    /// <summary>Gets whether nothing failed.</summary>
    public bool IsClean => Failed == 0;
}

/// <summary>One problem type in the last 24 hours.</summary>
/// <param name="Explanation">What it means and how to fix it.</param>
/// <param name="Count">How many records it affected.</param>
public sealed record SyncProblemSummary(CrmProblemExplanation Explanation, int Count);

/// <summary>What "Try resync" did.</summary>
/// <param name="Requeued">How many failed records were re-queued.</param>
/// <param name="Run">The sync run that followed.</param>
public sealed record ResyncResult(int Requeued, SyncRunResult Run);
