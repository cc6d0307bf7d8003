using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// One figure with its label (and an optional hint under it), as a <c>dt</c>/<c>dd</c> group: put several inside a
/// <see cref="CrmSyncStatGroup"/>. A <see cref="Tone"/> colours the figure and its icon only when it needs attention.
/// </summary>
public partial class CrmSyncStat
{
    /// <summary>Gets or sets what the figure counts.</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Label { get; set; }

    /// <summary>Gets or sets the figure.</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Value { get; set; }

    /// <summary>Gets or sets the line under the figure. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Hint { get; set; }

    /// <summary>Gets or sets the icon before the label. Defaults to none.</summary>
    [Parameter]
    public CrmSyncIconName? Icon { get; set; }

    /// <summary>Gets or sets the tone of the figure; <see langword="null"/> is the normal text colour. Defaults to none.</summary>
    [Parameter]
    public CrmSyncTone? Tone { get; set; }
}
