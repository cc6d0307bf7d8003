using System.Text.Json;
using CrmSync.Sdk.Storage;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite;

/// <summary>
/// The embedded default <see cref="ICrmSyncStore"/>: one SQLite file in WAL mode. Every write that must be atomic
/// (accepting changes, recording outcomes, read-modify-write of a connection) is one transaction, so a process
/// stopped at any point loses nothing that was accepted.
/// </summary>
public sealed partial class SqliteCrmSyncStore : ICrmSyncStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Initializes the store.</summary>
    /// <param name="connectionString">For example <c>Data Source=crmsync.db</c>.</param>
    public SqliteCrmSyncStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.DataSource is ":memory:" or "")
        {
            throw new ArgumentException("The SQLite store needs a file (every connection to ':memory:' is a new, empty database). Use 'Data Source=crmsync.db'.", nameof(connectionString));
        }

        _connectionString = builder.ToString();
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
            if (_initialized)
            {
                return;
            }

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await SqliteSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            _initialized = true;
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO crmsync_connections (id, tenant_id, provider, account_label, datacenter, credentials, settings, state, created_at, schedulable, next_sync_at, last_outage_at)
            VALUES ($id, $tenant, $provider, $label, $dc, $cred, $settings, $state, $created, $schedulable, $next, $outage)
            """;
        BindConnection(cmd, connection);
        cmd.Parameters.AddWithValue("$created", ToUnix(connection.CreatedAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoredConnection?> GetConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadConnectionAsync(db, null, tenantId, connectionId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredConnection>> GetConnectionsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {ConnectionColumns} FROM crmsync_connections WHERE tenant_id = $tenant ORDER BY created_at, id";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT provider, tenant_id, last_outage_at FROM crmsync_connections WHERE last_outage_at IS NOT NULL";
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
        await using var tx = db.BeginTransaction(deferred: false);
        var current = await ReadConnectionAsync(db, tx, tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
        var next = update(current) with { TenantId = current.TenantId, Id = current.Id, CreatedAt = current.CreatedAt };
        await using (var cmd = db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                UPDATE crmsync_connections SET provider = $provider, account_label = $label, datacenter = $dc, credentials = $cred,
                    settings = $settings, state = $state, schedulable = $schedulable, next_sync_at = $next, last_outage_at = $outage
                WHERE id = $id AND tenant_id = $tenant
                """;
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT tenant_id, id FROM crmsync_connections
            WHERE schedulable = 1 AND (next_sync_at IS NULL OR next_sync_at <= $now) AND (lease_until IS NULL OR lease_until < $now)
            ORDER BY next_sync_at LIMIT $max
            """;
        cmd.Parameters.AddWithValue("$now", ToUnix(now));
        cmd.Parameters.AddWithValue("$max", max);
        var result = new List<(string, Guid)>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetString(0), Guid.Parse(reader.GetString(1))));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(Guid connectionId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE crmsync_connections SET lease_owner = $owner, lease_until = $until WHERE id = $id AND (lease_until IS NULL OR lease_until < $now)";
        cmd.Parameters.AddWithValue("$owner", owner);
        cmd.Parameters.AddWithValue("$until", ToUnix(until));
        cmd.Parameters.AddWithValue("$now", ToUnix(now));
        cmd.Parameters.AddWithValue("$id", connectionId.ToString());
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(Guid connectionId, string owner, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE crmsync_connections SET lease_owner = NULL, lease_until = NULL WHERE id = $id AND lease_owner = $owner";
        cmd.Parameters.AddWithValue("$owner", owner);
        cmd.Parameters.AddWithValue("$id", connectionId.ToString());
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
        await using var tx = db.BeginTransaction(deferred: false);
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT OR IGNORE INTO crmsync_outbox (tenant_id, connection_id, object_type, priority, external_id, contact_external_id, idempotency_key, fields, origin, enqueued_at, state, attempts)
            VALUES ($tenant, $conn, $type, $priority, $ext, $contact, $key, $fields, $origin, $at, 0, 0)
            """;
        var tenant = cmd.Parameters.Add("$tenant", SqliteType.Text);
        var conn = cmd.Parameters.Add("$conn", SqliteType.Text);
        var type = cmd.Parameters.Add("$type", SqliteType.Integer);
        var priority = cmd.Parameters.Add("$priority", SqliteType.Integer);
        var ext = cmd.Parameters.Add("$ext", SqliteType.Text);
        var contact = cmd.Parameters.Add("$contact", SqliteType.Text);
        var key = cmd.Parameters.Add("$key", SqliteType.Text);
        var fields = cmd.Parameters.Add("$fields", SqliteType.Text);
        var origin = cmd.Parameters.Add("$origin", SqliteType.Integer);
        var at = cmd.Parameters.Add("$at", SqliteType.Integer);
        cmd.Prepare();
        var inserted = 0;
        foreach (var item in items)
        {
            tenant.Value = item.TenantId;
            conn.Value = item.ConnectionId.ToString();
            type.Value = (int)item.ObjectType;
            priority.Value = Priority(item.ObjectType);
            ext.Value = item.ExternalId;
            contact.Value = (object?)item.ContactExternalId ?? DBNull.Value;
            key.Value = item.IdempotencyKey;
            fields.Value = JsonSerializer.Serialize(item.Fields, CrmSyncJson.Options);
            origin.Value = (int)item.Origin;
            at.Value = ToUnix(item.EnqueuedAt);
            inserted += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetPendingAsync(Guid connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {OutboxColumns} FROM crmsync_outbox WHERE connection_id = $conn AND state = 0 ORDER BY priority, id LIMIT $max";
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$max", max);
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
        await using var tx = db.BeginTransaction(deferred: false);
        await using var update = db.CreateCommand();
        update.Transaction = tx;
        update.CommandText = """
            UPDATE crmsync_outbox SET state = $state, attempts = attempts + 1, processed_at = $at, crm_record_id = $crm, problem_type = $problem, error = $error
            WHERE id = $id AND connection_id = $conn
            """;
        var state = update.Parameters.Add("$state", SqliteType.Integer);
        var at = update.Parameters.Add("$at", SqliteType.Integer);
        var crm = update.Parameters.Add("$crm", SqliteType.Text);
        var problem = update.Parameters.Add("$problem", SqliteType.Text);
        var error = update.Parameters.Add("$error", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        update.Parameters.AddWithValue("$conn", connectionId.ToString());
        update.Prepare();

        await using var map = db.CreateCommand();
        map.Transaction = tx;
        map.CommandText = """
            INSERT INTO crmsync_records (connection_id, object_type, external_id, crm_record_id, updated_at) VALUES ($conn, $type, $ext, $crm, $at)
            ON CONFLICT (connection_id, object_type, external_id) DO UPDATE SET crm_record_id = excluded.crm_record_id, updated_at = excluded.updated_at
            """;
        map.Parameters.AddWithValue("$conn", connectionId.ToString());
        var mapType = map.Parameters.Add("$type", SqliteType.Integer);
        var mapExt = map.Parameters.Add("$ext", SqliteType.Text);
        var mapCrm = map.Parameters.Add("$crm", SqliteType.Text);
        var mapAt = map.Parameters.Add("$at", SqliteType.Integer);
        map.Prepare();

        foreach (var o in outcomes)
        {
            state.Value = (int)o.State;
            at.Value = ToUnix(o.ProcessedAt);
            crm.Value = (object?)o.CrmRecordId ?? DBNull.Value;
            problem.Value = (object?)o.ProblemType?.Value ?? DBNull.Value;
            error.Value = (object?)o.Error ?? DBNull.Value;
            id.Value = o.ItemId;
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (o.State == OutboxItemState.Synced && o.CrmRecordId is not null)
            {
                mapType.Value = (int)o.ObjectType;
                mapExt.Value = o.ExternalId;
                mapCrm.Value = o.CrmRecordId;
                mapAt.Value = ToUnix(o.ProcessedAt);
                await map.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

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
        foreach (var chunk in externalIds.Chunk(500))
        {
            await using var cmd = db.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "$e" + i;
                cmd.Parameters.AddWithValue(names[i], chunk[i]);
            }

            cmd.CommandText = $"SELECT external_id, crm_record_id FROM crmsync_records WHERE connection_id = $conn AND object_type = $type AND external_id IN ({string.Join(',', names)})";
            cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
            cmd.Parameters.AddWithValue("$type", (int)objectType);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<int> RequeueFailedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE crmsync_outbox SET state = 0, processed_at = NULL, problem_type = NULL, error = NULL WHERE tenant_id = $tenant AND connection_id = $conn AND state = 3";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> CountPendingAsync(Guid connectionId, OutboxOrigin? origin = null, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = origin is null
            ? "SELECT COUNT(*) FROM crmsync_outbox WHERE connection_id = $conn AND state = 0"
            : "SELECT COUNT(*) FROM crmsync_outbox WHERE connection_id = $conn AND state = 0 AND origin = $origin";
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$origin", (int)(origin ?? OutboxOrigin.Change));
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetRecentlyProcessedAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {OutboxColumns} FROM crmsync_outbox WHERE tenant_id = $tenant AND connection_id = $conn AND processed_at IS NOT NULL ORDER BY processed_at DESC, id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$limit", limit);
        return await ReadOutboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutcomeCounts> GetOutcomeCountsAsync(string tenantId, Guid connectionId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT state, problem_type, COUNT(*) FROM crmsync_outbox
            WHERE tenant_id = $tenant AND connection_id = $conn AND (state = 0 OR processed_at >= $since)
            GROUP BY state, problem_type
            """;
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$since", ToUnix(since));
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO crmsync_runs (tenant_id, connection_id, started_at, finished_at, outcome, synced, skipped, failed, error)
            VALUES ($tenant, $conn, $started, $finished, $outcome, $synced, $skipped, $failed, $error)
            """;
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", run.ConnectionId.ToString());
        cmd.Parameters.AddWithValue("$started", ToUnix(run.StartedAt));
        cmd.Parameters.AddWithValue("$finished", ToUnix(run.FinishedAt));
        cmd.Parameters.AddWithValue("$outcome", (int)run.Outcome);
        cmd.Parameters.AddWithValue("$synced", run.Synced);
        cmd.Parameters.AddWithValue("$skipped", run.Skipped);
        cmd.Parameters.AddWithValue("$failed", run.Failed);
        cmd.Parameters.AddWithValue("$error", (object?)run.Error ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncRunSummary>> GetRecentRunsAsync(Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT started_at, finished_at, outcome, synced, skipped, failed, error FROM crmsync_runs WHERE connection_id = $conn ORDER BY id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$limit", limit);
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
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        foreach (var e in entries)
        {
            await using var cmd = db.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO crmsync_log (tenant_id, connection_id, at, event_type, records, outcome, crm_record_id, error)
                VALUES ($tenant, $conn, $at, $type, $records, $outcome, $crm, $error)
                """;
            cmd.Parameters.AddWithValue("$tenant", e.TenantId);
            cmd.Parameters.AddWithValue("$conn", e.ConnectionId.ToString());
            cmd.Parameters.AddWithValue("$at", ToUnix(e.At));
            cmd.Parameters.AddWithValue("$type", e.EventType);
            cmd.Parameters.AddWithValue("$records", e.RecordsAffected);
            cmd.Parameters.AddWithValue("$outcome", (int)e.Outcome);
            cmd.Parameters.AddWithValue("$crm", (object?)e.CrmRecordId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$error", (object?)e.Error ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT at, event_type, records, outcome, crm_record_id, error FROM crmsync_log WHERE tenant_id = $tenant AND connection_id = $conn ORDER BY id DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$limit", limit);
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO crmsync_alerts (id, tenant_id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, acknowledged)
            VALUES ($id, $tenant, $conn, $provider, $crm, $kind, $failures, $message, $link, $at, 0)
            """;
        cmd.Parameters.AddWithValue("$id", alert.Id.ToString());
        cmd.Parameters.AddWithValue("$tenant", alert.TenantId);
        cmd.Parameters.AddWithValue("$conn", alert.ConnectionId.ToString());
        cmd.Parameters.AddWithValue("$provider", alert.Provider);
        cmd.Parameters.AddWithValue("$crm", alert.CrmName);
        cmd.Parameters.AddWithValue("$kind", (int)alert.Kind);
        cmd.Parameters.AddWithValue("$failures", alert.ConsecutiveFailures);
        cmd.Parameters.AddWithValue("$message", alert.Message);
        cmd.Parameters.AddWithValue("$link", (object?)alert.Link?.ToString() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", ToUnix(alert.RaisedAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmSyncAlert>> GetAlertsAsync(string tenantId, bool unacknowledgedOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, acknowledged FROM crmsync_alerts WHERE tenant_id = $tenant"
            + (unacknowledgedOnly ? " AND acknowledged = 0" : string.Empty) + " ORDER BY raised_at DESC";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        var result = new List<CrmSyncAlert>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CrmSyncAlert
            {
                Id = Guid.Parse(reader.GetString(0)),
                TenantId = tenantId,
                ConnectionId = Guid.Parse(reader.GetString(1)),
                Provider = reader.GetString(2),
                CrmName = reader.GetString(3),
                Kind = (CrmSyncAlertKind)reader.GetInt32(4),
                ConsecutiveFailures = reader.GetInt32(5),
                Message = reader.GetString(6),
                Link = reader.IsDBNull(7) ? null : new Uri(reader.GetString(7), UriKind.RelativeOrAbsolute),
                RaisedAt = FromUnix(reader.GetInt64(8)),
                Acknowledged = reader.GetInt32(9) != 0,
            });
        }

        return result;
    }

    /// <inheritdoc />
    public async Task AcknowledgeAlertsAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE crmsync_alerts SET acknowledged = 1 WHERE tenant_id = $tenant" + (connectionId is null ? string.Empty : " AND connection_id = $conn");
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId?.ToString() ?? string.Empty);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> GetValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT value FROM crmsync_values WHERE scope = $scope AND key = $key AND (expires_at IS NULL OR expires_at > $now)";
        cmd.Parameters.AddWithValue("$scope", scope);
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$now", ToUnix(now));
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async Task SetValueAsync(string scope, string key, string value, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO crmsync_values (scope, key, value, expires_at) VALUES ($scope, $key, $value, $exp) ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";
        cmd.Parameters.AddWithValue("$scope", scope);
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$value", value);
        cmd.Parameters.AddWithValue("$exp", expiresAt is { } e ? ToUnix(e) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> TakeValueAsync(string scope, string key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "DELETE FROM crmsync_values WHERE scope = $scope AND key = $key RETURNING value, expires_at";
        cmd.Parameters.AddWithValue("$scope", scope);
        cmd.Parameters.AddWithValue("$key", key);
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
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            DELETE FROM crmsync_outbox WHERE state IN (1, 2) AND processed_at < $before;
            DELETE FROM crmsync_log WHERE at < $before;
            DELETE FROM crmsync_runs WHERE finished_at < $before;
            DELETE FROM crmsync_values WHERE expires_at IS NOT NULL AND expires_at < $before;
            """;
        cmd.Parameters.AddWithValue("$before", ToUnix(before));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
