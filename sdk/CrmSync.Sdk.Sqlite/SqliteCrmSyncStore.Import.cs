using System.Text.Json;
using CrmSync.Sdk.Storage;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite;

/// <content>The fetch direction: import runs, the import inbox and lead-source integrations (schema version 2).</content>
public sealed partial class SqliteCrmSyncStore : ICrmImportStore
{
    private const string InboxColumns = "id, tenant_id, connection_id, state, record, first_seen_at, fetched_at, run_id, decided_at, decided_by, delivered_at, delivered_before";

    /// <inheritdoc />
    public async Task InsertImportRunAsync(CrmImportRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO crmsync_import_runs (id, tenant_id, connection_id, scope_key, status, started_at, resume_at, high_water, data)
            VALUES ($id, $tenant, $conn, $scope, $status, $started, $resume, $high, $data)
            """;
        BindRun(cmd, run);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CrmImportRun?> GetImportRunAsync(string tenantId, Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRunAsync(db, null, tenantId, runId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmImportRun>> GetImportRunsAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT data FROM crmsync_import_runs WHERE tenant_id = $tenant AND connection_id = $conn ORDER BY started_at DESC, rowid DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$limit", limit);
        var result = new List<CrmImportRun>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(DeserializeRun(reader.GetString(0)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string TenantId, Guid RunId)>> GetDueImportRunsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT tenant_id, id FROM crmsync_import_runs WHERE status = $waiting AND resume_at <= $now ORDER BY resume_at LIMIT $max";
        cmd.Parameters.AddWithValue("$waiting", (int)CrmImportRunStatus.Waiting);
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
    public async Task<CrmImportRun> UpdateImportRunAsync(string tenantId, Guid runId, Func<CrmImportRun, CrmImportRun> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        var current = await ReadRunAsync(db, tx, tenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");
        var next = Pin(current, update(current));
        await WriteRunAsync(db, tx, next, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async Task<(CrmImportRun Run, CrmInboxAddResult Result)> SaveImportPageAsync(string tenantId, Guid runId, IReadOnlyList<CrmFetchedRecord> records, string? nextCursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        var run = await ReadRunAsync(db, tx, tenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");
        var conn = run.ConnectionId.ToString();

        await using var find = db.CreateCommand();
        find.Transaction = tx;
        find.CommandText = "SELECT id, state, modified_at FROM crmsync_inbox WHERE connection_id = $conn AND object_type = $type AND crm_id = $crm AND tenant_id = $tenant";
        find.Parameters.AddWithValue("$conn", conn);
        find.Parameters.AddWithValue("$tenant", tenantId);
        var findType = find.Parameters.Add("$type", SqliteType.Integer);
        var findCrm = find.Parameters.Add("$crm", SqliteType.Text);
        find.Prepare();

        await using var insert = db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO crmsync_inbox (tenant_id, connection_id, object_type, crm_id, modified_at, state, record, first_seen_at, fetched_at, run_id)
            VALUES ($tenant, $conn, $type, $crm, $modified, 0, $record, $now, $now, $run)
            """;
        insert.Parameters.AddWithValue("$tenant", tenantId);
        insert.Parameters.AddWithValue("$conn", conn);
        insert.Parameters.AddWithValue("$now", ToUnix(now));
        insert.Parameters.AddWithValue("$run", runId.ToString());
        var insType = insert.Parameters.Add("$type", SqliteType.Integer);
        var insCrm = insert.Parameters.Add("$crm", SqliteType.Text);
        var insModified = insert.Parameters.Add("$modified", SqliteType.Integer);
        var insRecord = insert.Parameters.Add("$record", SqliteType.Text);
        insert.Prepare();

        // A newer version replaces the item's data; an approved item becomes undelivered, so the host gets the update.
        await using var refresh = db.CreateCommand();
        refresh.Transaction = tx;
        refresh.CommandText = "UPDATE crmsync_inbox SET modified_at = $modified, record = $record, fetched_at = $now, run_id = $run, delivered_at = NULL WHERE id = $id";
        refresh.Parameters.AddWithValue("$now", ToUnix(now));
        refresh.Parameters.AddWithValue("$run", runId.ToString());
        var refModified = refresh.Parameters.Add("$modified", SqliteType.Integer);
        var refRecord = refresh.Parameters.Add("$record", SqliteType.Text);
        var refId = refresh.Parameters.Add("$id", SqliteType.Integer);
        refresh.Prepare();

        int added = 0, updated = 0, unchanged = 0, rejected = 0;
        var high = run.HighWaterMark;
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
            if (high is null || record.ModifiedAt > high)
            {
                high = record.ModifiedAt;
            }

            findType.Value = (int)record.ObjectType;
            findCrm.Value = record.CrmId;
            long? existingId = null;
            var existingState = CrmInboxItemState.Pending;
            long existingModified = 0;
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existingId = reader.GetInt64(0);
                    existingState = (CrmInboxItemState)reader.GetInt32(1);
                    existingModified = reader.GetInt64(2);
                }
            }

            var modified = ToUnix(record.ModifiedAt);
            if (existingId is null)
            {
                insType.Value = (int)record.ObjectType;
                insCrm.Value = record.CrmId;
                insModified.Value = modified;
                insRecord.Value = JsonSerializer.Serialize(record, CrmSyncJson.Options);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                added++;
            }
            else if (existingState == CrmInboxItemState.Rejected)
            {
                rejected++;
            }
            else if (existingModified >= modified)
            {
                unchanged++;
            }
            else
            {
                refModified.Value = modified;
                refRecord.Value = JsonSerializer.Serialize(record, CrmSyncJson.Options);
                refId.Value = existingId.Value;
                await refresh.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                updated++;
            }
        }

        var next = run with
        {
            Cursor = nextCursor,
            Pages = run.Pages + 1,
            Fetched = run.Fetched + records.Count,
            Added = run.Added + added,
            Updated = run.Updated + updated,
            Unchanged = run.Unchanged + unchanged,
            PreviouslyRejected = run.PreviouslyRejected + rejected,
            HighWaterMark = high,
        };
        await WriteRunAsync(db, tx, next, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (next, new CrmInboxAddResult(added, updated, unchanged, rejected));
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetHighWaterMarkAsync(string tenantId, Guid connectionId, string scopeKey, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT MAX(high_water) FROM crmsync_import_runs WHERE connection_id = $conn AND scope_key = $scope AND status = $completed AND tenant_id = $tenant";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId.ToString());
        cmd.Parameters.AddWithValue("$scope", scopeKey);
        cmd.Parameters.AddWithValue("$completed", (int)CrmImportRunStatus.Completed);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long ms ? FromUnix(ms) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetInboxAsync(string tenantId, CrmInboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {InboxColumns} FROM crmsync_inbox WHERE tenant_id = $tenant AND id > $after"
            + (query.State is null ? string.Empty : " AND state = $state")
            + (query.ConnectionId is null ? string.Empty : " AND connection_id = $conn")
            + (query.ObjectType is null ? string.Empty : " AND object_type = $type")
            + " ORDER BY id LIMIT $limit";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$after", query.AfterId);
        cmd.Parameters.AddWithValue("$state", (int)(query.State ?? CrmInboxItemState.Pending));
        cmd.Parameters.AddWithValue("$conn", query.ConnectionId?.ToString() ?? string.Empty);
        cmd.Parameters.AddWithValue("$type", (int)(query.ObjectType ?? CrmFetchObjectType.Contact));
        cmd.Parameters.AddWithValue("$limit", query.Limit);
        return await ReadInboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CrmInboxCounts> CountInboxAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT state, delivered_at IS NULL, COUNT(*) FROM crmsync_inbox WHERE tenant_id = $tenant"
            + (connectionId is null ? string.Empty : " AND connection_id = $conn") + " GROUP BY state, delivered_at IS NULL";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId?.ToString() ?? string.Empty);
        long pending = 0, approved = 0, rejected = 0, awaiting = 0;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt64(2);
            switch ((CrmInboxItemState)reader.GetInt32(0))
            {
                case CrmInboxItemState.Pending: pending += count; break;
                case CrmInboxItemState.Approved:
                    approved += count;
                    awaiting += reader.GetInt64(1) == 1 ? count : 0;
                    break;
                case CrmInboxItemState.Rejected: rejected += count; break;
            }
        }

        return new CrmInboxCounts(pending, approved, rejected, awaiting);
    }

    /// <inheritdoc />
    public async Task<int> DecideInboxItemsAsync(string tenantId, Guid? connectionId, IReadOnlyCollection<long>? itemIds, CrmInboxItemState decision, string decidedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (decision == CrmInboxItemState.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Decide Approved or Rejected.");
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        var changed = 0;
        var chunks = itemIds is null ? [null] : itemIds.Distinct().Chunk(500).Select(c => (long[]?)c).ToList();
        foreach (var chunk in chunks)
        {
            await using var cmd = db.CreateCommand();
            cmd.Transaction = tx;
            var ids = string.Empty;
            if (chunk is not null)
            {
                var names = new string[chunk.Length];
                for (var i = 0; i < chunk.Length; i++)
                {
                    names[i] = "$i" + i;
                    cmd.Parameters.AddWithValue(names[i], chunk[i]);
                }

                ids = $" AND id IN ({string.Join(',', names)})";
            }

            cmd.CommandText = "UPDATE crmsync_inbox SET state = $decision, decided_at = $at, decided_by = $by WHERE tenant_id = $tenant AND state = 0"
                + (connectionId is null ? string.Empty : " AND connection_id = $conn") + ids;
            cmd.Parameters.AddWithValue("$decision", (int)decision);
            cmd.Parameters.AddWithValue("$at", ToUnix(at));
            cmd.Parameters.AddWithValue("$by", decidedBy);
            cmd.Parameters.AddWithValue("$tenant", tenantId);
            cmd.Parameters.AddWithValue("$conn", connectionId?.ToString() ?? string.Empty);
            changed += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetUndeliveredAsync(string tenantId, Guid? connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {InboxColumns} FROM crmsync_inbox WHERE tenant_id = $tenant AND state = 1 AND delivered_at IS NULL"
            + (connectionId is null ? string.Empty : " AND connection_id = $conn") + " ORDER BY id LIMIT $max";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$conn", connectionId?.ToString() ?? string.Empty);
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadInboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task MarkDeliveredAsync(string tenantId, IReadOnlyCollection<(long ItemId, DateTimeOffset ModifiedAt)> versions, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE crmsync_inbox SET delivered_at = $at, delivered_before = 1 WHERE tenant_id = $tenant AND id = $id AND modified_at = $modified AND state = 1";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        cmd.Parameters.AddWithValue("$at", ToUnix(at));
        var id = cmd.Parameters.Add("$id", SqliteType.Integer);
        var modified = cmd.Parameters.Add("$modified", SqliteType.Integer);
        cmd.Prepare();
        foreach (var (itemId, modifiedAt) in versions)
        {
            id.Value = itemId;
            modified.Value = ToUnix(modifiedAt);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetTenantsAwaitingDeliveryAsync(DateTimeOffset settledBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT tenant_id FROM crmsync_inbox WHERE state = 1 AND delivered_at IS NULL AND MAX(COALESCE(decided_at, 0), fetched_at) < $before LIMIT $max";
        cmd.Parameters.AddWithValue("$before", ToUnix(settledBefore));
        cmd.Parameters.AddWithValue("$max", max);
        var result = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task InsertLeadSourceAsync(LeadSourceIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO crmsync_lead_sources (id, tenant_id, status, next_retry_at, created_at, data) VALUES ($id, $tenant, $status, $retry, $created, $data)";
        BindLeadSource(cmd, integration);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LeadSourceIntegration?> GetLeadSourceAsync(string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLeadSourceAsync(db, null, tenantId, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT data FROM crmsync_lead_sources WHERE tenant_id = $tenant ORDER BY created_at, id";
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        return await ReadLeadSourcesAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LeadSourceIntegration> UpdateLeadSourceAsync(string tenantId, Guid id, Func<LeadSourceIntegration, LeadSourceIntegration> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: false);
        var current = await ReadLeadSourceAsync(db, tx, tenantId, id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Lead-source integration {id} does not exist for tenant '{tenantId}'.");
        var next = update(current) with { TenantId = current.TenantId, Id = current.Id, CreatedAt = current.CreatedAt };
        await using (var cmd = db.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE crmsync_lead_sources SET status = $status, next_retry_at = $retry, data = $data WHERE id = $id AND tenant_id = $tenant";
            BindLeadSource(cmd, next);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesDueForRetryAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT data FROM crmsync_lead_sources WHERE status = $failed AND next_retry_at <= $now ORDER BY next_retry_at LIMIT $max";
        cmd.Parameters.AddWithValue("$failed", (int)LeadSourceStatus.FailedSync);
        cmd.Parameters.AddWithValue("$now", ToUnix(now));
        cmd.Parameters.AddWithValue("$max", max);
        return await ReadLeadSourcesAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    private static CrmImportRun Pin(CrmImportRun current, CrmImportRun next) =>
        next with { Id = current.Id, TenantId = current.TenantId, ConnectionId = current.ConnectionId, ScopeKey = current.ScopeKey, StartedAt = current.StartedAt };

    private static CrmImportRun DeserializeRun(string json) =>
        JsonSerializer.Deserialize<CrmImportRun>(json, CrmSyncJson.Options) ?? throw new InvalidOperationException("An import run row holds no data.");

    private static void BindRun(SqliteCommand cmd, CrmImportRun run)
    {
        cmd.Parameters.AddWithValue("$id", run.Id.ToString());
        cmd.Parameters.AddWithValue("$tenant", run.TenantId);
        cmd.Parameters.AddWithValue("$conn", run.ConnectionId.ToString());
        cmd.Parameters.AddWithValue("$scope", run.ScopeKey);
        cmd.Parameters.AddWithValue("$status", (int)run.Status);
        cmd.Parameters.AddWithValue("$started", ToUnix(run.StartedAt));
        cmd.Parameters.AddWithValue("$resume", run.ResumeAt is { } r ? ToUnix(r) : DBNull.Value);
        cmd.Parameters.AddWithValue("$high", run.HighWaterMark is { } h ? ToUnix(h) : DBNull.Value);
        cmd.Parameters.AddWithValue("$data", JsonSerializer.Serialize(run, CrmSyncJson.Options));
    }

    private static async Task WriteRunAsync(SqliteConnection db, SqliteTransaction tx, CrmImportRun run, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "UPDATE crmsync_import_runs SET status = $status, resume_at = $resume, high_water = $high, data = $data WHERE id = $id AND tenant_id = $tenant";
        BindRun(cmd, run);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CrmImportRun?> ReadRunAsync(SqliteConnection db, SqliteTransaction? tx, string tenantId, Guid runId, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT data FROM crmsync_import_runs WHERE id = $id AND tenant_id = $tenant";
        cmd.Parameters.AddWithValue("$id", runId.ToString());
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? DeserializeRun(json) : null;
    }

    private static async Task<IReadOnlyList<CrmInboxItem>> ReadInboxAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<CrmInboxItem>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CrmInboxItem
            {
                Id = r.GetInt64(0),
                TenantId = r.GetString(1),
                ConnectionId = Guid.Parse(r.GetString(2)),
                State = (CrmInboxItemState)r.GetInt32(3),
                Record = JsonSerializer.Deserialize<CrmFetchedRecord>(r.GetString(4), CrmSyncJson.Options) ?? throw new InvalidOperationException("An inbox row holds no record."),
                FirstSeenAt = FromUnix(r.GetInt64(5)),
                FetchedAt = FromUnix(r.GetInt64(6)),
                RunId = r.IsDBNull(7) ? null : Guid.Parse(r.GetString(7)),
                DecidedAt = r.IsDBNull(8) ? null : FromUnix(r.GetInt64(8)),
                DecidedBy = r.IsDBNull(9) ? null : r.GetString(9),
                DeliveredAt = r.IsDBNull(10) ? null : FromUnix(r.GetInt64(10)),
                DeliveredBefore = r.GetInt32(11) != 0,
            });
        }

        return result;
    }

    private static void BindLeadSource(SqliteCommand cmd, LeadSourceIntegration integration)
    {
        cmd.Parameters.AddWithValue("$id", integration.Id.ToString());
        cmd.Parameters.AddWithValue("$tenant", integration.TenantId);
        cmd.Parameters.AddWithValue("$status", (int)integration.Status);
        cmd.Parameters.AddWithValue("$retry", integration.NextRetryAt is { } n ? ToUnix(n) : DBNull.Value);
        cmd.Parameters.AddWithValue("$created", ToUnix(integration.CreatedAt));
        cmd.Parameters.AddWithValue("$data", JsonSerializer.Serialize(integration, CrmSyncJson.Options));
    }

    private static async Task<LeadSourceIntegration?> ReadLeadSourceAsync(SqliteConnection db, SqliteTransaction? tx, string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT data FROM crmsync_lead_sources WHERE id = $id AND tenant_id = $tenant";
        cmd.Parameters.AddWithValue("$id", id.ToString());
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<LeadSourceIntegration>(json, CrmSyncJson.Options)
            : null;
    }

    private static async Task<IReadOnlyList<LeadSourceIntegration>> ReadLeadSourcesAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<LeadSourceIntegration>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(JsonSerializer.Deserialize<LeadSourceIntegration>(reader.GetString(0), CrmSyncJson.Options) ?? throw new InvalidOperationException("A lead-source row holds no data."));
        }

        return result;
    }
}
