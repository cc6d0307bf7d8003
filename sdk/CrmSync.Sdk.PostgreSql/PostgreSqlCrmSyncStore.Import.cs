using System.Text.Json;
using CrmSync.Sdk.Storage;
using Npgsql;
using NpgsqlTypes;

namespace CrmSync.Sdk.PostgreSql;

/// <content>
/// The fetch direction: import runs, the import inbox and lead-source integrations (schema version 2). Several host
/// instances share these tables: read-modify-write of a run or an integration takes its row lock (<c>SELECT … FOR UPDATE</c>),
/// a page is stored with <c>INSERT … ON CONFLICT</c> (so two instances storing the same CRM record never duplicate it),
/// and decisions are conditional updates (a pending item is decided once). A transaction that loses a deadlock to another
/// instance is retried.
/// </content>
public sealed partial class PostgreSqlCrmSyncStore : ICrmImportStore
{
    private const string InboxColumns = "id, tenant_id, connection_id, state, record, first_seen_at, fetched_at, run_id, decided_at, decided_by, delivered_at, delivered_before";
    private const int MaxConflictRetries = 5;

    /// <inheritdoc />
    public async Task InsertImportRunAsync(CrmImportRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_s}.import_runs (id, tenant_id, connection_id, scope_key, status, started_at, resume_at, high_water, data)
            VALUES (@id, @tenant, @conn, @scope, @status, @started, @resume, @high, @data)
            """, db);
        BindRun(cmd, run);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CrmImportRun?> GetImportRunAsync(string tenantId, Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRunAsync(db, null, tenantId, runId, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmImportRun>> GetImportRunsAsync(string tenantId, Guid connectionId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT data FROM {_s}.import_runs WHERE tenant_id = @tenant AND connection_id = @conn ORDER BY started_at DESC, id DESC LIMIT @limit", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("limit", limit);
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
        await using var cmd = new NpgsqlCommand($"SELECT tenant_id, id FROM {_s}.import_runs WHERE status = @waiting AND resume_at <= @now ORDER BY resume_at LIMIT @max", db);
        cmd.Parameters.AddWithValue("waiting", (int)CrmImportRunStatus.Waiting);
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
    public Task<CrmImportRun> UpdateImportRunAsync(string tenantId, Guid runId, Func<CrmImportRun, CrmImportRun> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return RetryOnConflictAsync(async () =>
        {
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var current = await ReadRunAsync(db, tx, tenantId, runId, forUpdate: true, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");
            var next = Pin(current, update(current));
            await WriteRunAsync(db, tx, next, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return next;
        });
    }

    /// <inheritdoc />
    public Task<(CrmImportRun Run, CrmInboxAddResult Result)> SaveImportPageAsync(string tenantId, Guid runId, IReadOnlyList<CrmFetchedRecord> records, string? nextCursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
        }

        return RetryOnConflictAsync(() => SavePageOnceAsync(tenantId, runId, records, nextCursor, now, cancellationToken));
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetHighWaterMarkAsync(string tenantId, Guid connectionId, string scopeKey, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT MAX(high_water) FROM {_s}.import_runs WHERE connection_id = @conn AND scope_key = @scope AND status = @completed AND tenant_id = @tenant", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("conn", connectionId);
        cmd.Parameters.AddWithValue("scope", scopeKey);
        cmd.Parameters.AddWithValue("completed", (int)CrmImportRunStatus.Completed);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ms ? FromUnix(ms) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetInboxAsync(string tenantId, CrmInboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT {InboxColumns} FROM {_s}.inbox WHERE tenant_id = @tenant AND id > @after"
            + (query.State is null ? string.Empty : " AND state = @state")
            + (query.ConnectionId is null ? string.Empty : " AND connection_id = @conn")
            + (query.ObjectType is null ? string.Empty : " AND object_type = @type")
            + " ORDER BY id LIMIT @limit",
            db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("after", query.AfterId);
        cmd.Parameters.AddWithValue("limit", query.Limit);
        if (query.State is { } state)
        {
            cmd.Parameters.AddWithValue("state", (int)state);
        }

        if (query.ConnectionId is { } conn)
        {
            cmd.Parameters.AddWithValue("conn", conn);
        }

        if (query.ObjectType is { } type)
        {
            cmd.Parameters.AddWithValue("type", (int)type);
        }

        return await ReadInboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CrmInboxCounts> CountInboxAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT state, delivered_at IS NULL, COUNT(*) FROM {_s}.inbox WHERE tenant_id = @tenant"
            + (connectionId is null ? string.Empty : " AND connection_id = @conn") + " GROUP BY state, delivered_at IS NULL",
            db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        if (connectionId is { } conn)
        {
            cmd.Parameters.AddWithValue("conn", conn);
        }

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
                    awaiting += reader.GetBoolean(1) ? count : 0;
                    break;
                case CrmInboxItemState.Rejected: rejected += count; break;
            }
        }

        return new CrmInboxCounts(pending, approved, rejected, awaiting);
    }

    /// <inheritdoc />
    public Task<int> DecideInboxItemsAsync(string tenantId, Guid? connectionId, IReadOnlyCollection<long>? itemIds, CrmInboxItemState decision, string decidedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (decision == CrmInboxItemState.Pending)
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Decide Approved or Rejected.");
        }

        var ids = itemIds?.Distinct().ToArray();
        return RetryOnConflictAsync(async () =>
        {
            // One conditional update: under concurrent decisions PostgreSQL re-checks "state = pending" on the latest row
            // version, so an item is decided by exactly one caller.
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand(
                $"UPDATE {_s}.inbox SET state = @decision, decided_at = @at, decided_by = @by WHERE tenant_id = @tenant AND state = @pending"
                + (connectionId is null ? string.Empty : " AND connection_id = @conn")
                + (ids is null ? string.Empty : " AND id = ANY(@ids)"),
                db);
            cmd.Parameters.AddWithValue("decision", (int)decision);
            cmd.Parameters.AddWithValue("at", ToUnix(at));
            cmd.Parameters.AddWithValue("by", decidedBy);
            cmd.Parameters.AddWithValue("tenant", tenantId);
            cmd.Parameters.AddWithValue("pending", (int)CrmInboxItemState.Pending);
            if (connectionId is { } conn)
            {
                cmd.Parameters.AddWithValue("conn", conn);
            }

            if (ids is not null)
            {
                cmd.Parameters.AddWithValue("ids", ids);
            }

            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetUndeliveredAsync(string tenantId, Guid? connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT {InboxColumns} FROM {_s}.inbox WHERE tenant_id = @tenant AND state = 1 AND delivered_at IS NULL"
            + (connectionId is null ? string.Empty : " AND connection_id = @conn") + " ORDER BY id LIMIT @max",
            db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("max", max);
        if (connectionId is { } conn)
        {
            cmd.Parameters.AddWithValue("conn", conn);
        }

        return await ReadInboxAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task MarkDeliveredAsync(string tenantId, IReadOnlyCollection<(long ItemId, DateTimeOffset ModifiedAt)> versions, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            return Task.CompletedTask;
        }

        var ids = versions.Select(v => v.ItemId).ToArray();
        var stamps = versions.Select(v => ToUnix(v.ModifiedAt)).ToArray();
        return RetryOnConflictAsync(async () =>
        {
            // Only the version that was delivered: a newer one stored meanwhile (modified_at moved) stays undelivered.
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"""
                UPDATE {_s}.inbox AS i SET delivered_at = @at, delivered_before = TRUE
                FROM unnest(@ids, @stamps) AS v(id, modified_at)
                WHERE i.tenant_id = @tenant AND i.id = v.id AND i.modified_at = v.modified_at AND i.state = 1
                """, db);
            cmd.Parameters.AddWithValue("at", ToUnix(at));
            cmd.Parameters.AddWithValue("ids", ids);
            cmd.Parameters.AddWithValue("stamps", stamps);
            cmd.Parameters.AddWithValue("tenant", tenantId);
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetTenantsAwaitingDeliveryAsync(DateTimeOffset settledBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT DISTINCT tenant_id FROM {_s}.inbox WHERE state = 1 AND delivered_at IS NULL AND GREATEST(decided_at, fetched_at) < @before LIMIT @max", db);
        cmd.Parameters.AddWithValue("before", ToUnix(settledBefore));
        cmd.Parameters.AddWithValue("max", max);
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
        await using var cmd = new NpgsqlCommand($"INSERT INTO {_s}.lead_sources (id, tenant_id, status, next_retry_at, created_at, data) VALUES (@id, @tenant, @status, @retry, @created, @data)", db);
        BindLeadSource(cmd, integration);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<LeadSourceIntegration?> GetLeadSourceAsync(string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLeadSourceAsync(db, null, tenantId, id, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT data FROM {_s}.lead_sources WHERE tenant_id = @tenant ORDER BY created_at, id", db);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        return await ReadLeadSourcesAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<LeadSourceIntegration> UpdateLeadSourceAsync(string tenantId, Guid id, Func<LeadSourceIntegration, LeadSourceIntegration> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return RetryOnConflictAsync(async () =>
        {
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var current = await ReadLeadSourceAsync(db, tx, tenantId, id, forUpdate: true, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"Lead-source integration {id} does not exist for tenant '{tenantId}'.");
            var next = update(current) with { TenantId = current.TenantId, Id = current.Id, CreatedAt = current.CreatedAt };
            await using (var cmd = new NpgsqlCommand($"UPDATE {_s}.lead_sources SET status = @status, next_retry_at = @retry, data = @data WHERE id = @id AND tenant_id = @tenant", db, tx))
            {
                BindLeadSource(cmd, next);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return next;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesDueForRetryAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT data FROM {_s}.lead_sources WHERE status = @failed AND next_retry_at <= @now ORDER BY next_retry_at LIMIT @max", db);
        cmd.Parameters.AddWithValue("failed", (int)LeadSourceStatus.FailedSync);
        cmd.Parameters.AddWithValue("now", ToUnix(now));
        cmd.Parameters.AddWithValue("max", max);
        return await ReadLeadSourcesAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a transaction again when PostgreSQL aborted it to break a deadlock with another instance (the work is pure database work).</summary>
    private static async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (PostgresException ex) when (attempt < MaxConflictRetries && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // The other transaction went ahead; this one starts over and sees its result.
            }
        }
    }

    private async Task<(CrmImportRun Run, CrmInboxAddResult Result)> SavePageOnceAsync(string tenantId, Guid runId, IReadOnlyList<CrmFetchedRecord> records, string? nextCursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The run's row lock serializes pages of one run (and its updates) across instances.
        var run = await ReadRunAsync(db, tx, tenantId, runId, forUpdate: true, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");

        var high = run.HighWaterMark;
        foreach (var record in records)
        {
            if (high is null || record.ModifiedAt > high)
            {
                high = record.ModifiedAt;
            }
        }

        // One upsert per record, in key order so concurrent pages lock inbox rows in the same order. A row comes back when
        // the record was added (xmax = 0) or replaced by a newer version; none when it was unchanged or rejected. The
        // stable sort keeps a record that appears twice in one page in page order, as a single writer would.
        var ordered = records.OrderBy(r => (int)r.ObjectType).ThenBy(r => r.CrmId, StringComparer.Ordinal).ToList();
        int added = 0, updated = 0, unchanged = 0, rejected = 0;
        var untouched = new List<CrmFetchedRecord>();
        if (ordered.Count > 0)
        {
            await using var batch = new NpgsqlBatch(db, tx);
            foreach (var record in ordered)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
                    INSERT INTO {_s}.inbox AS i (tenant_id, connection_id, object_type, crm_id, modified_at, state, record, first_seen_at, fetched_at, run_id)
                    VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7, $8)
                    ON CONFLICT (connection_id, object_type, crm_id) DO UPDATE
                    SET modified_at = excluded.modified_at, record = excluded.record, fetched_at = excluded.fetched_at, run_id = excluded.run_id, delivered_at = NULL
                    WHERE i.tenant_id = excluded.tenant_id AND i.state <> {(int)CrmInboxItemState.Rejected} AND i.modified_at < excluded.modified_at
                    RETURNING xmax = 0
                    """)
                {
                    Parameters =
                    {
                        new() { Value = tenantId },
                        new() { Value = run.ConnectionId },
                        new() { Value = (int)record.ObjectType },
                        new() { Value = record.CrmId },
                        new() { Value = ToUnix(record.ModifiedAt) },
                        new() { Value = JsonSerializer.Serialize(record, CrmSyncJson.Options) },
                        new() { Value = ToUnix(now) },
                        new() { Value = runId },
                    },
                });
            }

            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var record in ordered)
                {
                    if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (reader.GetBoolean(0))
                        {
                            added++;
                        }
                        else
                        {
                            updated++;
                        }
                    }
                    else
                    {
                        untouched.Add(record);
                    }

                    await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (untouched.Count > 0)
        {
            // ON CONFLICT locked these rows even though it did not change them, so their state is stable until commit.
            var rejectedKeys = new HashSet<(int, string)>();
            await using (var find = new NpgsqlCommand($"""
                SELECT i.object_type, i.crm_id FROM {_s}.inbox AS i JOIN unnest(@types, @crms) AS k(object_type, crm_id)
                    ON i.object_type = k.object_type AND i.crm_id = k.crm_id
                WHERE i.connection_id = @conn AND i.tenant_id = @tenant AND i.state = @rejected
                """, db, tx))
            {
                find.Parameters.AddWithValue("types", untouched.Select(r => (int)r.ObjectType).ToArray());
                find.Parameters.AddWithValue("crms", untouched.Select(r => r.CrmId).ToArray());
                find.Parameters.AddWithValue("conn", run.ConnectionId);
                find.Parameters.AddWithValue("tenant", tenantId);
                find.Parameters.AddWithValue("rejected", (int)CrmInboxItemState.Rejected);
                await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rejectedKeys.Add((reader.GetInt32(0), reader.GetString(1)));
                }
            }

            foreach (var record in untouched)
            {
                if (rejectedKeys.Contains(((int)record.ObjectType, record.CrmId)))
                {
                    rejected++;
                }
                else
                {
                    unchanged++;
                }
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

    private static CrmImportRun Pin(CrmImportRun current, CrmImportRun next) =>
        next with { Id = current.Id, TenantId = current.TenantId, ConnectionId = current.ConnectionId, ScopeKey = current.ScopeKey, StartedAt = current.StartedAt };

    private static CrmImportRun DeserializeRun(string json) =>
        JsonSerializer.Deserialize<CrmImportRun>(json, CrmSyncJson.Options) ?? throw new InvalidOperationException("An import run row holds no data.");

    private static void BindRun(NpgsqlCommand cmd, CrmImportRun run)
    {
        cmd.Parameters.AddWithValue("id", run.Id);
        cmd.Parameters.AddWithValue("tenant", run.TenantId);
        cmd.Parameters.AddWithValue("conn", run.ConnectionId);
        cmd.Parameters.AddWithValue("scope", run.ScopeKey);
        cmd.Parameters.AddWithValue("status", (int)run.Status);
        cmd.Parameters.AddWithValue("started", ToUnix(run.StartedAt));
        cmd.Parameters.AddWithValue("resume", NpgsqlDbType.Bigint, run.ResumeAt is { } r ? ToUnix(r) : DBNull.Value);
        cmd.Parameters.AddWithValue("high", NpgsqlDbType.Bigint, run.HighWaterMark is { } h ? ToUnix(h) : DBNull.Value);
        cmd.Parameters.AddWithValue("data", JsonSerializer.Serialize(run, CrmSyncJson.Options));
    }

    private async Task WriteRunAsync(NpgsqlConnection db, NpgsqlTransaction tx, CrmImportRun run, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"UPDATE {_s}.import_runs SET status = @status, resume_at = @resume, high_water = @high, data = @data WHERE id = @id AND tenant_id = @tenant", db, tx);
        BindRun(cmd, run);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<CrmImportRun?> ReadRunAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string tenantId, Guid runId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT data FROM {_s}.import_runs WHERE id = @id AND tenant_id = @tenant" + (forUpdate ? " FOR UPDATE" : string.Empty), db, tx);
        cmd.Parameters.AddWithValue("id", runId);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? DeserializeRun(json) : null;
    }

    private static async Task<IReadOnlyList<CrmInboxItem>> ReadInboxAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<CrmInboxItem>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CrmInboxItem
            {
                Id = r.GetInt64(0),
                TenantId = r.GetString(1),
                ConnectionId = r.GetGuid(2),
                State = (CrmInboxItemState)r.GetInt32(3),
                Record = JsonSerializer.Deserialize<CrmFetchedRecord>(r.GetString(4), CrmSyncJson.Options) ?? throw new InvalidOperationException("An inbox row holds no record."),
                FirstSeenAt = FromUnix(r.GetInt64(5)),
                FetchedAt = FromUnix(r.GetInt64(6)),
                RunId = r.IsDBNull(7) ? null : r.GetGuid(7),
                DecidedAt = r.IsDBNull(8) ? null : FromUnix(r.GetInt64(8)),
                DecidedBy = r.IsDBNull(9) ? null : r.GetString(9),
                DeliveredAt = r.IsDBNull(10) ? null : FromUnix(r.GetInt64(10)),
                DeliveredBefore = r.GetBoolean(11),
            });
        }

        return result;
    }

    private static void BindLeadSource(NpgsqlCommand cmd, LeadSourceIntegration integration)
    {
        cmd.Parameters.AddWithValue("id", integration.Id);
        cmd.Parameters.AddWithValue("tenant", integration.TenantId);
        cmd.Parameters.AddWithValue("status", (int)integration.Status);
        cmd.Parameters.AddWithValue("retry", NpgsqlDbType.Bigint, integration.NextRetryAt is { } n ? ToUnix(n) : DBNull.Value);
        cmd.Parameters.AddWithValue("created", ToUnix(integration.CreatedAt));
        cmd.Parameters.AddWithValue("data", JsonSerializer.Serialize(integration, CrmSyncJson.Options));
    }

    private async Task<LeadSourceIntegration?> ReadLeadSourceAsync(NpgsqlConnection db, NpgsqlTransaction? tx, string tenantId, Guid id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT data FROM {_s}.lead_sources WHERE id = @id AND tenant_id = @tenant" + (forUpdate ? " FOR UPDATE" : string.Empty), db, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<LeadSourceIntegration>(json, CrmSyncJson.Options)
            : null;
    }

    private static async Task<IReadOnlyList<LeadSourceIntegration>> ReadLeadSourcesAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
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
