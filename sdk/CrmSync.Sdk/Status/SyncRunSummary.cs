namespace CrmSync.Sdk;

/// <summary>One finished sync run, as kept for the success rate and the run history.</summary>
/// <param name="ConnectionId">The connection.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Synced">Records synced.</param>
/// <param name="Skipped">Records skipped.</param>
/// <param name="Failed">Records failed.</param>
/// <param name="Error">The run-level error, without secrets.</param>
public sealed record SyncRunSummary(
    Guid ConnectionId,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    SyncRunOutcome Outcome,
    int Synced,
    int Skipped,
    int Failed,
    string? Error);
