namespace CrmSync.Widgets;

/// <summary>How a <see cref="CrmSyncToolbar"/> lines up its actions.</summary>
public enum CrmSyncToolbarAlign
{
    /// <summary>At the start of the line.</summary>
    Start,

    /// <summary>At the end of the line.</summary>
    End,

    /// <summary>Spread to both ends.</summary>
    SpaceBetween,
}
