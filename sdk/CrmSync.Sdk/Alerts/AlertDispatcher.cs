using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// Stores an alert (open, for the nav badge and the alerts widget), marks its episode as alerted, names its recipients,
/// logs it and hands it to every sink; resolves a connection's open alerts when it recovers.
/// </summary>
internal sealed class AlertDispatcher
{
    private readonly ICrmSyncStore _store;
    private readonly ICrmSyncAlertSink[] _sinks;
    private readonly ICrmSyncAlertRecipients? _recipients;
    private readonly CrmSyncChangeFeed _changes;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly CrmSyncInstruments _instruments;
    private readonly ILogger<AlertDispatcher> _logger;

    public AlertDispatcher(
        ICrmSyncStore store,
        IEnumerable<ICrmSyncAlertSink> sinks,
        IEnumerable<ICrmSyncAlertRecipients> recipients,
        CrmSyncChangeFeed changes,
        IOptionsMonitor<CrmSyncOptions> options,
        TimeProvider time,
        CrmSyncInstruments instruments,
        ILogger<AlertDispatcher> logger)
    {
        _store = store;
        _sinks = sinks.ToArray();
        _recipients = recipients.LastOrDefault();
        _changes = changes;
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;
    }

    public async Task RaiseAsync(StoredConnection connection, ICrmProvider provider, CrmSyncAlertKind kind, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var s = connection.State;
        var failures = s.ConsecutiveFailures;
        var alert = new CrmSyncAlert
        {
            TenantId = connection.TenantId,
            ConnectionId = connection.Id,
            Provider = provider.Name,
            CrmName = provider.DisplayName,
            Kind = kind,
            ConsecutiveFailures = failures,
            Message = kind switch
            {
                CrmSyncAlertKind.Revoked => $"{provider.DisplayName} stopped syncing: sign in again to reconnect it. Nothing was lost.",
                CrmSyncAlertKind.ExpiredCredentials => $"{provider.DisplayName} sign-in expired and could not be renewed, so syncing is paused. Reconnect it to resume.",
                CrmSyncAlertKind.ProviderOutage => $"{provider.DisplayName} is not responding. CrmSync keeps retrying; nothing is lost.",
                _ => $"{provider.DisplayName} failed to sync {failures} times in a row. Last error: {s.LastError}",
            },
            Link = BuildLink(options, connection, provider),
            RaisedAt = _time.GetUtcNow(),
        };

        if (_recipients is not null)
        {
            try
            {
                alert = alert with { Recipients = await _recipients.GetRecipientsAsync(alert, cancellationToken).ConfigureAwait(false) };
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.AlertRecipientsFailed(_logger, ex);
            }
        }

        await _store.UpdateConnectionAsync(connection.TenantId, connection.Id, c => c with
        {
            State = kind switch
            {
                CrmSyncAlertKind.Revoked or CrmSyncAlertKind.ExpiredCredentials => c.State with { RevocationAlertSent = true },
                CrmSyncAlertKind.ProviderOutage => c.State with { OutageAlertSent = true },
                _ => c.State with { FailureAlertSent = true },
            },
        }, cancellationToken).ConfigureAwait(false);
        await _store.AppendAlertAsync(alert, cancellationToken).ConfigureAwait(false);
        _changes.Publish(connection.TenantId, connection.Id, CrmSyncChangeKinds.Alerts);
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

    /// <summary>Resolves the open alerts of a connection that recovered.</summary>
    public async Task ResolveAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken)
    {
        if (await _store.ResolveAlertsAsync(tenantId, connectionId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false) > 0)
        {
            _changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Alerts);
        }
    }

    internal static Uri BuildLink(CrmSyncOptions options, StoredConnection connection, ICrmProvider provider)
    {
        var path = options.IntegrationsPageUrl
            .Replace("{provider}", Uri.EscapeDataString(provider.Name), StringComparison.Ordinal)
            .Replace("{connectionId}", connection.Id.ToString(), StringComparison.Ordinal);
        return options.BaseAddress is { } b ? new Uri(b, path) : new Uri(path, UriKind.RelativeOrAbsolute);
    }
}
