namespace CrmSync.Widgets;

/// <summary>The look of a <see cref="CrmSyncButton"/>.</summary>
public enum CrmSyncButtonVariant
{
    /// <summary>An outlined button on the surface colour: most actions.</summary>
    Secondary,

    /// <summary>The one main action of a card or section, filled with <c>--crmsync-accent</c>.</summary>
    Primary,

    /// <summary>A quiet, borderless button for low-emphasis actions inside rows.</summary>
    Subtle,

    /// <summary>A destructive action (disconnect, delete, reject), filled with <c>--crmsync-danger-solid</c>.</summary>
    Danger,

    /// <summary>A destructive action with low emphasis: danger-coloured text and outline.</summary>
    DangerOutline,
}
