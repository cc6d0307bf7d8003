namespace CrmSync.Sdk;

/// <summary>
/// Why a connection has the status it has, so a widget can offer the action that helps (Reconnect, wait for the reset,
/// Retry failed records, Resume) and a host can word it in its own vocabulary.
/// </summary>
public enum StatusReasonKind
{
    /// <summary>Nothing to explain: the connection is active and healthy.</summary>
    None = 0,

    /// <summary>Not signed in to the CRM yet (Setup incomplete).</summary>
    NotConnected = 1,

    /// <summary>Signed in, but the starting point (import existing or skip) is not chosen yet (Setup incomplete).</summary>
    StartingPointNotChosen = 2,

    /// <summary>A user paused syncing (Paused); Resume restarts it.</summary>
    ByUser = 3,

    /// <summary>The CRM refused to renew an expired sign-in (Paused); Reconnect restores it.</summary>
    ExpiredCredentials = 4,

    /// <summary>The CRM revoked the app's access (Disconnected, note 002); Reconnect restores it.</summary>
    AccessRevoked = 5,

    /// <summary>A user disconnected the CRM (Disconnected); Reconnect resumes.</summary>
    DisconnectedByUser = 6,

    /// <summary>The CRM's daily API limit is used up (Paused until it resets); nothing to do but wait.</summary>
    DailyLimit = 7,

    /// <summary>The CRM is not responding (5xx, timeouts, connection errors) past the outage threshold (Paused, retried automatically).</summary>
    ProviderOutage = 8,

    /// <summary>Records the CRM rejected are still in the failure ledger (Error); fix the cause, then Retry failed records.</summary>
    FailedRecords = 9,

    /// <summary>The last run failed as a whole (Error); CrmSync keeps retrying.</summary>
    SyncFailed = 10,

    /// <summary>No successful sync for longer than the stale threshold (Stale).</summary>
    NoRecentSync = 11,
}
