using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The card of one connected CRM (Integrations page), built on <see cref="CrmSyncCard"/>: CRM name and brand mark (or the host's logo), the account
/// while connected, status, last synced, health, and "Recent errors" as the current problem with the action that helps: Retry (re-queues the
/// failed records and syncs) for failed records and failed runs, Reconnect for expired or revoked sign-ins, Resume for a user's pause, and
/// nothing to click while a daily limit resets or the CRM is down (CrmSync retries by itself). Errors fixed by a later run drop out. Sync now
/// shows only where a run can help, and Pause stops syncing; the button that runs shows its pending state and the result is announced through
/// the toast region. With <see cref="ShowLog"/> the card holds its sync log. Actions need <see cref="CrmSyncPolicies.ManageConnections"/>.
/// </summary>
public partial class CrmSyncConnectionCard
{
    private readonly string _uid = CrmSyncIds.Next("connection");
    private CrmConnection? _connection;
    private IReadOnlyList<SyncLogEntry> _errors = [];
    private bool _busy;
    private CardAction? _pending;
    private CardAction? _lastAction;
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

    /// <summary>Gets or sets whether the card holds the connection's sync log (collapsed under a "Sync log" disclosure). Defaults to <see langword="false"/>.</summary>
    [Parameter]
    public bool ShowLog { get; set; }

    /// <summary>Gets or sets how many events the card's sync log lists. Defaults to 20.</summary>
    [Parameter]
    public int LogLimit { get; set; } = 20;

    /// <summary>Gets or sets how many recent errors the card lists while the connection is in error. Defaults to 5.</summary>
    [Parameter]
    public int MaxErrors { get; set; } = 5;

    /// <summary>Gets or sets the Reconnect button's <see cref="CrmSyncConnectButton.OnConnect"/>. Defaults to OAuth sign-in.</summary>
    [Parameter]
    public EventCallback<CrmSyncConnectRequest> OnConnect { get; set; }

    /// <summary>Gets or sets the Reconnect button's <see cref="CrmSyncConnectButton.RedirectUri"/>. Defaults to the configured callback path.</summary>
    [Parameter]
    public Uri? RedirectUri { get; set; }

    /// <summary>Gets whether a run can do anything now: not while disconnected, revoked, expired, paused, waiting for a limit or an outage, or setting up.</summary>
    private bool CanSync => _connection?.Status.Status is ConnectionStatus.Active or ConnectionStatus.Error or ConnectionStatus.Stale;

    private bool CanPause => _connection?.Status.Status is ConnectionStatus.Active or ConnectionStatus.Error or ConnectionStatus.Stale
        || _connection?.Status.ReasonKind is StatusReasonKind.DailyLimit or StatusReasonKind.ProviderOutage;

    private CrmSyncTone? CardTone => _connection?.Status.Status switch
    {
        ConnectionStatus.Error or ConnectionStatus.Revoked => CrmSyncTone.Danger,
        ConnectionStatus.Stale => CrmSyncTone.Warning,
        ConnectionStatus.Paused when _connection.Status.Health == ConnectionHealth.Amber => CrmSyncTone.Warning,
        _ => null,
    };

    private CrmSyncTone ProblemTone => _connection?.Status.Health switch
    {
        ConnectionHealth.Red => CrmSyncTone.Danger,
        ConnectionHealth.Amber => CrmSyncTone.Warning,
        _ => CrmSyncTone.Neutral,
    };

    private CrmSyncIconName ProblemIcon => _connection?.Status.Health switch
    {
        ConnectionHealth.Red => CrmSyncIconName.Warning,
        ConnectionHealth.Amber => CrmSyncIconName.AlertCircle,
        _ => CrmSyncIconName.Info,
    };

    /// <inheritdoc />
    protected override bool IsAbout(Guid connectionId) => connectionId == ConnectionId;

    /// <inheritdoc />
    protected override async Task LoadAsync()
    {
        var tenant = ResolvedTenantId;
        var connection = await Client.GetConnectionAsync(tenant, ConnectionId);
        IReadOnlyList<SyncLogEntry> errors = [];
        if (connection.Status.Status == ConnectionStatus.Error)
        {
            // Only errors of the current episode: a run-level failure since the last successful run, or, while records are
            // outstanding, the errors that left them in the ledger. Errors fixed by a later run stay in the sync log only.
            var since = connection.Status.ReasonKind == StatusReasonKind.SyncFailed ? connection.State.LastSuccessAt : null;
            var log = await Client.GetSyncLogAsync(tenant, ConnectionId, 100);
            errors = log.Where(e => e.Outcome == SyncLogOutcome.Error && (since is null || e.At > since))
                .Take(Math.Max(0, MaxErrors))
                .ToList();
        }

        _connection = connection;
        _errors = errors;
    }

    private Task SyncNowAsync() => RunActionAsync(CardAction.Sync, async tenant =>
    {
        var result = await Client.SyncNowAsync(tenant, ConnectionId);
        _runFailed = IsFailure(result);
        return result.Message ?? (result.Ran ? L["SyncFinished"] : L["SyncDidNotRun"]);
    });

    private Task RetryAsync() => RunActionAsync(CardAction.Retry, async tenant =>
    {
        var result = await Client.TryResyncAsync(tenant, ConnectionId);
        _runFailed = IsFailure(result.Run) || result.Run.Failed > 0;
        var run = result.Run.Message ?? (result.Run.Ran ? L["SyncFinished"] : L["SyncDidNotRun"]);
        var requeued = result.Requeued == 1 ? L["RetryRequeuedOne"].Value : L["RetryRequeued", result.Requeued].Value;
        return result.Requeued > 0 ? $"{requeued} {run}" : run;
    });

    private Task PauseAsync() => RunActionAsync(CardAction.Pause, async tenant =>
    {
        var paused = await Client.PauseAsync(tenant, ConnectionId);
        _runFailed = false;
        return L["PausedMessage", paused.ProviderDisplayName];
    });

    private Task ResumeAsync() => RunActionAsync(CardAction.Resume, async tenant =>
    {
        var resumed = await Client.ResumeAsync(tenant, ConnectionId);
        _runFailed = false;
        return L["ResumedMessage", resumed.ProviderDisplayName];
    });

    private static bool IsFailure(SyncRunResult result) =>
        result.Outcome is SyncRunOutcome.Failed or SyncRunOutcome.RateLimited or SyncRunOutcome.Revoked or SyncRunOutcome.ProviderUnavailable;

    private async Task RunActionAsync(CardAction kind, Func<string, Task<string>> action)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        _pending = kind;
        _lastAction = kind;
        _runMessage = null;
        try
        {
            _runMessage = await action(ResolvedTenantId);
            if (!_runFailed)
            {
                Announcer.Announce($"{_connection?.ProviderDisplayName}: {_runMessage}", RunTone);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _runFailed = true;
            _runMessage = ErrorText(ex);
        }
        finally
        {
            _busy = false;
            _pending = null;
        }

        await NotifyChangedAsync(ConnectionId);
    }

    // A pause is not a success: its result reads neutral, every other result that did not fail reads as success.
    private CrmSyncTone RunTone => _lastAction == CardAction.Pause ? CrmSyncTone.Neutral : CrmSyncTone.Success;

    private enum CardAction
    {
        Sync,
        Retry,
        Pause,
        Resume,
    }
}
