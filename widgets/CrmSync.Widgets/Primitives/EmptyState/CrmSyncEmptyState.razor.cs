using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>What a widget shows when it has nothing to list: an icon, a short title, an explanation and optionally the next action.</summary>
public partial class CrmSyncEmptyState
{
    /// <summary>Gets or sets the icon. Defaults to <see cref="CrmSyncIconName.Inbox"/>.</summary>
    [Parameter]
    public CrmSyncIconName Icon { get; set; } = CrmSyncIconName.Inbox;

    /// <summary>Gets or sets the title ("No activity yet").</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Title { get; set; }

    /// <summary>Gets or sets the explanation. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the next action (a button or link). Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Actions { get; set; }

    /// <summary>Gets or sets whether it is a single line for small spaces (inside a card section). Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Compact { get; set; }
}
