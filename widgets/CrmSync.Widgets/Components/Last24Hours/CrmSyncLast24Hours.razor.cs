using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The "Last 24 hours" card: how many records Synced, are Waiting or skipped, and Failed; "all clean" only when nothing failed and the
/// connection's status is Active; otherwise one plain-language card per problem type with how to fix it, and Retry failed records
/// (needs <see cref="CrmSyncPolicies.ManageConnections"/>), which re-queues them for the next sync. When the status is not Active
/// (a whole run failed, failed records older than 24 hours are outstanding, a pause, an outage, a revoked sign-in), the card names
/// that status and its reason, as the status chip does.
/// </summary>
public partial class CrmSyncLast24Hours
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private SyncSummary? _summary;
    private CrmConnection? _connection;
    private bool _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <summary>Gets the connection's status when it is not Active (the problem the card must name), else <see langword="null"/>.</summary>
    private ConnectionStatusReport? StatusProblem =>
        _connection?.Status is { Status: not ConnectionStatus.Active } status ? status : null;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        _summary = null;
        _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);
        _summary = await Client.GetLast24HoursAsync(ResolvedTenantId, ConnectionId);
    }

    private async Task RetryAsync()
    {
        _busy = true;
        _message = null;
        StateHasChanged();
        try
        {
            var count = await Client.RetryFailedRecordsAsync(ResolvedTenantId, ConnectionId);
            var within = FormatInterval(_connection?.Settings.ScheduleInterval ?? ConnectionSettings.DefaultScheduleInterval);
            _failed = false;
            _message = _connection is { Settings.RunOnSchedule: false }
                ? Plural("RetryQueuedOnDemand", count, count)
                : Plural("RetryQueued", count, count, within);
            Announcer.Announce(_message, CrmSyncTone.Success);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }

        await NotifyChangedAsync(ConnectionId);
    }
}
