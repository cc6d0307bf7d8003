using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// "Record owner": assigns the records CrmSync creates to one CRM user, or leaves the CRM's own assignment rules in charge.
/// Applies to new records only. Rendered only when the CRM can list its users (<see cref="CrmProviderCapabilities.CanListUsers"/>)
/// and the connection is live. Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncRecordOwnerPicker
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private IReadOnlyList<CrmUser> _users = [];
    private bool _busy;
    private string? _message;
    private bool _failed;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);
        _users = _connection.Capabilities.CanListUsers && _connection.Checklist.Connected
            ? await Client.GetCrmUsersAsync(ResolvedTenantId, ConnectionId)
            : [];
    }

    private async Task ChangeAsync(ChangeEventArgs e)
    {
        var owner = e.Value?.ToString();
        owner = string.IsNullOrWhiteSpace(owner) ? null : owner;
        _busy = true;
        try
        {
            _connection = await Client.UpdateSettingsAsync(ResolvedTenantId, ConnectionId, s => s with { DefaultOwnerId = owner });
            _failed = false;
            _message = owner is null ? L["OwnerCleared"] : L["OwnerSaved", _users.FirstOrDefault(u => u.Id == owner)?.Name ?? owner];
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
    }
}
