namespace CrmSync.Sdk.Storage;

/// <summary>
/// Durable storage of the fetch direction: import runs (with their resumable cursors and high-water marks), the
/// tenant-scoped import inbox, and lead-source integrations. Every method is scoped by tenant.
/// Implemented by <c>CrmSync.Sdk.Sqlite</c> and <c>CrmSync.Sdk.PostgreSql</c>; a store registers it next to <see cref="ICrmSyncStore"/>.
/// </summary>
public interface ICrmImportStore
{
    /// <summary>Inserts an import run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task InsertImportRunAsync(CrmImportRun run, CancellationToken cancellationToken = default);

    /// <summary>Gets an import run of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run, or <see langword="null"/>.</returns>
    Task<CrmImportRun?> GetImportRunAsync(string tenantId, Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Gets a connection's import runs, newest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    Task<IReadOnlyList<CrmImportRun>> GetImportRunsAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Gets waiting runs (any tenant) whose wait is over.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Tenant and run ids.</returns>
    Task<IReadOnlyList<(string TenantId, Guid RunId)>> GetDueImportRunsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads, changes and writes an import run.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="update">The change; it must not do I/O.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated run.</returns>
    /// <exception cref="KeyNotFoundException">No such run for the tenant.</exception>
    Task<CrmImportRun> UpdateImportRunAsync(string tenantId, Guid runId, Func<CrmImportRun, CrmImportRun> update, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores one fetched page in one transaction: adds or updates inbox items (one per connection, object kind and CRM id;
    /// a record already stored at the same or a newer modified stamp is unchanged; a rejected record is skipped), adds the
    /// counts to the run, moves its cursor to <paramref name="nextCursor"/> and raises its high-water mark.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="records">The page.</param>
    /// <param name="nextCursor">The cursor of the next page.</param>
    /// <param name="now">The fetch time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run after the page, and what the page did.</returns>
    Task<(CrmImportRun Run, CrmInboxAddResult Result)> SaveImportPageAsync(string tenantId, Guid runId, IReadOnlyList<CrmFetchedRecord> records, string? nextCursor, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gets the high-water mark of a scope: the latest modified stamp of the completed runs with that scope key.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="scopeKey">The scope key (<see cref="CrmFetchFilter.GetScopeKey"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The mark, or <see langword="null"/> before the first completed run.</returns>
    Task<DateTimeOffset?> GetHighWaterMarkAsync(string tenantId, Guid connectionId, string scopeKey, CancellationToken cancellationToken = default);

    /// <summary>Lists inbox items of a tenant, by ascending id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="query">The query.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    Task<IReadOnlyList<CrmInboxItem>> GetInboxAsync(string tenantId, CrmInboxQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts a tenant's inbox items per state.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    Task<CrmInboxCounts> CountInboxAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default);

    /// <summary>Approves or rejects pending items of a tenant. Items that are not pending are left alone.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's items, when given.</param>
    /// <param name="itemIds">The items, or <see langword="null"/> for every pending item.</param>
    /// <param name="decision"><see cref="CrmInboxItemState.Approved"/> or <see cref="CrmInboxItemState.Rejected"/>.</param>
    /// <param name="decidedBy">Who decided.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many items changed.</returns>
    Task<int> DecideInboxItemsAsync(string tenantId, Guid? connectionId, IReadOnlyCollection<long>? itemIds, CrmInboxItemState decision, string decidedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Gets approved items of a tenant whose latest version was not delivered yet, by ascending id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">Only this connection's items, when given.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The items.</returns>
    Task<IReadOnlyList<CrmInboxItem>> GetUndeliveredAsync(string tenantId, Guid? connectionId, int max, CancellationToken cancellationToken = default);

    /// <summary>Marks items delivered, unless a newer version arrived since <paramref name="versions"/> were read.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="versions">Item ids with the modified stamp that was delivered.</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task MarkDeliveredAsync(string tenantId, IReadOnlyCollection<(long ItemId, DateTimeOffset ModifiedAt)> versions, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets tenants (any) with approved items whose latest version was not delivered yet and that last changed (were
    /// decided or fetched) before <paramref name="settledBefore"/>: the scheduler retries their delivery. Stores that do
    /// not implement it return none, and delivery is then retried only by the host's own calls.
    /// </summary>
    /// <param name="settledBefore">Only items decided and fetched before this time.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tenant ids.</returns>
    Task<IReadOnlyList<string>> GetTenantsAwaitingDeliveryAsync(DateTimeOffset settledBefore, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Inserts a lead-source integration.</summary>
    /// <param name="integration">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task InsertLeadSourceAsync(LeadSourceIntegration integration, CancellationToken cancellationToken = default);

    /// <summary>Gets a tenant's lead-source integration.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration, or <see langword="null"/>.</returns>
    Task<LeadSourceIntegration?> GetLeadSourceAsync(string tenantId, Guid id, CancellationToken cancellationToken = default);

    /// <summary>Gets a tenant's lead-source integrations, oldest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integrations.</returns>
    Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads, changes and writes a lead-source integration.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="update">The change; it must not do I/O.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated integration.</returns>
    /// <exception cref="KeyNotFoundException">No such integration for the tenant.</exception>
    Task<LeadSourceIntegration> UpdateLeadSourceAsync(string tenantId, Guid id, Func<LeadSourceIntegration, LeadSourceIntegration> update, CancellationToken cancellationToken = default);

    /// <summary>Gets integrations (any tenant) in Failed Sync whose automatic retry is due.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="max">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integrations.</returns>
    Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesDueForRetryAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);
}
