using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmSync.Sdk;

/// <summary>
/// The one in-process announcement that a connection's facts, runs, ledger, alerts or inbox changed, so every widget
/// on a page reloads together instead of each polling on its own. Subscriptions are per tenant; nothing crosses tenants.
/// </summary>
/// <remarks>
/// The feed is in-process: with several host instances on one PostgreSQL store, changes made by another instance reach
/// this one's widgets only through their polling fallback (<c>CrmSyncWidgetOptions.RefreshInterval</c>).
/// Handlers run on the publisher's thread and must return quickly (widgets hand the reload to their renderer); a failing
/// handler is logged and never breaks the sync that published.
/// </remarks>
public class CrmSyncChangeFeed
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Dictionary<string, Subscription[]> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>Initializes a feed.</summary>
    /// <param name="timeProvider">The clock of <see cref="CrmSyncChange.At"/>; defaults to the system clock.</param>
    /// <param name="logger">Logs failing handlers; defaults to none.</param>
    public CrmSyncChangeFeed(TimeProvider? timeProvider = null, ILogger<CrmSyncChangeFeed>? logger = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Listens to the changes of one tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="handler">Called once per change.</param>
    /// <returns>Dispose it to stop listening.</returns>
    public virtual IDisposable Subscribe(string tenantId, Func<CrmSyncChange, Task> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, tenantId, handler);
        lock (_gate)
        {
            var next = new Dictionary<string, Subscription[]>(_subscriptions, StringComparer.Ordinal);
            next[tenantId] = [.. next.GetValueOrDefault(tenantId, []), subscription];
            _subscriptions = next;
        }

        return subscription;
    }

    /// <summary>Announces a change to the tenant's subscribers.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection, or <see langword="null"/> for the whole tenant.</param>
    /// <param name="kinds">What changed.</param>
    public virtual void Publish(string tenantId, Guid? connectionId, CrmSyncChangeKinds kinds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (kinds == CrmSyncChangeKinds.None || !Volatile.Read(ref _subscriptions).TryGetValue(tenantId, out var subscribers))
        {
            return;
        }

        var change = new CrmSyncChange(tenantId, connectionId, kinds, _time.GetUtcNow());
        foreach (var subscriber in subscribers)
        {
            Task task;
            try
            {
                task = subscriber.Handler(change);
            }
            catch (Exception ex)
            {
                Log.ChangeHandlerFailed(_logger, ex);
                continue;
            }

            if (!task.IsCompleted)
            {
                _ = task.ContinueWith(t => Log.ChangeHandlerFailed(_logger, t.Exception!), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            else if (task.IsFaulted)
            {
                Log.ChangeHandlerFailed(_logger, task.Exception!);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscription.TenantId, out var current))
            {
                return;
            }

            var next = new Dictionary<string, Subscription[]>(_subscriptions, StringComparer.Ordinal);
            var remaining = current.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            if (remaining.Length == 0)
            {
                next.Remove(subscription.TenantId);
            }
            else
            {
                next[subscription.TenantId] = remaining;
            }

            _subscriptions = next;
        }
    }

    private sealed class Subscription(CrmSyncChangeFeed owner, string tenantId, Func<CrmSyncChange, Task> handler) : IDisposable
    {
        private int _disposed;

        public string TenantId { get; } = tenantId;

        public Func<CrmSyncChange, Task> Handler { get; } = handler;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }
}
