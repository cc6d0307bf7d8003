using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// One icon of the kit's inline SVG set, drawn with <c>currentColor</c> so it takes the colour of its text. Decorative by default
/// (hidden from assistive technology); set <see cref="Label"/> when the icon alone carries meaning, and it becomes an image with that name.
/// </summary>
public partial class CrmSyncIcon
{
    /// <summary>Gets or sets which icon to draw.</summary>
    [Parameter, EditorRequired]
    public CrmSyncIconName Name { get; set; }

    /// <summary>Gets or sets the text alternative; when set the icon is announced as an image with this name. Defaults to none (decorative).</summary>
    [Parameter]
    public string? Label { get; set; }

    /// <summary>Gets or sets the width and height (any CSS length). Defaults to <c>1em</c>, so the icon follows the font size.</summary>
    [Parameter]
    public string Size { get; set; } = "1em";

    private MarkupString Paths => new(CrmSyncIconPaths.Get(Name));
}
