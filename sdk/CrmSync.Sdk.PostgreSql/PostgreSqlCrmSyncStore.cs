using System.Text.Json;
using System.Text.RegularExpressions;
using CrmSync.Sdk.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CrmSync.Sdk.PostgreSql;

/// <summary>
/// <see cref="ICrmSyncStore"/> on PostgreSQL for several host instances. Read-modify-write of a connection takes a row
/// lock (<c>SELECT … FOR UPDATE</c>), and a run's lease is a conditional update, so two instances never sync one
/// connection at once; a crashed instance's lease lapses after <see cref="CrmSyncOptions.LeaseDuration"/>.
/// </summary>
public sealed partial class PostgreSqlCrmSyncStore : ICrmSyncStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _s;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes the store.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema for CrmSync's tables. Defaults to <c>crmsync</c>.</param>
    public PostgreSqlCrmSyncStore(string connectionString, string schema = "crmsync")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!IdentifierPattern().IsMatch(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be a plain identifier (lower-case letters, digits, '_').", nameof(schema));
        }

        _dataSource = NpgsqlDataSource.Create(connectionString);
        _s = schema;
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
                await PostgreSqlSchema.MigrateAsync(_dataSource, _s, cancellationToken).ConfigureAwait(false);
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
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_s}.connections (id, tenant_id, provider, account_label, datacenter, credentials, settings, state, created_at, schedulable, next_sync_at, last_outage_at)
            VALUES (@id, @tenant, @provider, @label, @dc, @cred, @settings, @state, @created, @schedulable, @next, @outage)
            """, db);
        BindConnection(cmd, connection);
        cmd.Parameters.AddWithValue("created", ToUnix(connection.CreatedAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
        await using var cmd = new NpgsqlCommand($"SELECT {ConnectionColumns} FROM {_s}.connections WHERE tenant_id = @tenant ORDER BY created_at, id", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        var result = new List<StoredConnection>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadConnection(reader));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Provider, string TenantId, DateTimeOffset? LastOutageAt)>> GetOutageFactsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT provider, tenant_id, last_outage_at FROM {_s}.connections WHERE last_outage_at IS NOT NULL", db);
        var result = new List<(string, string, DateTimeOffset?)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetString(0), reader.GetString(1), FromUnix(reader.GetInt64(2))));
        }

        return result;
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
        await using (var cmd = new NpgsqlCommand($"""
            UPDATE {_s}.connections SET provider = @provider, account_label = @label, datacenter = @dc, credentials = @cred,
                settings = @settings, state = @state, schedulable = @schedulable, next_sync_at = @next, last_outage_at = @outage
            WHERE id = @id AND tenant_id = @tenant
            """, db, tx))
        {
            BindConnection(cmd, next);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string TenantId, Guid ConnectionId)>> GetDueConnectionsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);

        await using var cmd = new NpgsqlCommand($"""
            SELECT tenant_id, id FROM {_s}.connections
            WHERE schedulable AND (next_sync_at IS NULL OR next_sync_at <= @now) AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY next_sync_at NULLS FIRST LIMIT @max
            """, db);
        cmd.Parameters.AddWithValue("now", ToUnix(now));
        cmd.Parameters.AddWithValue("max", max);
        var result = new List<(string, Guid)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetString(0), reader.GetGuid(1)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(Guid connectionId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // SKIP LOCKED: when another instance is taking this lease right now, give up at once instead of queueing behind it.
        await using var cmd = new NpgsqlCommand($"""
            UPDATE {_s}.connections SET lease_owner = @owner, lease_until = @until
            WHERE id = (SELECT id FROM {_s}.connections WHERE id = @id AND (lease_until IS NULL OR lease_until < @now) FOR UPDATE SKIP LOCKED)
            """, db);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("until", ToUnix(until));
        cmd.Parameters.AddWithValue("now", ToUnix(now));
        cmd.Parameters.AddWithValue("id", connectionId);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(Guid connectionId, string owner, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"UPDATE {_s}.connections SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner", db);
        cmd.Parameters.AddWithValue("owner", owner);
        cmd.Parameters.AddWithValue("id", connectionId);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return 0;
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = 0;
        await using var batch = new NpgsqlBatch(db, tx);
        foreach (var item in items)
        {
            var cmd = new NpgsqlBatchCommand($"""
                INSERT INTO {_s}.outbox (tenant_id, connection_id, object_type, priority, external_id, contact_external_id, idempotency_key, fields, origin, enqueued_at, state, attempts)
                VALUES (@tenant, @conn, @type, @priority, @ext, @contact, @key, @fields, @origin, @at, 0, 0)
                ON CONFLICT (connection_id, idempotency_key) DO NOTHING
                """);
            cmd.Parameters.AddWithValue("tenant", item.TenantId);
            cmd.Parameters.AddWithValue("conn", item.ConnectionId);
            cmd.Parameters.AddWithValue("type", (int)item.ObjectType);
            cmd.Parameters.AddWithValue("priority", Priority(item.ObjectType));
            cmd.Parameters.AddWithValue("ext", item.ExternalId);
            cmd.Parameters.AddWithValue("contact", NpgsqlDbType.Text, (object?)item.ContactExternalId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("key", item.IdempotencyKey);
            cmd.Parameters.AddWithValue("fields", JsonSerializer.Serialize(item.Fields, CrmSyncJson.Options));
            cmd.Parameters.AddWithValue("origin", (int)item.Origin);
            cmd.Parameters.AddWithValue("at", ToUnix(item.EnqueuedAt));
            batch.BatchCommands.Add(cmd);
            if (batch.BatchCommands.Count == 500)
            {
                inserted += await ExecuteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            inserted += await ExecuteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetPendingAsync(Guid connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {OutboxColumns} FROM {_s}.outbox WHERE connection_id = @conn AND state = 0 ORDER BY priority, id LIMIT @max", db);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("max", max);
        return await ReadOutboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CompleteAsync(Guid connectionId, IReadOnlyList<OutboxOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(db, tx);
        foreach (var o in outcomes)
        {
            var update = new NpgsqlBatchCommand($"""
                UPDATE {_s}.outbox SET state = @state, attempts = attempts + 1, processed_at = @at, crm_record_id = @crm, problem_type = @problem, error = @error
                WHERE id = @id AND connection_id = @conn
                """);
            update.Parameters.AddWithValue("state", (int)o.State);
            update.Parameters.AddWithValue("at", ToUnix(o.ProcessedAt));
            update.Parameters.AddWithValue("crm", NpgsqlDbType.Text, (object?)o.CrmRecordId ?? DBNull.Value);
            update.Parameters.AddWithValue("problem", NpgsqlDbType.Text, (object?)o.ProblemType?.Value ?? DBNull.Value);
            update.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)o.Error ?? DBNull.Value);
            update.Parameters.AddWithValue("id", o.ItemId);
            update.Parameters.AddWithValue("conn", connectionId);
            batch.BatchCommands.Add(update);
            if (o.State == OutboxItemState.Synced && o.CrmRecordId is not null)
            {
                var map = new NpgsqlBatchCommand($"""
                    INSERT INTO {_s}.records (connection_id, object_type, external_id, crm_record_id, updated_at) VALUES (@conn, @type, @ext, @crm, @at)
                    ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET crm_record_id = excluded.crm_record_id, updated_at = excluded.updated_at
                    """);
                map.Parameters.AddWithValue("conn", connectionId);
                map.Parameters.AddWithValue("type", (int)o.ObjectType);
                map.Parameters.AddWithValue("ext", o.ExternalId);
                map.Parameters.AddWithValue("crm", o.CrmRecordId);
                map.Parameters.AddWithValue("at", ToUnix(o.ProcessedAt));
                batch.BatchCommands.Add(map);
            }
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
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
        await using var cmd = new NpgsqlCommand($"SELECT external_id, crm_record_id FROM {_s}.records WHERE connection_id = @conn AND object_type = @type AND external_id = ANY(@ids)", db);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("type", (int)objectType);
        cmd.Parameters.AddWithValue("ids", externalIds.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<int> RequeueFailedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"UPDATE {_s}.outbox SET state = 0, processed_at = NULL, problem_type = NULL, error = NULL WHERE tenant_id = @tenant AND connection_id = @conn AND state = 3", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountPendingAsync(Guid connectionId, OutboxOrigin? origin = null, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT COUNT(*) FROM {_s}.outbox WHERE connection_id = @conn AND state = 0 AND (@origin < 0 OR origin = @origin)", db);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("origin", origin is null ? -1 : (int)origin);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetRecentlyProcessedAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {OutboxColumns} FROM {_s}.outbox WHERE tenant_id = @tenant AND connection_id = @conn AND processed_at IS NOT NULL ORDER BY processed_at DESC, id DESC LIMIT @limit", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadOutboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutcomeCounts> GetOutcomeCountsAsync(string tenantId, Guid connectionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            SELECT state, problem_type, COUNT(*)::int FROM {_s}.outbox
            WHERE tenant_id = @tenant AND connection_id = @conn AND (state = 0 OR processed_at >= @since)
            GROUP BY state, problem_type
            """, db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("since", ToUnix(since));
        int synced = 0, skipped = 0, failed = 0, pending = 0;
        var byProblem = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt32(2);
            switch ((OutboxItemState)reader.GetInt32(0))
            {
                case OutboxItemState.Pending: pending += count; break;
                case OutboxItemState.Synced: synced += count; break;
                case OutboxItemState.Skipped: skipped += count; break;
                case OutboxItemState.Failed:
                    failed += count;
                    var problem = reader.IsDBNull(1) ? CrmProblemType.Unknown.Value : reader.GetString(1);
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
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_s}.runs (tenant_id, connection_id, started_at, finished_at, outcome, synced, skipped, failed, error)
            VALUES (@tenant, @conn, @started, @finished, @outcome, @synced, @skipped, @failed, @error)
            """, db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", run.ConnectionId);
        cmd.Parameters.AddWithValue("started", ToUnix(run.StartedAt));
        cmd.Parameters.AddWithValue("finished", ToUnix(run.FinishedAt));
        cmd.Parameters.AddWithValue("outcome", (int)run.Outcome);
        cmd.Parameters.AddWithValue("synced", run.Synced);
        cmd.Parameters.AddWithValue("skipped", run.Skipped);
        cmd.Parameters.AddWithValue("failed", run.Failed);
        cmd.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)run.Error ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncRunSummary>> GetRecentRunsAsync(Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT started_at, finished_at, outcome, synced, skipped, failed, error FROM {_s}.runs WHERE connection_id = @conn ORDER BY id DESC LIMIT @limit", db);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("limit", limit);
        var result = new List<SyncRunSummary>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new SyncRunSummary(connectionId, FromUnix(reader.GetInt64(0)), FromUnix(reader.GetInt64(1)), (SyncRunOutcome)reader.GetInt32(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AppendLogAsync(IReadOnlyList<SyncLogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(db);
        foreach (var e in entries)
        {
            var cmd = new NpgsqlBatchCommand($"""
                INSERT INTO {_s}.log (tenant_id, connection_id, at, event_type, records, outcome, crm_record_id, error)
                VALUES (@tenant, @conn, @at, @type, @records, @outcome, @crm, @error)
                """);
            cmd.Parameters.AddWithValue("tenant", e.TenantId);
            cmd.Parameters.AddWithValue("conn", e.ConnectionId);
            cmd.Parameters.AddWithValue("at", ToUnix(e.At));
            cmd.Parameters.AddWithValue("type", e.EventType);
            cmd.Parameters.AddWithValue("records", e.RecordsAffected);
            cmd.Parameters.AddWithValue("outcome", (int)e.Outcome);
            cmd.Parameters.AddWithValue("crm", NpgsqlDbType.Text, (object?)e.CrmRecordId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("error", NpgsqlDbType.Text, (object?)e.Error ?? DBNull.Value);
            batch.BatchCommands.Add(cmd);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT at, event_type, records, outcome, crm_record_id, error FROM {_s}.log WHERE tenant_id = @tenant AND connection_id = @conn ORDER BY id DESC LIMIT @limit", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("limit", limit);
        var result = new List<SyncLogEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new SyncLogEntry(tenantId, connectionId, FromUnix(reader.GetInt64(0)), reader.GetString(1), reader.GetInt32(2), (SyncLogOutcome)reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AppendAlertAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_s}.alerts (id, tenant_id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, acknowledged)
            VALUES (@id, @tenant, @conn, @provider, @crm, @kind, @failures, @message, @link, @at, FALSE)
            """, db);
        cmd.Parameters.AddWithValue("id", alert.Id);
        cmd.Parameters.AddWithValue("tenant", alert.TenantId);
        cmd.Parameters.AddWithValue("conn", alert.ConnectionId);
        cmd.Parameters.AddWithValue("provider", alert.Provider);
        cmd.Parameters.AddWithValue("crm", alert.CrmName);
        cmd.Parameters.AddWithValue("kind", (int)alert.Kind);
        cmd.Parameters.AddWithValue("failures", alert.ConsecutiveFailures);
        cmd.Parameters.AddWithValue("message", alert.Message);
        cmd.Parameters.AddWithValue("link", NpgsqlDbType.Text, (object?)alert.Link?.ToString() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("at", ToUnix(alert.RaisedAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmSyncAlert>> GetAlertsAsync(string tenantId, bool unacknowledgedOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, acknowledged FROM {_s}.alerts WHERE tenant_id = @tenant AND (NOT @unack OR NOT acknowledged) ORDER BY raised_at DESC", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("unack", unacknowledgedOnly);
        var result = new List<CrmSyncAlert>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CrmSyncAlert
            {
                Id = reader.GetGuid(0),
                TenantId = tenantId,
                ConnectionId = reader.GetGuid(1),
                Provider = reader.GetString(2),
                CrmName = reader.GetString(3),
                Kind = (CrmSyncAlertKind)reader.GetInt32(4),
                ConsecutiveFailures = reader.GetInt32(5),
                Message = reader.GetString(6),
                Link = reader.IsDBNull(7) ? null : new Uri(reader.GetString(7), UriKind.RelativeOrAbsolute),
                RaisedAt = FromUnix(reader.GetInt64(8)),
                Acknowledged = reader.GetBoolean(9),
            });
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AcknowledgeAlertsAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"UPDATE {_s}.alerts SET acknowledged = TRUE WHERE tenant_id = @tenant AND (@conn::uuid IS NULL OR connection_id = @conn::uuid)", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", NpgsqlDbType.Uuid, (object?)connectionId ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> GetValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT value FROM {_s}.kv WHERE scope = @scope AND key = @key AND (expires_at IS NULL OR expires_at > @now)", db);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("now", ToUnix(now));
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async Task SetValueAsync(string scope, string key, string value, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"INSERT INTO {_s}.kv (scope, key, value, expires_at) VALUES (@scope, @key, @value, @exp) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at", db);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("key", key);
        cmd.Parameters.AddWithValue("value", value);
        cmd.Parameters.AddWithValue("exp", NpgsqlDbType.Bigint, expiresAt is { } e ? ToUnix(e) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> TakeValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"DELETE FROM {_s}.kv WHERE scope = @scope AND key = @key RETURNING value, expires_at", db);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("key", key);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return reader.IsDBNull(1) || reader.GetInt64(1) > ToUnix(now) ? reader.GetString(0) : null;
    }

    /// <inheritdoc />
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(db)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"DELETE FROM {_s}.outbox WHERE state IN (1, 2) AND processed_at < @before") { Parameters = { new("before", ToUnix(before)) } },
                new NpgsqlBatchCommand($"DELETE FROM {_s}.log WHERE at < @before") { Parameters = { new("before", ToUnix(before)) } },
                new NpgsqlBatchCommand($"DELETE FROM {_s}.runs WHERE finished_at < @before") { Parameters = { new("before", ToUnix(before)) } },
                new NpgsqlBatchCommand($"DELETE FROM {_s}.kv WHERE expires_at IS NOT NULL AND expires_at < @before") { Parameters = { new("before", ToUnix(before)) } },
            },
        };
        return await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
