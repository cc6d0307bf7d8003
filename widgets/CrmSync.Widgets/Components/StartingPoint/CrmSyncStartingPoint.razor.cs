using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The one-time choice right after connecting: "Import N contacts" (all existing contacts now) or "Skip, only sync new activity".
/// Shown only while the connection is connected and the choice is not made; calls <see cref="CrmSyncClient.ChooseStartingPointAsync"/>.
/// Needs <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncStartingPoint
{
    private readonly string _uid = "crmsync-" + Guid.NewGuid().ToString("N")[..8];
    private CrmConnection? _connection;
    private StartingPoint? _choosing;
    private string? _error;
    private string? _result;

    /// <summary>Gets or sets the connection.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets how many existing contacts the host has, for the button text "Import N contacts". Defaults to none ("Import existing contacts").</summary>
    [Parameter]
    public int? ExistingContactCount { get; set; }

    private string Product => SyncOptions.CurrentValue.ProductName;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync() => _connection = await Client.GetConnectionAsync(ResolvedTenantId, ConnectionId);

    private async Task ChooseAsync(StartingPoint choice)
    {
        _choosing = choice;
        _error = null;
        StateHasChanged();
        try
        {
            var queued = await Client.ChooseStartingPointAsync(ResolvedTenantId, ConnectionId, choice);
            _result = choice == StartingPoint.ImportExisting ? L["ImportQueued", queued] : L["SkipChosen"];
            Announcer.Announce(_result, CrmSyncTone.Success);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ErrorText(ex);
        }
        finally
        {
            _choosing = null;
        }

        if (_result is not null)
        {
            await NotifyChangedAsync(ConnectionId);
        }
    }
}
