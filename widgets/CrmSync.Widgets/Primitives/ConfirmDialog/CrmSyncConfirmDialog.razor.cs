using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Localization;

namespace CrmSync.Widgets;

/// <summary>
/// An inline confirmation for a destructive or irreversible action (reject, disconnect, delete): shown in place while
/// <see cref="Open"/>, as an <c>alertdialog</c> that names what will happen. Keyboard focus moves to Cancel when it opens (the safe
/// choice), Escape cancels, and the confirm button shows <see cref="PendingText"/> while the action runs. Danger confirmations are red,
/// never green. The caller puts focus back on the element that opened it when <see cref="OnCancel"/> runs.
/// </summary>
public partial class CrmSyncConfirmDialog
{
    private readonly string _titleId = CrmSyncIds.Next("confirm-title");
    private readonly string _textId = CrmSyncIds.Next("confirm-text");
    private CrmSyncButton? _cancel;
    private bool _focusPending;
    private bool _wasOpen;

    /// <summary>Gets or sets whether the confirmation shows.</summary>
    [Parameter]
    public bool Open { get; set; }

    /// <summary>Gets or sets the question ("Disconnect HubSpot?").</summary>
    [Parameter, EditorRequired]
    public RenderFragment? Title { get; set; }

    /// <summary>Gets or sets what happens if confirmed. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Gets or sets the confirm button's label ("Disconnect").</summary>
    [Parameter, EditorRequired]
    public string ConfirmText { get; set; } = string.Empty;

    /// <summary>Gets or sets the confirm button's label while <see cref="Pending"/>. Defaults to <see cref="ConfirmText"/>.</summary>
    [Parameter]
    public string? PendingText { get; set; }

    /// <summary>Gets or sets the cancel button's label. Defaults to the localized "Cancel".</summary>
    [Parameter]
    public string? CancelText { get; set; }

    /// <summary>Gets or sets the tone: <see cref="CrmSyncTone.Danger"/> for destructive actions. Defaults to <see cref="CrmSyncTone.Danger"/>.</summary>
    [Parameter]
    public CrmSyncTone Tone { get; set; } = CrmSyncTone.Danger;

    /// <summary>Gets or sets whether the confirmed action is running. Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool Pending { get; set; }

    /// <summary>Gets or sets whether keyboard focus moves to Cancel when the confirmation opens. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool AutoFocus { get; set; } = true;

    /// <summary>Gets or sets extra classes of the confirm button. Defaults to none.</summary>
    [Parameter]
    public string? ConfirmClass { get; set; }

    /// <summary>Gets or sets extra classes of the cancel button. Defaults to none.</summary>
    [Parameter]
    public string? CancelClass { get; set; }

    /// <summary>Gets or sets what confirming does.</summary>
    [Parameter]
    public EventCallback OnConfirm { get; set; }

    /// <summary>Gets or sets what cancelling (button or Escape) does; usually closes it and returns focus to the trigger.</summary>
    [Parameter]
    public EventCallback OnCancel { get; set; }

    /// <summary>Gets or sets the localized strings.</summary>
    [Inject]
    private IStringLocalizer<CrmSyncStrings> L { get; set; } = default!;

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Open && !_wasOpen && AutoFocus)
        {
            _focusPending = true;
        }

        _wasOpen = Open;
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusPending && _cancel is not null)
        {
            _focusPending = false;
            await _cancel.FocusAsync();
        }
    }

    private Task CancelAsync() => Pending ? Task.CompletedTask : OnCancel.InvokeAsync();

    private Task ConfirmAsync() => OnConfirm.InvokeAsync();

    private Task OnKeyDownAsync(KeyboardEventArgs args) => args.Key == "Escape" ? CancelAsync() : Task.CompletedTask;
}
