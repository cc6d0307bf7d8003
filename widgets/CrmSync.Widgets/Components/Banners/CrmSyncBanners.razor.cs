using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The heads-ups of the CRM page: a provider having a wider outage ("we retry automatically"), a connection that has not synced in
/// over a day and a half (links to its diagnostics), and a revoked connection (with Reconnect). Renders nothing when all is well.
/// Refreshes itself.
/// </summary>
public partial class CrmSyncBanners
{
    private IReadOnlyList<CrmConnection> _connections = [];
    private IReadOnlyList<string> _outages = [];

    /// <summary>Gets or sets whether outages of CRMs the tenant has not connected are shown too. Defaults to <see langword="false"/>.</summary>
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
        _outages = ShowAllOutages ? outages : outages.Where(mine.Contains).ToList();
    }
}
