using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The danger zone: disconnect one CRM (<see cref="ConnectionId"/>) or all of the tenant's CRMs, each after a confirmation that explains
/// that imported data stays, only future syncing stops, and the CRM can be reconnected any time. Calls
/// <see cref="CrmSyncClient.DisconnectAsync"/> or <see cref="CrmSyncClient.DisconnectAllAsync"/>. With <see cref="ShowDelete"/>, it also deletes a
/// connection set up by mistake (note 004), after a confirmation: the connection and its local history go, nothing in the CRM is touched
/// (<see cref="CrmSyncClient.DeleteConnectionAsync"/>). Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncDangerZone
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private IReadOnlyList<CrmConnection> _live = [];
    private Guid? _confirming;
    private bool _confirmingDelete;
    private bool _returnFocusToDelete;
    private Guid? _returnFocusTo;
    private CrmSyncButton? _oneButton;
    private CrmSyncButton? _allButton;
    private CrmSyncButton? _deleteButton;
    private bool _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the connection "Disconnect" acts on. Defaults to none (only "Disconnect all").</summary>
    [Parameter]
    public Guid? ConnectionId { get; set; }

    /// <summary>Gets or sets whether "Disconnect all CRMs" is offered. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool ShowDisconnectAll { get; set; } = true;

    /// <summary>Gets or sets what happens after a disconnect; receives how many connections were disconnected. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<int> OnDisconnected { get; set; }

    /// <summary>Gets or sets whether "Delete" is offered for <see cref="ConnectionId"/>. Defaults to <see langword="true"/>.</summary>
    [Parameter]
    public bool ShowDelete { get; set; } = true;

    /// <summary>Gets or sets what happens after the connection was deleted (for example navigate to the Integrations page). Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<Guid> OnDeleted { get; set; }

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        var all = await Client.GetConnectionsAsync(ResolvedTenantId);
        _live = all.Where(c => c.HasCredentials && c.State.DisconnectedAt is null).ToList();
        _connection = ConnectionId is { } id ? all.FirstOrDefault(c => c.Id == id) : null;
    }

    private async Task DeleteAsync()
    {
        if (_connection is not { } connection)
        {
            return;
        }

        _busy = true;
        var deleted = false;
        try
        {
            deleted = await Client.DeleteConnectionAsync(ResolvedTenantId, connection.Id);
            _message = L["DeletedOne", connection.ProviderDisplayName];
            _failed = false;
            Announcer.Announce(_message, CrmSyncTone.Neutral);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
            _confirmingDelete = false;
        }

        if (deleted)
        {
            _connection = null;
            await NotifyChangedAsync(connection.Id);
            await OnDeleted.InvokeAsync(connection.Id);
        }
    }

    /// <inheritdoc />
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Cancelling puts focus back on the button that opened the confirmation.
        if (_returnFocusToDelete && !_confirmingDelete)
        {
            _returnFocusToDelete = false;
            if (_deleteButton is not null)
            {
                await _deleteButton.FocusAsync();
            }
        }

        if (_returnFocusTo is { } target && _confirming is null)
        {
            _returnFocusTo = null;
            var button = target == Guid.Empty ? _allButton : _oneButton;
            if (button is not null)
            {
                await button.FocusAsync();
            }
        }
    }

    private void CancelDelete()
    {
        _returnFocusToDelete = true;
        _confirmingDelete = false;
    }

    private void Cancel()
    {
        _returnFocusTo = _confirming;
        _confirming = null;
    }

    private bool CanDisconnectOne => _connection is not null && _live.Any(c => c.Id == _connection.Id);

    private bool CanDisconnectAll => ShowDisconnectAll && _live.Count > 0;

    // A setup made by mistake (never signed in, only "Delete" offered): the card is about deleting it, not about disconnecting.
    private bool DeleteOnly => ShowDelete && _connection is not null && !CanDisconnectOne && !ShowDisconnectAll;

    private string Name(Guid id) => _live.FirstOrDefault(c => c.Id == id)?.ProviderDisplayName ?? string.Empty;

    private async Task DisconnectAsync(Guid target)
    {
        _busy = true;
        var count = 0;
        try
        {
            if (target == Guid.Empty)
            {
                count = await Client.DisconnectAllAsync(ResolvedTenantId);
                _message = L["DisconnectedAll", count];
            }
            else
            {
                var name = Name(target);
                await Client.DisconnectAsync(ResolvedTenantId, target);
                count = 1;
                _message = L["DisconnectedOne", name];
            }

            _failed = false;
            Announcer.Announce(_message, CrmSyncTone.Neutral);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failed = true;
            _message = ErrorText(ex);
        }
        finally
        {
            _busy = false;
            _confirming = null;
        }

        await NotifyChangedAsync(target);
        await OnDisconnected.InvokeAsync(count);
    }
}
