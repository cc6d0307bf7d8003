namespace CrmSync.Sdk;

/// <summary>How a sync run ended.</summary>
public enum SyncRunOutcome
{
    /// <summary>Everything attempted was synced.</summary>
    Success = 0,

    /// <summary>The run completed but some records were skipped or failed.</summary>
    Warning = 1,

    /// <summary>The run failed (the CRM rejected the request, or every record failed). Counts toward alerts.</summary>
    Failed = 2,

    /// <summary>The CRM throttled the run; it resumes after the wait. Not a failure.</summary>
    RateLimited = 3,

    /// <summary>The CRM was unreachable or failing; retried automatically. Not a failure.</summary>
    ProviderUnavailable = 4,

    /// <summary>The CRM revoked the credentials.</summary>
    Revoked = 5,

    /// <summary>
    /// The run never finished: its host process stopped (a crash, a kill, a deploy) or it lost its lease. What it recorded
    /// before stopping stays recorded; the rest is still pending and the next run pushes it. Not a failure of the CRM.
    /// </summary>
    Interrupted = 6,
}
