namespace CrmSync.Widgets;

/// <summary>The size of a control.</summary>
public enum CrmSyncSize
{
    /// <summary>The default size (<c>--crmsync-control-height</c>).</summary>
    Medium,

    /// <summary>A compact size for rows and toolbars (<c>--crmsync-control-height-s</c>).</summary>
    Small,
}
