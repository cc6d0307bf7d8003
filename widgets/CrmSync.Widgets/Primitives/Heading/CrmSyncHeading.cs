using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace CrmSync.Widgets;

/// <summary>
/// A heading whose level the host picks (<c>h2</c> to <c>h6</c>), so widgets fit the host page's outline. Headings are not focus
/// targets: no outline is drawn when script moves focus to one.
/// </summary>
public sealed class CrmSyncHeading : CrmSyncElementBase
{
    /// <summary>Gets or sets the level, 2 to 6. Defaults to 3.</summary>
    [Parameter]
    public int Level { get; set; } = 3;

    /// <summary>Gets or sets the text.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Level is < 1 or > 6)
        {
            throw new InvalidOperationException($"CrmSyncHeading.Level must be between 1 and 6, not {Level}.");
        }
    }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenElement(0, "h" + Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.AddAttribute(1, "id", Id);
        builder.AddAttribute(2, "class", ClassNames("crmsync-heading"));
        builder.AddAttribute(3, "style", Style);
        builder.AddMultipleAttributes(4, AdditionalAttributes);
        builder.AddContent(5, ChildContent);
        builder.CloseElement();
    }
}
