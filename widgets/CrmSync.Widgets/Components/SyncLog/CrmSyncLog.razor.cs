using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The read-only sync log of a connection: the last <see cref="Limit"/> events with time, type (for example <c>contact_import</c>,
/// <c>lead_update</c>, <c>auth_refresh</c>), records affected and outcome (success, warning, error). It updates itself after each
/// run a widget starts and every <see cref="CrmSyncWidgetOptions.RefreshInterval"/> (scheduled runs).
/// </summary>
public partial class CrmSyncLog
{
    private IReadOnlyList<SyncLogEntry> _entries = [];

    /// <summary>Gets or sets whether the widget draws its own card with a title; set <see langword="false"/> to place it inside another card. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool Framed { get; set; } = true;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets how many events are listed. Defaults to 100.</summary>
    [Parameter]
    public int Limit { get; set; } = 100;

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _entries = await Client.GetSyncLogAsync(ResolvedTenantId, ConnectionId, Limit);

    private static string Outcome(SyncLogOutcome outcome) => outcome switch
    {
        SyncLogOutcome.Success => "success",
        SyncLogOutcome.Warning => "warning",
        _ => "error",
    };

    private static CrmSyncIconName Icon(SyncLogOutcome outcome) => outcome switch
    {
        SyncLogOutcome.Success => CrmSyncIconName.CheckCircle,
        SyncLogOutcome.Warning => CrmSyncIconName.Warning,
        _ => CrmSyncIconName.ErrorCircle,
    };
}
