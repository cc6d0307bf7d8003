using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CrmSync.Widgets;

/// <summary>
/// The kit's button. While <see cref="Pending"/> it shows a spinner and <see cref="PendingText"/>, announces itself busy and ignores
/// clicks, but stays focusable (it is <c>aria-disabled</c>, not <c>disabled</c>), so keyboard focus is not lost during a CRM call.
/// <see cref="Disabled"/> is for actions that are not available at all.
/// </summary>
public partial class CrmSyncButton
{
    /// <summary>Gets or sets the label.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the look. Defaults to <see cref="CrmSyncButtonVariant.Secondary"/>.</summary>
    [Parameter]
    public CrmSyncButtonVariant Variant { get; set; } = CrmSyncButtonVariant.Secondary;

    /// <summary>Gets or sets the size. Defaults to <see cref="CrmSyncSize.Medium"/>.</summary>
    [Parameter]
    public CrmSyncSize Size { get; set; } = CrmSyncSize.Medium;

    /// <summary>Gets or sets the icon before the label. Defaults to none.</summary>
    [Parameter]
    public CrmSyncIconName? Icon { get; set; }

    /// <summary>Gets or sets whether only the icon shows; <see cref="AriaLabel"/> is then required. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool IconOnly { get; set; }

    /// <summary>Gets or sets the accessible name when the visible label is not enough (icon-only buttons). Defaults to none.</summary>
    [Parameter]
    public string? AriaLabel { get; set; }

    /// <summary>Gets or sets whether the action is running: spinner, <see cref="PendingText"/>, clicks ignored. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Pending { get; set; }

    /// <summary>Gets or sets the label while <see cref="Pending"/>, for example "Syncing…". Defaults to the normal label.</summary>
    [Parameter]
    public string? PendingText { get; set; }

    /// <summary>Gets or sets whether the action is unavailable (the native <c>disabled</c> attribute). Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Disabled { get; set; }

    /// <summary>Gets or sets the button type. Defaults to <c>button</c>.</summary>
    [Parameter]
    public string Type { get; set; } = "button";

    /// <summary>Gets or sets what a click does; not called while <see cref="Pending"/> or <see cref="Disabled"/>.</summary>
    [Parameter]
    public EventCallback<MouseEventArgs> OnClick { get; set; }

    /// <summary>Gets the rendered button, for moving focus to it with <see cref="FocusAsync"/>.</summary>
    public ElementReference Element { get; private set; }

    private string VariantCss => Variant switch
    {
        CrmSyncButtonVariant.Primary => "primary",
        CrmSyncButtonVariant.Subtle => "subtle",
        CrmSyncButtonVariant.Danger => "danger",
        CrmSyncButtonVariant.DangerOutline => "danger-outline",
        _ => "secondary",
    };

    /// <summary>Moves keyboard focus to the button.</summary>
    /// <returns>A task.</returns>
    public ValueTask FocusAsync() => Element.FocusAsync();

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (IconOnly && (Icon is null || string.IsNullOrWhiteSpace(AriaLabel)))
        {
            throw new InvalidOperationException("An icon-only CrmSyncButton needs both Icon and AriaLabel, so it has something to show and a name to announce.");
        }
    }

    private Task OnClickAsync(MouseEventArgs args) =>
        Pending || Disabled || !OnClick.HasDelegate ? Task.CompletedTask : OnClick.InvokeAsync(args);
}
