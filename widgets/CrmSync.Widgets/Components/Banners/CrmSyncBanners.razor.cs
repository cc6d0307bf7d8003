using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The heads-ups of the CRM page: one of the tenant's CRMs not responding past the outage threshold ("we retry automatically"),
/// a provider having a wider outage across tenants, a connection that has not synced in over a day and a half (links to its
/// diagnostics), and a revoked or expired sign-in (with Reconnect). Renders nothing when all is well. Updates with the change feed.
/// </summary>
public partial class CrmSyncBanners
{
    private IReadOnlyList<CrmConnection> _connections = [];
    private IReadOnlyList<string> _outages = [];

    /// <summary>
    /// Gets or sets whether every provider-wide outage is shown, worded for the host's operators ("HubSpot is down for several
    /// customers"), including CRMs the tenant has not connected. Defaults to <see langword="false"/>.
    /// </summary>
    [Parameter]
    public bool ShowAllOutages { get; set; }

    /// <summary>Gets or sets the Reconnect button's <see cref="CrmSyncConnectButton.OnConnect"/>. Defaults to OAuth sign-in.</summary>
    [Parameter]
    public EventCallback<CrmSyncConnectRequest> OnConnect { get; set; }

    /// <summary>Gets or sets the Reconnect button's <see cref="CrmSyncConnectButton.RedirectUri"/>. Defaults to the configured callback path.</summary>
    [Parameter]
    public Uri? RedirectUri { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        _connections = await Client.GetConnectionsAsync(ResolvedTenantId);
        var outages = await Client.GetProviderOutagesAsync();
        var mine = _connections.Where(c => c.Status.Status is not ConnectionStatus.Disconnected).Select(c => c.ProviderDisplayName).ToHashSet(StringComparer.Ordinal);

        // A tenant whose own connection already shows its outage needs no second banner for the same CRM.
        var shown = _connections.Where(c => c.Status.InOutage).Select(c => c.ProviderDisplayName).ToHashSet(StringComparer.Ordinal);
        _outages = ShowAllOutages ? outages : outages.Where(o => mine.Contains(o) && !shown.Contains(o)).ToList();
    }
}
