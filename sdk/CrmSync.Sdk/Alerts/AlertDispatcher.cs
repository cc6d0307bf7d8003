using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>Stores an alert (for the nav badge), marks its episode as alerted, logs it and hands it to every sink.</summary>
internal sealed class AlertDispatcher
{
    private readonly ICrmSyncStore _store;
    private readonly ICrmSyncAlertSink[] _sinks;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly CrmSyncInstruments _instruments;
    private readonly ILogger<AlertDispatcher> _logger;

    public AlertDispatcher(ICrmSyncStore store, IEnumerable<ICrmSyncAlertSink> sinks, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, CrmSyncInstruments instruments, ILogger<AlertDispatcher> logger)
    {
        _store = store;
        _sinks = sinks.ToArray();
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;
    }

    public async Task RaiseAsync(StoredConnection connection, ICrmProvider provider, CrmSyncAlertKind kind, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var failures = connection.State.ConsecutiveFailures;
        var alert = new CrmSyncAlert
        {
            TenantId = connection.TenantId,
            ConnectionId = connection.Id,
            Provider = provider.Name,
            CrmName = provider.DisplayName,
            Kind = kind,
            ConsecutiveFailures = failures,
            Message = kind == CrmSyncAlertKind.Revoked
                ? $"{provider.DisplayName} refused the saved sign-in ({connection.State.RevokedReason}). Reconnect it to restore syncing."
                : $"{provider.DisplayName} failed to sync {failures} times in a row. Last error: {connection.State.LastError}",
            Link = BuildLink(options, connection, provider),
            RaisedAt = _time.GetUtcNow(),
        };

        await _store.UpdateConnectionAsync(connection.TenantId, connection.Id, c => c with
        {
            State = kind == CrmSyncAlertKind.Revoked ? c.State with { RevocationAlertSent = true } : c.State with { FailureAlertSent = true },
        }, cancellationToken).ConfigureAwait(false);
        await _store.AppendAlertAsync(alert, cancellationToken).ConfigureAwait(false);
        _instruments.Alerts.Add(1, new("crmsync.provider", provider.Name), new("crmsync.alert_kind", kind.ToString()));
        Log.AlertRaised(_logger, connection.TenantId, provider.DisplayName, kind, failures);

        foreach (var sink in _sinks)
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A broken sink must not break syncing; the alert is stored either way.
                Log.AlertSinkFailed(_logger, sink.GetType().Name, ex);
            }
        }
    }

    internal static Uri BuildLink(CrmSyncOptions options, StoredConnection connection, ICrmProvider provider)
    {
        var path = options.ConnectionPageUrl
            .Replace("{provider}", Uri.EscapeDataString(provider.Name), StringComparison.Ordinal)
            .Replace("{connectionId}", connection.Id.ToString(), StringComparison.Ordinal);
        return options.BaseAddress is { } b ? new Uri(b, path) : new Uri(path, UriKind.RelativeOrAbsolute);
    }
}
