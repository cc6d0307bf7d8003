using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The sync schedule of the CRM page: every connection of the tenant with its last-sync time, next run and status chip.
/// A connection in error gets Try resync (needs <see cref="CrmSyncPolicies.ManageConnections"/>); a stale one links to its diagnostics
/// (<see cref="CrmSyncWidgetOptions.DiagnosticsUrl"/>). Refreshes itself.
/// </summary>
public partial class CrmSyncSchedule
{
    private IReadOnlyList<CrmConnection> _connections = [];
    private Guid? _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the link shown when nothing is connected yet (the connect flow). Defaults to none.</summary>
    [Parameter]
    public string? ConnectHref { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _connections = await Client.GetConnectionsAsync(ResolvedTenantId);

    private async Task TryResyncAsync(CrmConnection connection)
    {
        _busy = connection.Id;
        _message = null;
        StateHasChanged();
        try
        {
            var result = await Client.SyncNowAsync(ResolvedTenantId, connection.Id);
            _failed = result.Outcome is SyncRunOutcome.Failed or SyncRunOutcome.RateLimited or SyncRunOutcome.Revoked or SyncRunOutcome.ProviderUnavailable;
            _message = $"{connection.ProviderDisplayName}: {result.Message ?? L["SyncFinished"]}";
            if (!_failed)
            {
                Announcer.Announce(_message, CrmSyncTone.Success);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = null;
        }

        await NotifyChangedAsync(connection.Id);
    }
}
