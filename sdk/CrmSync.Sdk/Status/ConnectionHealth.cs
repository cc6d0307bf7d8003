namespace CrmSync.Sdk;

/// <summary>The health colour of a connection.</summary>
public enum ConnectionHealth
{
    /// <summary>No run has finished yet, or the connection is not syncing.</summary>
    Unknown = 0,

    /// <summary>Syncing normally.</summary>
    Green = 1,

    /// <summary>Completed with warnings (some records skipped or failed), stale or automatically paused.</summary>
    Amber = 2,

    /// <summary>Failing or revoked: action required.</summary>
    Red = 3,
}
