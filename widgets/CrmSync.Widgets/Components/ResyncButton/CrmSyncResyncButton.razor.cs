using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// "Resync existing contacts": re-pushes the host's existing contacts (also runs the import after a skip) through
/// <see cref="CrmSyncClient.ResyncExistingAsync"/>. Disabled, with the reason, while an import is running
/// (<see cref="CrmConnection.ImportRunning"/>) or the CRM is not connected. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncResyncButton
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private bool _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    private bool CanResync => _connection is { ImportRunning: false } c && c.Checklist.Connected;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);

    private async Task ResyncAsync()
    {
        _busy = true;
        _message = null;
        StateHasChanged();
        try
        {
            var queued = await Client.ResyncExistingAsync(ResolvedTenantId, ConnectionId);
            _failed = false;
            _message = L["ResyncQueued", queued];
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
