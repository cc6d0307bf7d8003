using System.Globalization;
using System.Text.Json;

namespace CrmSync.Sdk.Storage.Relational;

/// <summary>
/// The one relational implementation of <see cref="ICrmSyncStore"/> and <see cref="ICrmImportStore"/>, shared by the
/// SQLite store (<c>CrmSync.Sdk.Sqlite</c>) and the PostgreSQL store (<c>CrmSync.Sdk.PostgreSql</c>), which add only a
/// small dialect: how to connect and migrate, table names, id types and locking. Every write that must be atomic
/// (accepting changes, recording outcomes, read-modify-write of a connection, a fetched page) is one transaction, so a
/// process stopped at any point loses nothing that was accepted. Read-modify-write takes the row's lock where the
/// database has row locks (<c>SELECT … FOR UPDATE</c>); SQLite's write transactions exclude every other writer.
/// </summary>
public abstract partial class RelationalCrmSyncStore : ICrmSyncStore
{
    private readonly SqlDialect _d;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly string _connections;
    private readonly string _outbox;
    private readonly string _records;
    private readonly string _runs;
    private readonly string _log;
    private readonly string _alerts;
    private readonly string _values;
    private volatile bool _initialized;

    internal RelationalCrmSyncStore(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        _d = dialect;
        _connections = dialect.Table("connections");
        _outbox = dialect.Table("outbox");
        _records = dialect.Table("records");
        _runs = dialect.Table("runs");
        _log = dialect.Table("log");
        _alerts = dialect.Table("alerts");
        _values = dialect.Table("values");
        _importRuns = dialect.Table("import_runs");
        _inbox = dialect.Table("inbox");
        _leadSources = dialect.Table("lead_sources");
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await _d.MigrateAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task InsertConnectionAsync(StoredConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"""
            INSERT INTO {_connections} (id, tenant_id, provider, account_label, datacenter, credentials, settings, state, created_at, schedulable, next_sync_at, last_outage_at)
            VALUES (@id, @tenant, @provider, @label, @dc, @cred, @settings, @state, @created, @schedulable, @next, @outage)
            """,
            [.. ConnectionParameters(connection), Time("created", connection.CreatedAt)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredConnection?> GetConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadConnectionAsync(db, null, tenantId, connectionId, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredConnection>> GetConnectionsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(db, null, $"SELECT {ConnectionColumns} FROM {_connections} WHERE tenant_id = @tenant ORDER BY created_at, id", [Text("tenant", tenantId)], ReadConnection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Provider, string TenantId, DateTimeOffset? LastOutageAt)>> GetOutageFactsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync<(string, string, DateTimeOffset?)>(
            db,
            null,
            $"SELECT provider, tenant_id, last_outage_at FROM {_connections} WHERE last_outage_at IS NOT NULL",
            [],
            r => (r.GetString(0), r.GetString(1), FromUnix(ReadLong(r, 2))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredConnection> UpdateConnectionAsync(string tenantId, Guid connectionId, Func<StoredConnection, StoredConnection> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var current = await ReadConnectionAsync(db, tx, tenantId, connectionId, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
        var next = update(current) with { TenantId = current.TenantId, Id = current.Id, CreatedAt = current.CreatedAt };
        await ExecuteAsync(
            db,
            tx,
            $"""
            UPDATE {_connections} SET provider = @provider, account_label = @label, datacenter = @dc, credentials = @cred,
                settings = @settings, state = @state, schedulable = @schedulable, next_sync_at = @next, last_outage_at = @outage
            WHERE id = @id AND tenant_id = @tenant
            """,
            ConnectionParameters(next),
            cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string TenantId, Guid ConnectionId)>> GetDueConnectionsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"""
            SELECT tenant_id, id FROM {_connections}
            WHERE schedulable = TRUE AND (next_sync_at IS NULL OR next_sync_at <= @now) AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY COALESCE(next_sync_at, 0), id LIMIT @max
            """,
            [Time("now", now), Int("max", max)],
            r => (r.GetString(0), _d.ReadId(r, 1)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(Guid connectionId, SyncLease lease, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // SKIP LOCKED (where the database has it): when another instance is taking this lease right now, give up at once
        // instead of queueing behind it. A lease left by an earlier process of this same instance is taken back at once.
        return await ExecuteAsync(
            db,
            null,
            $"""
            UPDATE {_connections} SET lease_owner = @owner, lease_incarnation = @incarnation, lease_token = @token, lease_until = @until
            WHERE id = (SELECT id FROM {_connections} WHERE id = @id
                AND (lease_until IS NULL OR lease_until < @now OR (lease_owner = @owner AND lease_incarnation IS NOT NULL AND lease_incarnation <> @incarnation)){_d.SkipLocked})
            """,
            [Text("owner", lease.Owner), Text("incarnation", lease.Incarnation), Text("token", lease.Token), Time("until", until), Time("now", now), Id("id", connectionId)],
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<int> ReleaseStaleLeasesAsync(string owner, string incarnation, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(
            db,
            null,
            $"UPDATE {_connections} SET lease_owner = NULL, lease_incarnation = NULL, lease_token = NULL, lease_until = NULL WHERE lease_owner = @owner AND lease_incarnation IS NOT NULL AND lease_incarnation <> @incarnation",
            [Text("owner", owner), Text("incarnation", incarnation)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(Guid connectionId, string leaseToken, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(db, null, $"UPDATE {_connections} SET lease_until = @until WHERE id = @id AND lease_token = @token", [Time("until", until), Id("id", connectionId), Text("token", leaseToken)], cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(Guid connectionId, string leaseToken, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(db, null, $"UPDATE {_connections} SET lease_owner = NULL, lease_incarnation = NULL, lease_token = NULL, lease_until = NULL WHERE id = @id AND lease_token = @token", [Text("token", leaseToken), Id("id", connectionId)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return 0;
        }

        var sql = $"""
            INSERT INTO {_outbox} (tenant_id, connection_id, object_type, priority, external_id, contact_external_id, idempotency_key, fields, origin, enqueued_at, state, attempts, held_until)
            VALUES (@tenant, @conn, @type, @priority, @ext, @contact, @key, @fields, @origin, @at, 0, 0, @held)
            ON CONFLICT (connection_id, idempotency_key) DO NOTHING
            """;
        var statements = items.Select(item => new Statement(sql,
        [
            Text("tenant", item.TenantId),
            Id("conn", item.ConnectionId),
            Int("type", (int)item.ObjectType),
            Int("priority", Priority(item.ObjectType)),
            Text("ext", item.ExternalId),
            Text("contact", item.ContactExternalId),
            Text("key", item.IdempotencyKey),
            Text("fields", JsonSerializer.Serialize(item.Fields, CrmSyncJson.Options)),
            Int("origin", (int)item.Origin),
            Time("at", item.EnqueuedAt),
            Time("held", item.HeldUntil),
        ])).ToList();

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await ExecuteManyAsync(db, tx, statements, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetPendingAsync(Guid connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(db, null, $"SELECT {OutboxColumns} FROM {_outbox} WHERE connection_id = @conn AND state = 0 ORDER BY priority, id LIMIT @max", [Id("conn", connectionId), Int("max", max)], ReadOutboxItem, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> ClaimPendingAsync(Guid connectionId, string leaseToken, int max, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureLeaseAsync(db, tx, connectionId, leaseToken, cancellationToken).ConfigureAwait(false);
        SqlParam[] parameters = [Id("conn", connectionId), Text("token", leaseToken), Int("max", max), Time("now", now)];
        await ExecuteAsync(
            db,
            tx,
            $"UPDATE {_outbox} SET claim_token = @token WHERE id IN (SELECT id FROM {_outbox} WHERE connection_id = @conn AND state = 0 AND (held_until IS NULL OR held_until <= @now) ORDER BY priority, id LIMIT @max)",
            parameters,
            cancellationToken).ConfigureAwait(false);
        var items = await QueryAsync(db, tx, $"SELECT {OutboxColumns} FROM {_outbox} WHERE connection_id = @conn AND state = 0 AND claim_token = @token ORDER BY priority, id LIMIT @max", parameters, ReadOutboxItem, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return items;
    }

    /// <inheritdoc />
    public async Task ReleaseHoldsAsync(Guid connectionId, IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        if (itemIds.Count == 0)
        {
            return;
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteManyAsync(db, tx, [.. itemIds.Select(id => new Statement($"UPDATE {_outbox} SET held_until = NULL WHERE id = @id AND connection_id = @conn AND state = 0", [Long("id", id), Id("conn", connectionId)]))], cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxOutcome>> CompleteAsync(Guid connectionId, IReadOnlyList<OutboxOutcome> outcomes, string? leaseToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (leaseToken is not null)
        {
            // The connection's row lock (or SQLite's write lock) holds until commit, so no other run can take the lease in between.
            await EnsureLeaseAsync(db, tx, connectionId, leaseToken, cancellationToken).ConfigureAwait(false);
        }

        // Only pending items (and, under a lease, only those the run claimed): an outcome is never recorded twice.
        var update = $"""
            UPDATE {_outbox} SET state = @state, attempts = attempts + 1, processed_at = @at, crm_record_id = @crm, problem_type = @problem, error = @error, claim_token = NULL, held_until = NULL
            WHERE id = @id AND connection_id = @conn AND state = 0
            """ + (leaseToken is null ? string.Empty : " AND claim_token = @token");
        var affected = await ExecuteEachAsync(db, tx, [.. outcomes.Select(o => new Statement(update,
        [
            Int("state", (int)o.State),
            Time("at", o.ProcessedAt),
            Text("crm", o.CrmRecordId),
            Text("problem", o.ProblemType?.Value),
            Text("error", o.Error),
            Long("id", o.ItemId),
            Id("conn", connectionId),
            Text("token", leaseToken),
        ]))], cancellationToken).ConfigureAwait(false);
        var recorded = outcomes.Where((_, i) => affected[i] > 0).ToList();

        var map = $"""
            INSERT INTO {_records} (connection_id, object_type, external_id, crm_record_id, updated_at) VALUES (@conn, @type, @ext, @crm, @at)
            ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET crm_record_id = excluded.crm_record_id, updated_at = excluded.updated_at
            """;
        await ExecuteManyAsync(db, tx, [.. recorded.Where(o => o.State == OutboxItemState.Synced && o.CrmRecordId is not null).Select(o => new Statement(map,
            [Id("conn", connectionId), Int("type", (int)o.ObjectType), Text("ext", o.ExternalId), Text("crm", o.CrmRecordId), Time("at", o.ProcessedAt)]))], cancellationToken).ConfigureAwait(false);

        if (leaseToken is not null && recorded.Count > 0)
        {
            // The run's row keeps what it recorded, so a run that never finishes still shows what it had done.
            await ExecuteAsync(
                db,
                tx,
                $"UPDATE {_runs} SET synced = synced + @synced, skipped = skipped + @skipped, failed = failed + @failed, finished_at = @at WHERE connection_id = @conn AND lease_token = @token AND running = TRUE",
                [
                    Int("synced", recorded.Count(o => o.State == OutboxItemState.Synced)),
                    Int("skipped", recorded.Count(o => o.State == OutboxItemState.Skipped)),
                    Int("failed", recorded.Count(o => o.State == OutboxItemState.Failed)),
                    Time("at", recorded.Max(o => o.ProcessedAt)),
                    Id("conn", connectionId),
                    Text("token", leaseToken),
                ],
                cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetCrmIdsAsync(Guid connectionId, CrmObjectType objectType, IReadOnlyCollection<string> externalIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalIds);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (externalIds.Count == 0)
        {
            return result;
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in externalIds.Chunk(ChunkSize))
        {
            List<SqlParam> parameters = [Id("conn", connectionId), Int("type", (int)objectType)];
            var list = InList("e", chunk, Text, parameters);
            var rows = await QueryAsync(db, null, $"SELECT external_id, crm_record_id FROM {_records} WHERE connection_id = @conn AND object_type = @type AND external_id IN {list}", parameters, r => (r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
            foreach (var (ext, crm) in rows)
            {
                result[ext] = crm;
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<int> RequeueFailedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(db, null, $"UPDATE {_outbox} SET state = 0, processed_at = NULL, problem_type = NULL, error = NULL WHERE tenant_id = @tenant AND connection_id = @conn AND state = 3", [Text("tenant", tenantId), Id("conn", connectionId)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountPendingAsync(Guid connectionId, OutboxOrigin? origin = null, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var count = await ScalarAsync(db, null, $"SELECT COUNT(*) FROM {_outbox} WHERE connection_id = @conn AND state = 0 AND (@origin < 0 OR origin = @origin)", [Id("conn", connectionId), Int("origin", origin is null ? -1 : (int)origin)], cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(count, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetRecentlyProcessedAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(db, null, $"SELECT {OutboxColumns} FROM {_outbox} WHERE tenant_id = @tenant AND connection_id = @conn AND processed_at IS NOT NULL ORDER BY processed_at DESC, id DESC LIMIT @limit", [Text("tenant", tenantId), Id("conn", connectionId), Int("limit", limit)], ReadOutboxItem, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutcomeCounts> GetOutcomeCountsAsync(string tenantId, Guid connectionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            db,
            null,
            $"""
            SELECT state, problem_type, COUNT(*) FROM {_outbox}
            WHERE tenant_id = @tenant AND connection_id = @conn AND (state = 0 OR processed_at >= @since)
            GROUP BY state, problem_type
            """,
            [Text("tenant", tenantId), Id("conn", connectionId), Time("since", since)],
            r => ((OutboxItemState)r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), (int)ReadLong(r, 2)),
            cancellationToken).ConfigureAwait(false);
        int synced = 0, skipped = 0, failed = 0, pending = 0;
        var byProblem = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (state, problemType, count) in rows)
        {
            switch (state)
            {
                case OutboxItemState.Pending: pending += count; break;
                case OutboxItemState.Synced: synced += count; break;
                case OutboxItemState.Skipped: skipped += count; break;
                case OutboxItemState.Failed:
                    failed += count;
                    var problem = problemType ?? CrmProblemType.Unknown.Value;
                    byProblem[problem] = byProblem.GetValueOrDefault(problem) + count;
                    break;
            }
        }

        return new OutcomeCounts(synced, skipped, failed, pending, byProblem);
    }

    /// <inheritdoc />
    public async Task AppendRunAsync(string tenantId, SyncRunSummary run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"""
            INSERT INTO {_runs} (tenant_id, connection_id, started_at, finished_at, outcome, synced, skipped, failed, error)
            VALUES (@tenant, @conn, @started, @finished, @outcome, @synced, @skipped, @failed, @error)
            """,
            [
                Text("tenant", tenantId),
                Id("conn", run.ConnectionId),
                Time("started", run.StartedAt),
                Time("finished", run.FinishedAt),
                Int("outcome", (int)run.Outcome),
                Int("synced", run.Synced),
                Int("skipped", run.Skipped),
                Int("failed", run.Failed),
                Text("error", run.Error),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StartRunAsync(string tenantId, Guid connectionId, string leaseToken, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureLeaseAsync(db, tx, connectionId, leaseToken, cancellationToken).ConfigureAwait(false);

        // This run holds the lease, so a run still marked running is one that will never finish: close it as interrupted.
        var open = await QueryAsync(
            db,
            tx,
            $"SELECT id, tenant_id, synced, skipped, failed FROM {_runs} WHERE connection_id = @conn AND running = TRUE",
            [Id("conn", connectionId)],
            r => (Id: ReadLong(r, 0), Tenant: r.GetString(1), Done: r.GetInt32(2) + r.GetInt32(3) + r.GetInt32(4)),
            cancellationToken).ConfigureAwait(false);
        foreach (var run in open)
        {
            var message = $"This sync stopped before it finished (its host process stopped or lost its lease). {run.Done} record{(run.Done == 1 ? " was" : "s were")} recorded before it stopped; the rest stay queued and this sync picks them up.";
            await ExecuteAsync(db, tx, $"UPDATE {_runs} SET running = FALSE, outcome = @outcome, error = @error WHERE id = @id", [Int("outcome", (int)SyncRunOutcome.Interrupted), Text("error", message), Long("id", run.Id)], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                db,
                tx,
                $"INSERT INTO {_log} (tenant_id, connection_id, at, event_type, records, outcome, crm_record_id, error) VALUES (@tenant, @conn, @at, @type, @records, @outcome, NULL, @error)",
                [Text("tenant", run.Tenant), Id("conn", connectionId), Time("at", startedAt), Text("type", SyncEventTypes.SyncInterrupted), Int("records", run.Done), Int("outcome", (int)SyncLogOutcome.Warning), Text("error", message)],
                cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(
            db,
            tx,
            $"""
            INSERT INTO {_runs} (tenant_id, connection_id, started_at, finished_at, outcome, synced, skipped, failed, error, lease_token, running)
            VALUES (@tenant, @conn, @started, @started, @outcome, 0, 0, 0, NULL, @token, TRUE)
            """,
            [Text("tenant", tenantId), Id("conn", connectionId), Time("started", startedAt), Int("outcome", (int)SyncRunOutcome.Interrupted), Text("token", leaseToken)],
            cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> FinishRunAsync(string tenantId, SyncRunSummary run, string leaseToken, bool keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        SqlParam[] key = [Text("tenant", tenantId), Id("conn", run.ConnectionId), Text("token", leaseToken)];
        const string Where = "WHERE tenant_id = @tenant AND connection_id = @conn AND lease_token = @token AND running = TRUE";
        if (!keep)
        {
            return await ExecuteAsync(db, null, $"DELETE FROM {_runs} {Where}", key, cancellationToken).ConfigureAwait(false) == 1;
        }

        return await ExecuteAsync(
            db,
            null,
            $"UPDATE {_runs} SET running = FALSE, finished_at = @finished, outcome = @outcome, synced = @synced, skipped = @skipped, failed = @failed, error = @error {Where}",
            [.. key, Time("finished", run.FinishedAt), Int("outcome", (int)run.Outcome), Int("synced", run.Synced), Int("skipped", run.Skipped), Int("failed", run.Failed), Text("error", run.Error)],
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncRunSummary>> GetRecentRunsAsync(Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT started_at, finished_at, outcome, synced, skipped, failed, error FROM {_runs} WHERE connection_id = @conn AND running = FALSE ORDER BY id DESC LIMIT @limit",
            [Id("conn", connectionId), Int("limit", limit)],
            r => new SyncRunSummary(connectionId, FromUnix(ReadLong(r, 0)), FromUnix(ReadLong(r, 1)), (SyncRunOutcome)r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetString(6)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendLogAsync(IReadOnlyList<SyncLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var sql = $"""
            INSERT INTO {_log} (tenant_id, connection_id, at, event_type, records, outcome, crm_record_id, error)
            VALUES (@tenant, @conn, @at, @type, @records, @outcome, @crm, @error)
            """;
        var statements = entries.Select(e => new Statement(sql,
        [
            Text("tenant", e.TenantId),
            Id("conn", e.ConnectionId),
            Time("at", e.At),
            Text("type", e.EventType),
            Int("records", e.RecordsAffected),
            Int("outcome", (int)e.Outcome),
            Text("crm", e.CrmRecordId),
            Text("error", e.Error),
        ])).ToList();
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteManyAsync(db, tx, statements, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT at, event_type, records, outcome, crm_record_id, error FROM {_log} WHERE tenant_id = @tenant AND connection_id = @conn ORDER BY id DESC LIMIT @limit",
            [Text("tenant", tenantId), Id("conn", connectionId), Int("limit", limit)],
            r => new SyncLogEntry(tenantId, connectionId, FromUnix(ReadLong(r, 0)), r.GetString(1), r.GetInt32(2), (SyncLogOutcome)r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> GetValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync(db, null, $"SELECT value FROM {_values} WHERE scope = @scope AND key = @key AND (expires_at IS NULL OR expires_at > @now)", [Text("scope", scope), Text("key", key), Time("now", now)], cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async Task SetValueAsync(string scope, string key, string value, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"INSERT INTO {_values} (scope, key, value, expires_at) VALUES (@scope, @key, @value, @exp) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            [Text("scope", scope), Text("key", key), Text("value", value), Time("exp", expiresAt)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> TakeValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            db,
            null,
            $"DELETE FROM {_values} WHERE scope = @scope AND key = @key RETURNING value, expires_at",
            [Text("scope", scope), Text("key", key)],
            r => (Value: r.GetString(0), ExpiresAt: r.IsDBNull(1) ? (long?)null : ReadLong(r, 1)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 1 && (rows[0].ExpiresAt is null || rows[0].ExpiresAt > ToUnix(now)) ? rows[0].Value : null;
    }

    /// <inheritdoc />
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        SqlParam[] cutoff = [Time("before", before)];
        var deleted = await ExecuteAsync(db, tx, $"DELETE FROM {_outbox} WHERE state IN (1, 2) AND processed_at < @before", cutoff, cancellationToken).ConfigureAwait(false);
        deleted += await ExecuteAsync(db, tx, $"DELETE FROM {_log} WHERE at < @before", cutoff, cancellationToken).ConfigureAwait(false);
        deleted += await ExecuteAsync(db, tx, $"DELETE FROM {_runs} WHERE finished_at < @before AND running = FALSE", cutoff, cancellationToken).ConfigureAwait(false);
        deleted += await ExecuteAsync(db, tx, $"DELETE FROM {_values} WHERE expires_at IS NOT NULL AND expires_at < @before", cutoff, cancellationToken).ConfigureAwait(false);
        deleted += await ExecuteAsync(db, tx, $"DELETE FROM {Timeline} WHERE at < @before", cutoff, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
