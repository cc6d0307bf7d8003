using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// One host record's CRM timeline, as the <c>crm_sync</c> workflow step (<see cref="CrmSyncWorkflowStep"/>) writes it: when the
/// sync started, then "Synced to HubSpot" or "Not synced to HubSpot" with the reason (no integration, expired sign-in, outage,
/// rejected by the CRM). Oldest first; it refreshes every <see cref="CrmSyncWidgetOptions.RefreshInterval"/>, so a lead that
/// waited for an outage shows its later success.
/// </summary>
public partial class CrmSyncRecordTimeline
{
    private IReadOnlyList<CrmTimelineEvent> _events = [];

    /// <summary>Gets or sets the host record id (the lead id the step ran for).</summary>
    [Parameter, EditorRequired]
    public string RecordId { get; set; } = string.Empty;

    /// <summary>Gets or sets how many of the newest events are shown. Defaults to 20.</summary>
    [Parameter]
    public int Limit { get; set; } = 20;

    /// <summary>Gets or sets whether the widget shows its own "CRM sync" heading. Defaults to <see langword="true"/>; turn it off when the host page has one.</summary>
    [Parameter]
    public bool ShowTitle { get; set; } = true;

    [Inject]
    private CrmSyncWorkflowStep Step { get; set; } = default!;

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _events = string.IsNullOrWhiteSpace(RecordId)
        ? []
        : await Step.GetTimelineAsync(ResolvedTenantId, RecordId, Math.Max(1, Limit));

    /// <summary>Gets or sets the level of the heading (2 to 6), so it fits the host page's outline. Defaults to 3.</summary>
    [Parameter]
    public int HeadingLevel { get; set; } = 3;

    private static CrmSyncIconName IconOf(CrmTimelineStage stage) => stage switch
    {
        CrmTimelineStage.Succeeded => CrmSyncIconName.CheckCircle,
        CrmTimelineStage.Failed => CrmSyncIconName.ErrorCircle,
        _ => CrmSyncIconName.Clock,
    };

    private string Headline(CrmTimelineEvent e) => (e.Stage, e.ProviderDisplayName) switch
    {
        (CrmTimelineStage.Pending, { } crm) => L["TimelinePending", crm],
        (CrmTimelineStage.Pending, null) => L["TimelinePendingNoCrm"],
        (CrmTimelineStage.Succeeded, { } crm) => L["TimelineSucceeded", crm],
        (CrmTimelineStage.Succeeded, null) => L["TimelineSucceededNoCrm"],
        (_, { } crm) => L["TimelineFailed", crm],
        _ => L["TimelineFailedNoCrm"],
    };
}
