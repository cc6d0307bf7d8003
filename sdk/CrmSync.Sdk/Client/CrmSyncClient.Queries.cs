using CrmSync.Sdk.Storage;

namespace CrmSync.Sdk;

/// <content>Read models: sync log, recent activity, last 24 hours, alerts, outages.</content>
public partial class CrmSyncClient
{
    /// <summary>Gets the last <paramref name="limit"/> sync log events of a connection, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many; defaults to 100.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events.</returns>
    public virtual async Task<IReadOnlyList<SyncLogEntry>> GetSyncLogAsync(string tenantId, Guid connectionId, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return await _store.GetLogAsync(tenantId, connectionId, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the last <paramref name="limit"/> record outcomes (the recent sync activity table), newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many; defaults to 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows.</returns>
    public virtual async Task<IReadOnlyList<SyncActivity>> GetRecentActivityAsync(string tenantId, Guid connectionId, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var items = await _store.GetRecentlyProcessedAsync(tenantId, connectionId, limit, cancellationToken).ConfigureAwait(false);
        _providers.TryGet(stored.Provider, out var provider);
        var context = new CrmProviderContext(tenantId, connectionId, stored.Datacenter, stored.Settings, NoCredentials.Instance);
        return items.Select(i => new SyncActivity(
            i.ProcessedAt ?? i.EnqueuedAt,
            i.Origin == OutboxOrigin.TestContact ? SyncEventTypes.TestContact : SyncEventTypes.ForObject(i.ObjectType, i.Origin == OutboxOrigin.Import),
            i.ObjectType,
            i.ExternalId,
            i.State switch { OutboxItemState.Synced => SyncActivityOutcome.Success, OutboxItemState.Skipped => SyncActivityOutcome.Skipped, _ => SyncActivityOutcome.Failed },
            i.CrmRecordId,
            i.CrmRecordId is not null && provider?.Capabilities.RecordDeepLinks == true ? provider.GetRecordLink(context, i.ObjectType, i.CrmRecordId) : null,
            i.Error)).ToList();
    }

    /// <summary>Summarises the last 24 hours: synced, waiting or skipped, failed, and one explanation per problem type.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The summary.</returns>
    public virtual async Task<SyncSummary> GetLast24HoursAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var counts = await _store.GetOutcomeCountsAsync(tenantId, connectionId, _time.GetUtcNow().AddHours(-24), cancellationToken).ConfigureAwait(false);
        var problems = counts.FailedByProblem
            .Where(p => p.Value > 0)
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new SyncProblemSummary(CrmProblemCatalog.Explain(new CrmProblemType(p.Key)), p.Value))
            .ToList();
        return new SyncSummary(counts.Synced, counts.Pending + counts.Skipped, counts.Failed, problems);
    }

    /// <summary>Gets a tenant's alerts, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="openOnly">Only open ones (not resolved by a recovery, not acknowledged by a user).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The alerts.</returns>
    public virtual Task<IReadOnlyList<CrmSyncAlert>> GetAlertsAsync(string tenantId, bool openOnly = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return _store.GetAlertsAsync(tenantId, openOnly, cancellationToken);
    }

    /// <summary>Acknowledges a tenant's open alerts, for one connection or all.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="KeyNotFoundException">A connection is given and the tenant has no such connection.</exception>
    public virtual async Task AcknowledgeAlertsAsync(string tenantId, Guid? connectionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (connectionId is { } id)
        {
            // Like every call naming a connection: another tenant's (or an unknown) id is an error, not a silent no-op.
            await LoadAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        }

        await _store.AcknowledgeAlertsAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        Changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Alerts);
    }

    /// <summary>Acknowledges one open alert ("I've seen it"): it leaves the alerts widget and stops counting toward the nav badge.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="alertId">The alert.</param>
    /// <param name="acknowledgedBy">Who acknowledged it (the host's user name or id).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it was open and is now acknowledged; <see langword="false"/> when it was already closed or does not exist.</returns>
    public virtual async Task<bool> AcknowledgeAlertAsync(string tenantId, Guid alertId, string? acknowledgedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var done = await _store.AcknowledgeAlertAsync(tenantId, alertId, acknowledgedBy, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (done)
        {
            Changes.Publish(tenantId, null, CrmSyncChangeKinds.Alerts);
        }

        return done;
    }

    /// <summary>Gets the display names of providers having a wider outage right now (several tenants failing at once).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The providers' display names.</returns>
    public virtual async Task<IReadOnlyList<string>> GetProviderOutagesAsync(CancellationToken cancellationToken = default)
    {
        var facts = await _store.GetOutageFactsAsync(cancellationToken).ConfigureAwait(false);
        return ProviderOutageDetector.Detect(facts, _time.GetUtcNow(), _options.CurrentValue.Status)
            .Select(name => _providers.TryGet(name, out var p) ? p.DisplayName : name)
            .ToList();
    }

    /// <summary>Returns whether something needs the tenant's attention: the nav badge turns red only then.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a connection needs attention (error, revoked, stale, expired credentials) or an alert is open.</returns>
    public virtual async Task<bool> NeedsAttentionAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var connections = await GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (connections.Any(c => c.Status.NeedsAttention))
        {
            return true;
        }

        return (await _store.GetAlertsAsync(tenantId, true, cancellationToken).ConfigureAwait(false)).Count > 0;
    }
}
