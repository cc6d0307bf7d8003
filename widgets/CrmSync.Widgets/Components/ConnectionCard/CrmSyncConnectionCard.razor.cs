using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The card of one connected CRM (Integrations page): CRM name and logo, account, last synced, health, recent errors each with
/// description, time and Retry, and Sync now, which shows the CRM's rate-limit rejection when the CRM refuses the run.
/// Sync now and Retry need <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncConnectionCard
{
    private CrmConnection? _connection;
    private IReadOnlyList<SyncLogEntry> _errors = [];
    private bool _busy;
    private string? _runMessage;
    private bool _runFailed;

    /// <summary>Gets or sets the connection the card shows.</summary>
    [Parameter, EditorRequired]
    public Guid ConnectionId { get; set; }

    /// <summary>Gets or sets the CRM's logo, shown before its name. Defaults to none.</summary>
    [Parameter]
    public RenderFragment? Logo { get; set; }

    /// <summary>Gets or sets the link of the card's Manage link (the connection detail page). Defaults to none (no link).</summary>
    [Parameter]
    public string? ManageHref { get; set; }

    /// <summary>Gets or sets how many recent errors the card lists. Defaults to 5.</summary>
    [Parameter]
    public int MaxErrors { get; set; } = 5;

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        _connection = null;
        var tenant = ResolvedTenantId;
        _connection = await Client.GetConnectionAsync(tenant, ConnectionId);
        var log = await Client.GetSyncLogAsync(tenant, ConnectionId, 100);
        _errors = log.Where(e => e.Outcome == SyncLogOutcome.Error).Take(Math.Max(0, MaxErrors)).ToList();
    }

    private async Task SyncNowAsync()
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        _runMessage = null;
        try
        {
            var result = await Client.SyncNowAsync(ResolvedTenantId, ConnectionId);
            _runFailed = result.Outcome is SyncRunOutcome.Failed or SyncRunOutcome.RateLimited or SyncRunOutcome.Revoked or SyncRunOutcome.ProviderUnavailable;
            _runMessage = result.Message ?? (result.Ran ? L["SyncFinished"] : L["SyncDidNotRun"]);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _runFailed = true;
            _runMessage = ErrorText(ex);
        }
        finally
        {
            _busy = false;
        }

        await NotifyChangedAsync(ConnectionId);
    }
}
