using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// Connect / Reconnect. Reads "Reconnect" when a connection was revoked or disconnected. For CRMs with several datacenters
/// (Zoho: United States, Europe, India, Australia, Japan) the user picks one before sign-in, and can change it any time the
/// connection is not live (after a failed or abandoned sign-in too). Clicking creates the connection
/// when needed, then calls <see cref="OnConnect"/> when set, otherwise starts OAuth sign-in with
/// <see cref="CrmSyncClient.BeginSignInAsync"/> and navigates to the CRM. A disconnected connection whose sign-in is still valid
/// reconnects directly. When the connection is live it reads "Connected" with the account. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncConnectButton
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private IReadOnlyList<CrmDatacenter> _datacenters = [];
    private ICrmProvider? _provider;
    private string? _datacenter;
    private bool _datacenterPicked;
    private bool _busy;
    private string? _error;

    /// <summary>Gets or sets the existing connection to connect or reconnect. Defaults to none: a new connection of <see cref="Provider"/> is created.</summary>
    [Parameter]
    public Guid? ConnectionId { get; set; }

    /// <summary>Gets or sets the provider name (for example <c>zoho</c>) of a new connection. Required when <see cref="ConnectionId"/> is not set.</summary>
    [Parameter]
    public string? Provider { get; set; }

    /// <summary>
    /// Gets or sets what happens on click instead of OAuth sign-in (for example an API-key form of the host).
    /// Defaults to none: the widget navigates to the CRM's sign-in page.
    /// </summary>
    [Parameter]
    public EventCallback<CrmSyncConnectRequest> OnConnect { get; set; }

    /// <summary>Gets or sets where the CRM sends the browser back after sign-in. Defaults to <see cref="CrmSyncWidgetOptions.SignInCallbackPath"/> on the app's base address.</summary>
    [Parameter]
    public Uri? RedirectUri { get; set; }

    /// <summary>
    /// Gets or sets whether a reconnect shows why the connection needs it (the status reason) above the button. Defaults to <see langword="true"/>;
    /// turn it off where the reason is already written next to the button (the connection card's problem, the revoked banner).
    /// </summary>
    [Parameter]
    public bool ShowReason { get; set; } = true;

    /// <summary>Gets or sets what happens after a disconnected connection reconnected without sign-in. Defaults to nothing.</summary>
    [Parameter]
    public EventCallback<CrmConnection> OnReconnected { get; set; }

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private bool IsReconnect => _connection is { State.ConnectedAt: not null, IsConnected: false };

    private string ProviderDisplayName => _provider?.DisplayName ?? _connection?.ProviderDisplayName ?? Provider ?? string.Empty;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId || ConnectionId is null;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        _connection = ConnectionId is { } id ? await Client.GetConnectionAsync(ResolvedTenantId, id) : null;
        var name = _connection?.Provider ?? Provider
            ?? throw new InvalidOperationException("CrmSyncConnectButton needs a ConnectionId or a Provider.");
        _provider = Client.Providers.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        _datacenters = _provider?.Capabilities.Datacenters ?? [];
        if (!_datacenterPicked)
        {
            // A connection whose sign-in failed or was abandoned keeps its region; the user can still change it.
            _datacenter = _connection?.Datacenter ?? _datacenters.FirstOrDefault()?.Id;
        }
    }

    private void OnDatacenterChanged(ChangeEventArgs e)
    {
        _datacenter = e.Value?.ToString();
        _datacenterPicked = true;
    }

    private string? DatacenterName(string? id) =>
        id is null ? null : _datacenters.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase))?.DisplayName ?? id;

    private async Task ConnectAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            var tenant = ResolvedTenantId;
            var connection = _connection ?? await Client.CreateConnectionAsync(tenant, _provider?.Name ?? Provider!, _datacenters.Count > 0 ? _datacenter : null);
            if (_datacenters.Count > 0 && _datacenter is not null && !string.Equals(connection.Datacenter, _datacenter, StringComparison.OrdinalIgnoreCase))
            {
                // The user changed the region after a failed or abandoned sign-in: the next sign-in goes there.
                connection = await Client.ChangeDatacenterAsync(tenant, connection.Id, _datacenter);
            }

            if (connection.Status.Status == ConnectionStatus.Disconnected && connection.HasCredentials)
            {
                var reconnected = await Client.ReconnectAsync(tenant, connection.Id);
                await NotifyChangedAsync(connection.Id);
                await OnReconnected.InvokeAsync(reconnected);
                return;
            }

            if (OnConnect.HasDelegate)
            {
                await OnConnect.InvokeAsync(new CrmSyncConnectRequest(connection, connection.Datacenter));
                return;
            }

            var redirect = RedirectUri ?? new Uri(Navigation.ToAbsoluteUri(WidgetOptions.Value.SignInCallbackPath).ToString());
            var url = await Client.BeginSignInAsync(tenant, connection.Id, redirect);
            Navigation.NavigateTo(url.ToString(), forceLoad: true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }
    }
}
