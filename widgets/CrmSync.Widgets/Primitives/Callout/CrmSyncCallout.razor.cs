using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// A tinted message box with an icon, a title, text and actions: banners, inline results and explanations. The icon follows the
/// tone unless <see cref="Icon"/> is set. Set <see cref="Role"/> to <c>alert</c> only for errors that appear after a user's action.
/// </summary>
public partial class CrmSyncCallout
{
    /// <summary>Gets or sets the colour role. Defaults to <see cref="CrmSyncTone.Info"/>.</summary>
    [Parameter]
    public CrmSyncTone Tone { get; set; } = CrmSyncTone.Info;

    /// <summary>Gets or sets the icon. Defaults to the tone's icon.</summary>
    [Parameter]
    public CrmSyncIconName? Icon { get; set; }

    /// <summary>Gets or sets the bold first line. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Title { get; set; }

    /// <summary>Gets or sets the text.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the actions at the end. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Actions { get; set; }

    /// <summary>Gets or sets the ARIA role (<c>status</c>, <c>alert</c>). Defaults to none.</summary>
    [Parameter]
    public string? Role { get; set; }

    private CrmSyncIconName ResolvedIcon => Icon ?? Tone switch
    {
        CrmSyncTone.Success => CrmSyncIconName.CheckCircle,
        CrmSyncTone.Warning => CrmSyncIconName.Warning,
        CrmSyncTone.Danger => CrmSyncIconName.AlertCircle,
        CrmSyncTone.Neutral => CrmSyncIconName.Info,
        _ => CrmSyncIconName.Info,
    };
}
