using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk;

/// <content>The import inbox: list, approve, reject, deliver.</content>
public partial class CrmImportClient
{
    /// <summary>Lists a tenant's inbox items (pending by default), by ascending id.</summary>
    /// <param name="actor">Who asks; needs an operator or approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="query">Which items; defaults to the first 50 pending.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    public virtual Task<IReadOnlyList<CrmInboxItem>> GetInboxAsync(CrmImportActor actor, string tenantId, CrmInboxQuery? query = null, CancellationToken cancellationToken = default)
    {
        DemandReader(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        query ??= new CrmInboxQuery();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        return Imports.GetInboxAsync(tenantId, query, cancellationToken);
    }

    /// <summary>Counts a tenant's inbox items per state (the inbox tab badge).</summary>
    /// <param name="actor">Who asks; needs an operator or approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's, when given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    public virtual Task<CrmInboxCounts> CountInboxAsync(CrmImportActor actor, string tenantId, Guid? connectionId = null, CancellationToken cancellationToken = default)
    {
        DemandReader(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return Imports.CountInboxAsync(tenantId, connectionId, cancellationToken);
    }

    /// <summary>Approves pending items and delivers every approved, undelivered item of the tenant to the host's sink.</summary>
    /// <param name="actor">Who approves; needs an approver role (manager or admin by default).</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="itemIds">The items; ids of other tenants and items that are not pending are ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were approved and delivered.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not approve.</exception>
    /// <exception cref="InvalidOperationException">The host registered no <see cref="ICrmImportSink"/>.</exception>
    public virtual Task<CrmInboxDecisionResult> ApproveAsync(CrmImportActor actor, string tenantId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        return DecideAsync(actor, tenantId, null, itemIds, CrmInboxItemState.Approved, cancellationToken);
    }

    /// <summary>Approves every pending item of a tenant (or of one connection) and delivers them to the host's sink.</summary>
    /// <param name="actor">Who approves; needs an approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's items, when given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were approved and delivered.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not approve.</exception>
    /// <exception cref="InvalidOperationException">The host registered no <see cref="ICrmImportSink"/>.</exception>
    public virtual Task<CrmInboxDecisionResult> ApproveAllAsync(CrmImportActor actor, string tenantId, Guid? connectionId = null, CancellationToken cancellationToken = default) =>
        DecideAsync(actor, tenantId, connectionId, null, CrmInboxItemState.Approved, cancellationToken);

    /// <summary>Rejects pending items: they are remembered and never proposed again.</summary>
    /// <param name="actor">Who rejects; needs an approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="itemIds">The items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were rejected.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not reject.</exception>
    public virtual Task<CrmInboxDecisionResult> RejectAsync(CrmImportActor actor, string tenantId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        return DecideAsync(actor, tenantId, null, itemIds, CrmInboxItemState.Rejected, cancellationToken);
    }

    /// <summary>Rejects every pending item of a tenant (or of one connection).</summary>
    /// <param name="actor">Who rejects; needs an approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's items, when given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were rejected.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not reject.</exception>
    public virtual Task<CrmInboxDecisionResult> RejectAllAsync(CrmImportActor actor, string tenantId, Guid? connectionId = null, CancellationToken cancellationToken = default) =>
        DecideAsync(actor, tenantId, connectionId, null, CrmInboxItemState.Rejected, cancellationToken);

    /// <summary>
    /// Delivers approved items that have not reached the host yet: after a sink failure, and newer versions of approved
    /// records that later imports brought in. Call it after imports (or on the host's schedule).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's items, when given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were delivered, and the sink's error when it failed.</returns>
    /// <exception cref="InvalidOperationException">The host registered no <see cref="ICrmImportSink"/>.</exception>
    public virtual async Task<CrmInboxDecisionResult> DeliverApprovedAsync(string tenantId, Guid? connectionId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var sink = GetSink();
        var (delivered, error) = await DeliverAsync(sink, tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return new CrmInboxDecisionResult(0, delivered, error);
    }

    private ICrmImportSink GetSink() => _services.GetService<ICrmImportSink>()
        ?? throw new InvalidOperationException("Approved imports reach the host through an ICrmImportSink: register one with builder.AddImportSink<T>().");

    private async Task<CrmInboxDecisionResult> DecideAsync(CrmImportActor actor, string tenantId, Guid? connectionId, IReadOnlyCollection<long>? itemIds, CrmInboxItemState decision, CancellationToken cancellationToken)
    {
        DemandApprover(actor, decision == CrmInboxItemState.Approved ? "approve import inbox items" : "reject import inbox items");
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var sink = decision == CrmInboxItemState.Approved ? GetSink() : null;
        var now = _time.GetUtcNow();
        var decided = itemIds is { Count: 0 } ? 0 : await Imports.DecideInboxItemsAsync(tenantId, connectionId, itemIds, decision, actor.UserId, now, cancellationToken).ConfigureAwait(false);
        if (decided > 0)
        {
            var connections = connectionId is { } one ? [one] : (await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false)).Select(c => c.Id).ToList();
            if (connections.Count > 0)
            {
                // One log line per decision call, on the first affected connection, is enough for the sync log.
                await _store.AppendLogAsync([new SyncLogEntry(tenantId, connections[0], now, SyncEventTypes.ImportDecision, decided, SyncLogOutcome.Success, null, decision == CrmInboxItemState.Approved ? $"Approved by {actor.UserId}" : $"Rejected by {actor.UserId}")], cancellationToken).ConfigureAwait(false);
            }
        }

        if (decided > 0)
        {
            Changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Inbox);
        }

        if (sink is null)
        {
            return new CrmInboxDecisionResult(decided, 0, null);
        }

        var (delivered, error) = await DeliverAsync(sink, tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return new CrmInboxDecisionResult(decided, delivered, error);
    }

    private async Task<(int Delivered, string? Error)> DeliverAsync(ICrmImportSink sink, string tenantId, Guid? connectionId, CancellationToken cancellationToken)
    {
        var providers = (await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Id, c => c.Provider);
        var delivered = 0;
        while (true)
        {
            var items = await Imports.GetUndeliveredAsync(tenantId, connectionId, ImportOptions.SinkBatchSize, cancellationToken).ConfigureAwait(false);
            if (items.Count == 0)
            {
                return (delivered, null);
            }

            var records = items.Select(i => new CrmImportedRecord(i.Id, i.ConnectionId, providers.GetValueOrDefault(i.ConnectionId, string.Empty), i.Record, i.DeliveredBefore, i.DecidedBy)).ToList();
            try
            {
                await sink.DeliverAsync(new CrmImportDelivery(tenantId, records), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ImportSinkFailed(_logger, sink.GetType().Name, records.Count, tenantId, ex);
                return (delivered, SecretRedactor.Redact($"{ex.GetType().Name}: {ex.Message}"));
            }

            await Imports.MarkDeliveredAsync(tenantId, items.Select(i => (i.Id, i.Record.ModifiedAt)).ToList(), _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            delivered += items.Count;
        }
    }
}
