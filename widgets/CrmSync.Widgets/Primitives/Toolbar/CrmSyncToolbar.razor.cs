using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>A row of related actions (buttons, links, a select) that wraps on narrow screens and never overlaps the content around it.</summary>
public partial class CrmSyncToolbar
{
    /// <summary>Gets or sets the actions.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the accessible name of the group ("Import actions"). Defaults to none.</summary>
    [Parameter]
    public string? AriaLabel { get; set; }

    /// <summary>Gets or sets how the actions line up. Defaults to <see cref="CrmSyncToolbarAlign.Start"/>.</summary>
    [Parameter]
    public CrmSyncToolbarAlign Align { get; set; } = CrmSyncToolbarAlign.Start;
}
