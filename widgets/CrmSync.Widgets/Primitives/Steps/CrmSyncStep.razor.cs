using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace CrmSync.Widgets;

/// <summary>
/// One step of a <see cref="CrmSyncSteps"/> list (a setup guide, a tracker): a numbered marker that becomes a check mark once
/// done, the label, its state in words for screen readers, an optional detail line and an optional action.
/// </summary>
public partial class CrmSyncStep
{
    /// <summary>Gets or sets the step's number, shown in the marker until it is done.</summary>
    [Parameter, EditorRequired]
    public int Number { get; set; }

    /// <summary>Gets or sets the state. Defaults to <see cref="CrmSyncStepState.Todo"/>.</summary>
    [Parameter]
    public CrmSyncStepState State { get; set; } = CrmSyncStepState.Todo;

    /// <summary>Gets or sets the label.</summary>
    [Parameter]
    public RenderFragment? Label { get; set; }

    /// <summary>Gets or sets the line under the label ("done 5 minutes ago"). Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Detail { get; set; }

    /// <summary>Gets or sets the action at the end of the step (a button or link). Defaults to none.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    [Inject]
    private IStringLocalizer<CrmSyncStrings> L { get; set; } = default!;

    private string StateCss => State switch
    {
        CrmSyncStepState.Done => "done",
        CrmSyncStepState.Current => "current",
        _ => "todo",
    };

    private string StateText => State switch
    {
        CrmSyncStepState.Done => L["StepDone"],
        CrmSyncStepState.Current => L["StepCurrent"],
        _ => L["StepTodo"],
    };
}
