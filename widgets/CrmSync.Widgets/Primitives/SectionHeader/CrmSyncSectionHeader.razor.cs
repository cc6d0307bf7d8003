using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>The header of a section inside a widget: heading (level chosen by the host), optional icon, description and actions.</summary>
public partial class CrmSyncSectionHeader
{
    /// <summary>Gets or sets the heading text.</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Title { get; set; }

    /// <summary>Gets or sets the heading level (1 to 6). Defaults to 3.</summary>
    [Parameter]
    public int Level { get; set; } = 3;

    /// <summary>Gets or sets the icon before the heading. Defaults to none.</summary>
    [Parameter]
    public CrmSyncIconName? Icon { get; set; }

    /// <summary>Gets or sets the line under the heading. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Description { get; set; }

    /// <summary>Gets or sets the controls at the end of the header. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Actions { get; set; }

    /// <summary>Gets or sets the id of the heading element, to name a region with <c>aria-labelledby</c>. Defaults to none.</summary>
    [Parameter]
    public string? HeadingId { get; set; }
}
