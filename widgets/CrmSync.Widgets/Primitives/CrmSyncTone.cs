namespace CrmSync.Widgets;

/// <summary>The colour role of a primitive: it picks the <c>--crmsync-{tone}-*</c> tokens. Colour never carries meaning alone; text and icon say the same.</summary>
public enum CrmSyncTone
{
    /// <summary>Nothing to act on: informational grey (paused by a user, disconnected, skipped).</summary>
    Neutral,

    /// <summary>Information and progress (running, queued).</summary>
    Info,

    /// <summary>Everything worked (active, synced, approved).</summary>
    Success,

    /// <summary>Needs attention soon (stale, warnings, automatic pause).</summary>
    Warning,

    /// <summary>Failed or destructive (error, revoked, reject, disconnect).</summary>
    Danger,
}
