using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The danger zone: disconnect one CRM (<see cref="ConnectionId"/>) or all of the tenant's CRMs, each after a confirmation that explains
/// that imported data stays, only future syncing stops, and the CRM can be reconnected any time. Calls
/// <see cref="CrmSyncClient.DisconnectAsync"/> or <see cref="CrmSyncClient.DisconnectAllAsync"/>. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncDangerZone
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private IReadOnlyList<CrmConnection> _live = [];
    private Guid? _confirming;
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

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        var all = await Client.GetConnectionsAsync(ResolvedTenantId);
        _live = all.Where(c => c.State.DisconnectedAt is null).ToList();
        _connection = ConnectionId is { } id ? all.FirstOrDefault(c => c.Id == id) : null;
    }

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
