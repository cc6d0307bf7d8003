using System.Security.Claims;
using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace CrmSync.Widgets;

/// <summary>
/// The tenant's open alerts (note 001): each with the CRM's name, the number of failed syncs in a row, when it was raised, what happened
/// and a link to the Integrations page, on the kit's card, callout and button primitives. Owners and admins (<see cref="CrmSyncPolicies.ManageConnections"/>) acknowledge an alert; alerts
/// also close by themselves when the connection recovers. Updates with the change feed, together with the nav badge.
/// </summary>
public partial class CrmSyncAlerts
{
    private readonly string _uid = CrmSyncIds.Next("alerts");
    private IReadOnlyList<CrmSyncAlert> _alerts = [];
    private Guid? _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the cascading authentication state, for who acknowledged an alert.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <inheritdoc />
    protected override bool Polls => true;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _alerts = await Client.GetAlertsAsync(ResolvedTenantId);

    private async Task AcknowledgeAsync(CrmSyncAlert alert)
    {
        if (_busy is not null)
        {
            return;
        }

        _busy = alert.Id;
        try
        {
            var user = AuthenticationState is null ? null : (await AuthenticationState).User;
            var by = user?.Identity?.Name ?? user?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            await Client.AcknowledgeAlertAsync(ResolvedTenantId, alert.Id, by);
            _message = L["AlertAcknowledged"];
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
            _busy = null;
        }

        await NotifyChangedAsync(alert.ConnectionId);
    }
}
