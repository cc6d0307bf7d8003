namespace CrmSync.Sdk;

/// <summary>The one status a connection shows, derived by <see cref="ConnectionStatusClassifier"/>.</summary>
public enum ConnectionStatus
{
    /// <summary>Not signed in yet, or the starting point (import or skip) is not chosen.</summary>
    SetupIncomplete = 0,

    /// <summary>Syncing normally.</summary>
    Active = 1,

    /// <summary>Paused by a user, or automatically with a reason (expired credentials, daily API limit until it resets).</summary>
    Paused = 2,

    /// <summary>No successful sync for longer than the stale threshold (default 36 hours).</summary>
    Stale = 3,

    /// <summary>The last run failed; CrmSync keeps retrying.</summary>
    Error = 4,

    /// <summary>The CRM refused the credentials; shown as "Disconnected" with the reason and needs Reconnect.</summary>
    Revoked = 5,

    /// <summary>A user disconnected the CRM. Nothing was deleted; Reconnect resumes.</summary>
    Disconnected = 6,
}
