using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// A small rounded label that says a state in words, with an icon (or a dot) in the tone's colour: the kit's one shape for statuses,
/// outcomes and counts. The text always carries the meaning; colour and icon repeat it.
/// </summary>
public partial class CrmSyncStatusPill
{
    /// <summary>Gets or sets the text.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the colour role. Defaults to <see cref="CrmSyncTone.Neutral"/>.</summary>
    [Parameter]
    public CrmSyncTone Tone { get; set; } = CrmSyncTone.Neutral;

    /// <summary>Gets or sets the icon before the text. Defaults to none.</summary>
    [Parameter]
    public CrmSyncIconName? Icon { get; set; }

    /// <summary>Gets or sets whether a dot stands in for a missing <see cref="Icon"/>. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Dot { get; set; }

    /// <summary>Gets or sets the size. Defaults to <see cref="CrmSyncSize.Medium"/>.</summary>
    [Parameter]
    public CrmSyncSize Size { get; set; } = CrmSyncSize.Medium;
}
