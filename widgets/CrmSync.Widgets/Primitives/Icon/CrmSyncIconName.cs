namespace CrmSync.Widgets;

/// <summary>The icons of the kit's inline SVG set (24 × 24, stroked with <c>currentColor</c>).</summary>
public enum CrmSyncIconName
{
    /// <summary>A tick.</summary>
    Check,

    /// <summary>A tick in a circle: done, healthy.</summary>
    CheckCircle,

    /// <summary>A cross.</summary>
    Close,

    /// <summary>A cross in a circle: failed.</summary>
    ErrorCircle,

    /// <summary>An exclamation mark in a triangle: warning.</summary>
    Warning,

    /// <summary>An exclamation mark in a circle: attention.</summary>
    AlertCircle,

    /// <summary>An "i" in a circle: information.</summary>
    Info,

    /// <summary>Two bars in a circle: paused.</summary>
    Pause,

    /// <summary>A clock: stale, scheduled, time.</summary>
    Clock,

    /// <summary>A padlock: credentials, permissions.</summary>
    Lock,

    /// <summary>A struck-through circle: revoked, blocked.</summary>
    Ban,

    /// <summary>Two circular arrows: sync, retry.</summary>
    Refresh,

    /// <summary>Two chain links: connect.</summary>
    Link,

    /// <summary>Broken chain links: disconnect.</summary>
    Unlink,

    /// <summary>A bin: delete.</summary>
    Trash,

    /// <summary>A chevron pointing right.</summary>
    ChevronRight,

    /// <summary>A chevron pointing down.</summary>
    ChevronDown,

    /// <summary>An arrow leaving a box: opens elsewhere.</summary>
    ExternalLink,

    /// <summary>An inbox tray.</summary>
    Inbox,

    /// <summary>A person.</summary>
    User,

    /// <summary>Three sliders: settings.</summary>
    Settings,

    /// <summary>A pulse line: activity.</summary>
    Activity,

    /// <summary>An envelope.</summary>
    Mail,

    /// <summary>A plus.</summary>
    Plus,

    /// <summary>A calendar.</summary>
    Calendar,

    /// <summary>A lightning bolt: a run, a quick action.</summary>
    Zap,

    /// <summary>A paper plane: send.</summary>
    Send,

    /// <summary>An arrow into a tray: import.</summary>
    Download,

    /// <summary>Two opposite arrows: field mapping, two-way sync.</summary>
    ArrowsLeftRight,

    /// <summary>An empty circle: not started, disconnected.</summary>
    Circle,

    /// <summary>A dashed circle: setup incomplete.</summary>
    CircleDashed,

    /// <summary>A skip-forward mark: skipped.</summary>
    Skip,

    /// <summary>A magnifier.</summary>
    Search,

    /// <summary>A bell: alerts.</summary>
    Bell,

    /// <summary>A shield.</summary>
    Shield,

    /// <summary>A database cylinder: a generic CRM.</summary>
    Database,

    /// <summary>A question mark in a circle: help.</summary>
    Help,

    /// <summary>A triangle pointing right: resume, start.</summary>
    Play,

    /// <summary>A struck-through cloud: the CRM is unreachable (outage).</summary>
    CloudOff,

    /// <summary>An arc, spun while something is pending.</summary>
    Spinner,
}
