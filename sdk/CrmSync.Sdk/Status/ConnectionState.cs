namespace CrmSync.Sdk;

/// <summary>
/// The stored facts about a connection that its status is derived from. The engine and the client update them;
/// nothing here is computed from the clock.
/// </summary>
public sealed record ConnectionState
{
    /// <summary>Gets when the connection was first given credentials.</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    /// <summary>Gets when a user disconnected it (cleared by reconnect).</summary>
    public DateTimeOffset? DisconnectedAt { get; init; }

    /// <summary>Gets whether a user paused it.</summary>
    public bool PausedByUser { get; init; }

    /// <summary>Gets why CrmSync paused it automatically (expired credentials, daily limit).</summary>
    public string? AutoPauseReason { get; init; }

    /// <summary>Gets what kind of automatic pause <see cref="AutoPauseReason"/> is (<see cref="StatusReasonKind.ExpiredCredentials"/> or <see cref="StatusReasonKind.DailyLimit"/>).</summary>
    public StatusReasonKind AutoPauseKind { get; init; }

    /// <summary>Gets when an automatic pause ends by itself (a daily limit's reset). <see langword="null"/> with a reason means until fixed.</summary>
    public DateTimeOffset? AutoPausedUntil { get; init; }

    /// <summary>Gets when the CRM revoked the credentials.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Gets the plain-language revocation reason.</summary>
    public string? RevokedReason { get; init; }

    /// <summary>Gets the starting-point choice.</summary>
    public StartingPoint StartingPoint { get; init; }

    /// <summary>Gets when the field mapping was last saved or reviewed.</summary>
    public DateTimeOffset? MappingReviewedAt { get; init; }

    /// <summary>Gets when a test contact was last sent successfully.</summary>
    public DateTimeOffset? TestContactSentAt { get; init; }

    /// <summary>Gets whether the setup checklist was dismissed.</summary>
    public bool ChecklistDismissed { get; init; }

    /// <summary>Gets when the last run ended.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>Gets how the last run ended.</summary>
    public SyncRunOutcome? LastRunOutcome { get; init; }

    /// <summary>Gets when a run last completed (success or warning).</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Gets the last error message, without secrets.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets the number of failed runs in a row (waits do not count).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets whether the failure alert of the current episode was sent.</summary>
    public bool FailureAlertSent { get; init; }

    /// <summary>Gets whether the revocation alert of the current episode was sent.</summary>
    public bool RevocationAlertSent { get; init; }

    /// <summary>Gets when the last run hit a provider outage (cleared by a success).</summary>
    public DateTimeOffset? LastOutageAt { get; init; }

    /// <summary>Gets when the connection's current run of outage waits (5xx, timeouts, connection errors) began; cleared when the CRM answers again.</summary>
    public DateTimeOffset? OutageStartedAt { get; init; }

    /// <summary>Gets how many runs in a row waited because the CRM was not responding.</summary>
    public int OutageWaits { get; init; }

    /// <summary>Gets whether the long-outage alert of the current outage was sent.</summary>
    public bool OutageAlertSent { get; init; }

    /// <summary>Gets how many records the CRM rejected that are still in the failure ledger (re-queued ones count until they sync).</summary>
    public int FailedRecords { get; init; }

    /// <summary>Gets the problem type most of <see cref="FailedRecords"/> share, for the status reason.</summary>
    public string? FailedRecordsProblem { get; init; }

    /// <summary>Gets when the scheduler next runs the connection.</summary>
    public DateTimeOffset? NextSyncAt { get; init; }
}
