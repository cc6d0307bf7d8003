using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The recent sync activity table of a connection: the last <see cref="Limit"/> records with time, type, outcome (success, skipped or
/// failed), the CRM's record id linked to the record, and the error. Updates itself like <see cref="CrmSyncLog"/>.
/// </summary>
public partial class CrmSyncRecentActivity
{
    private IReadOnlyList<SyncActivity> _rows = [];

    /// <summary>Gets or sets whether the widget draws its own card with a title; set <see langword="false"/> to place it inside another card. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool Framed { get; set; } = true;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets how many records are listed. Defaults to 50.</summary>
    [Parameter]
    public int Limit { get; set; } = 50;

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _rows = await Client.GetRecentActivityAsync(ResolvedTenantId, ConnectionId, Limit);

    private static string Outcome(SyncActivityOutcome outcome) => outcome switch
    {
        SyncActivityOutcome.Success => "success",
        SyncActivityOutcome.Skipped => "skipped",
        _ => "failed",
    };

    // A skipped record is not a failure: neutral, never red.
    private static CrmSyncTone ToneOf(SyncActivityOutcome outcome) => outcome switch
    {
        SyncActivityOutcome.Success => CrmSyncTone.Success,
        SyncActivityOutcome.Skipped => CrmSyncTone.Neutral,
        _ => CrmSyncTone.Danger,
    };

    private static CrmSyncIconName Icon(SyncActivityOutcome outcome) => outcome switch
    {
        SyncActivityOutcome.Success => CrmSyncIconName.CheckCircle,
        SyncActivityOutcome.Skipped => CrmSyncIconName.Skip,
        _ => CrmSyncIconName.ErrorCircle,
    };
}
