namespace CrmSync.Sdk.Storage;

/// <summary>
/// Durable storage for connections, the outbox, the record map, runs, the sync log and alerts.
/// Every method is scoped by tenant or by a connection id that was loaded tenant-scoped.
/// Implementations: <c>CrmSync.Sdk.Sqlite</c> (embedded default) and <c>CrmSync.Sdk.PostgreSql</c>.
/// </summary>
public interface ICrmSyncStore
{
    /// <summary>Creates or migrates the schema.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts a connection.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task InsertConnectionAsync(StoredConnection connection, CancellationToken cancellationToken = default);

    /// <summary>Gets a connection of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection, or <see langword="null"/>.</returns>
    Task<StoredConnection?> GetConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default);

    /// <summary>Gets every connection of a tenant, oldest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connections.</returns>
    Task<IReadOnlyList<StoredConnection>> GetConnectionsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Gets the provider, tenant and last outage of every connection, across tenants, for outage detection.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One row per connection.</returns>
    Task<IReadOnlyList<(string Provider, string TenantId, DateTimeOffset? LastOutageAt)>> GetOutageFactsAsync(CancellationToken cancellationToken = default);

    /// <summary>Atomically reads, changes and writes a connection.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="update">The change; it must not do I/O.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated connection.</returns>
    /// <exception cref="KeyNotFoundException">No such connection for the tenant.</exception>
    Task<StoredConnection> UpdateConnectionAsync(string tenantId, Guid connectionId, Func<StoredConnection, StoredConnection> update, CancellationToken cancellationToken = default);

    /// <summary>Gets connections whose next sync is due and that no instance holds a lease on.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Tenant and connection ids.</returns>
    Task<IReadOnlyList<(string TenantId, Guid ConnectionId)>> GetDueConnectionsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases a connection so only one run at a time works on it, across instances. Succeeds when no lease is held, the
    /// held one lapsed, or it was left by a previous process of the same instance (same owner, other incarnation).
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="lease">The run's lease: instance, process and fencing token.</param>
    /// <param name="now">The current time.</param>
    /// <param name="until">When the lease lapses unless renewed (a crashed instance stops renewing).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when leased.</returns>
    Task<bool> TryAcquireLeaseAsync(Guid connectionId, SyncLease lease, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Frees the leases that earlier processes of this instance left (same owner, other incarnation), so a restarted
    /// instance takes back its connections at once instead of waiting for the leases to lapse.
    /// </summary>
    /// <param name="owner">The instance.</param>
    /// <param name="incarnation">The current process of the instance.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many leases were freed.</returns>
    Task<int> ReleaseStaleLeasesAsync(string owner, string incarnation, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease while its run works (the heartbeat).</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="leaseToken">The run's fencing token.</param>
    /// <param name="until">The new lapse time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the run no longer holds the lease (another run took it over).</returns>
    Task<bool> RenewLeaseAsync(Guid connectionId, string leaseToken, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Releases a lease, if the run still holds it.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="leaseToken">The run's fencing token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseLeaseAsync(Guid connectionId, string leaseToken, CancellationToken cancellationToken = default);

    /// <summary>Writes items to the outbox in one transaction; an item whose idempotency key the connection already has is ignored.</summary>
    /// <param name="items">The items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were new.</returns>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken = default);

    /// <summary>Gets pending items of a connection: contacts and leads first, then activities, oldest first.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    Task<IReadOnlyList<OutboxItem>> GetPendingAsync(Guid connectionId, int max, CancellationToken cancellationToken = default);

    /// <summary>Gets one outbox item of a connection by its idempotency key, whatever its state.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="idempotencyKey">The key the item was accepted with.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The item, or <see langword="null"/> when the connection has none with that key.</returns>
    Task<OutboxItem?> GetOutboxItemAsync(Guid connectionId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the next pending items of a connection for the run holding its lease, in <see cref="GetPendingAsync"/>'s
    /// order, and returns them. Items this run claimed before and has not completed come back first. Items a direct push
    /// holds (<see cref="OutboxItem.HeldUntil"/> after <paramref name="now"/>) are left to it.
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="leaseToken">The run's fencing token.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="now">The current time, against which holds are compared.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed items.</returns>
    /// <exception cref="CrmSyncLeaseLostException">The run no longer holds the lease.</exception>
    Task<IReadOnlyList<OutboxItem>> ClaimPendingAsync(Guid connectionId, string leaseToken, int max, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ends a direct push's hold on items that are still pending (the push did not happen), so the next run sends them.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="itemIds">The items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task ReleaseHoldsAsync(Guid connectionId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records outcomes and the CRM ids of synced records in one transaction. Only pending items are recorded (an item is
    /// never counted twice). With a lease token, the whole write is refused unless the run still holds the lease, only
    /// items claimed by it are recorded, and the run's row (<see cref="StartRunAsync"/>) adds the counts.
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="leaseToken">The run's fencing token, or <see langword="null"/> for a push outside a run (the test contact).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcomes that were recorded.</returns>
    /// <exception cref="CrmSyncLeaseLostException">A lease token was given and the run no longer holds the lease.</exception>
    Task<IReadOnlyList<OutboxOutcome>> CompleteAsync(Guid connectionId, IReadOnlyList<OutboxOutcome> outcomes, string? leaseToken, CancellationToken cancellationToken = default);

    /// <summary>Gets the CRM ids of records already synced on a connection.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="objectType">The record type.</param>
    /// <param name="externalIds">The external ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>CRM ids by external id, for those known.</returns>
    Task<IReadOnlyDictionary<string, string>> GetCrmIdsAsync(Guid connectionId, CrmObjectType objectType, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default);

    /// <summary>Moves every failed item of a connection back to pending.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were re-queued.</returns>
    Task<int> RequeueFailedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default);

    /// <summary>Counts the failure ledger of a connection: its failed items by problem type.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Failed items by problem type; empty when none.</returns>
    Task<IReadOnlyDictionary<string, int>> GetFailedCountsAsync(Guid connectionId, CancellationToken cancellationToken = default);

    /// <summary>Counts pending items.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="origin">Only items of this origin, when given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    Task<int> CountPendingAsync(Guid connectionId, OutboxOrigin? origin = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the most recently processed items (the recent activity table).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items, newest first.</returns>
    Task<IReadOnlyList<OutboxItem>> GetRecentlyProcessedAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Counts outcomes since a time.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="since">The start of the period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    Task<OutcomeCounts> GetOutcomeCountsAsync(string tenantId, Guid connectionId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>Appends a finished run.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendRunAsync(string tenantId, SyncRunSummary run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the run holding the connection's lease started, in one transaction with closing the runs that never
    /// finished (their process died or lost the lease): each becomes <see cref="SyncRunOutcome.Interrupted"/> with the
    /// counts it had recorded, and the sync log gets a <see cref="SyncEventTypes.SyncInterrupted"/> entry for it.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="leaseToken">The run's fencing token.</param>
    /// <param name="startedAt">When the run started.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task StartRunAsync(string tenantId, Guid connectionId, string leaseToken, DateTimeOffset startedAt, CancellationToken cancellationToken = default);

    /// <summary>Finishes the run that <see cref="StartRunAsync"/> recorded, or removes it when it did nothing worth keeping.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="run">The finished run.</param>
    /// <param name="leaseToken">The run's fencing token.</param>
    /// <param name="keep"><see langword="false"/> to remove the row (a run with nothing to do is not history).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the run was already closed as interrupted (it lost its lease).</returns>
    Task<bool> FinishRunAsync(string tenantId, SyncRunSummary run, string leaseToken, bool keep, CancellationToken cancellationToken = default);

    /// <summary>Gets recent finished or interrupted runs (not those still running), newest first.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<SyncRunSummary>> GetRecentRunsAsync(Guid connectionId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Appends sync log entries.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendLogAsync(IReadOnlyList<SyncLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Gets the last entries of a connection's sync log, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Appends events to records' timelines (the <c>crm_sync</c> workflow step).</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendTimelineAsync(IReadOnlyList<CrmTimelineEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Gets the last events of one host record's timeline, oldest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="recordId">The host record id.</param>
    /// <param name="limit">How many of the newest events.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events, oldest first.</returns>
    Task<IReadOnlyList<CrmTimelineEvent>> GetTimelineAsync(string tenantId, string recordId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Stores an alert.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AppendAlertAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default);

    /// <summary>Gets a tenant's alerts, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="openOnly">Only open ones (neither resolved nor acknowledged).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The alerts.</returns>
    Task<IReadOnlyList<CrmSyncAlert>> GetAlertsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a tenant's open alerts, for one connection or all.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task AcknowledgeAlertsAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges one open alert of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="alertId">The alert.</param>
    /// <param name="acknowledgedBy">Who acknowledged it.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when an open alert was acknowledged; <see langword="false"/> when there is no such open alert.</returns>
    Task<bool> AcknowledgeAlertAsync(string tenantId, Guid alertId, string? acknowledgedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Resolves every open alert of a connection (it recovered).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many alerts were resolved.</returns>
    Task<int> ResolveAlertsAsync(string tenantId, Guid connectionId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a connection and its local history (outbox, record map, runs, sync log, alerts, import runs and inbox) in one
    /// transaction. Touches nothing in the CRM.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    Task<bool> DeleteConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default);

    /// <summary>Reads a small value (OAuth state, widget preferences).</summary>
    /// <param name="scope">The scope, which includes the tenant when the value is tenant data.</param>
    /// <param name="key">The key.</param>
    /// <param name="now">Values that expired before this are not returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    Task<string?> GetValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Writes a small value.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="expiresAt">When it expires, if ever.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task SetValueAsync(string scope, string key, string value, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Deletes a small value and returns it, atomically (one-time OAuth state).</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="key">The key.</param>
    /// <param name="now">Values that expired before this are not returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    Task<string?> TakeValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes processed outbox items, log entries and timeline events older than a time (pending and failed items are kept).</summary>
    /// <param name="before">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many rows were deleted.</returns>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
