using System.Data.Common;
using System.Text.Json;

namespace CrmSync.Sdk.Storage.Relational;

/// <content>
/// The fetch direction: import runs, the import inbox and lead-source integrations. Several host instances may share
/// these tables: read-modify-write of a run or an integration takes its row lock, a page is stored with
/// <c>INSERT … ON CONFLICT</c> (so two instances storing the same CRM record never duplicate it), and decisions are
/// conditional updates (a pending item is decided once). A transaction that loses a deadlock to another instance is retried.
/// </content>
public abstract partial class RelationalCrmSyncStore : ICrmImportStore
{
    private const string InboxColumns = "id, tenant_id, connection_id, state, record, first_seen_at, fetched_at, run_id, decided_at, decided_by, delivered_at, delivered_before";
    private readonly string _importRuns;
    private readonly string _inbox;
    private readonly string _leadSources;

    /// <inheritdoc />
    public async Task InsertImportRunAsync(CrmImportRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"""
            INSERT INTO {_importRuns} (id, tenant_id, connection_id, scope_key, status, started_at, resume_at, high_water, data)
            VALUES (@id, @tenant, @conn, @scope, @status, @started, @resume, @high, @data)
            """,
            RunParameters(run),
            cancellationToken).ConfigureAwait(false);
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
        return await QueryAsync(
            db,
            null,
            $"SELECT data FROM {_importRuns} WHERE tenant_id = @tenant AND connection_id = @conn ORDER BY started_at DESC, {_d.ImportRunTieBreak} DESC LIMIT @limit",
            [Text("tenant", tenantId), Id("conn", connectionId), Int("limit", limit)],
            r => DeserializeRun(r.GetString(0)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(string TenantId, Guid RunId)>> GetDueImportRunsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT tenant_id, id FROM {_importRuns} WHERE status = @waiting AND resume_at <= @now ORDER BY resume_at LIMIT @max",
            [Int("waiting", (int)CrmImportRunStatus.Waiting), Time("now", now), Int("max", max)],
            r => (r.GetString(0), _d.ReadId(r, 1)),
            cancellationToken).ConfigureAwait(false);
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
        var value = await ScalarAsync(
            db,
            null,
            $"SELECT MAX(high_water) FROM {_importRuns} WHERE connection_id = @conn AND scope_key = @scope AND status = @completed AND tenant_id = @tenant",
            [Text("tenant", tenantId), Id("conn", connectionId), Text("scope", scopeKey), Int("completed", (int)CrmImportRunStatus.Completed)],
            cancellationToken).ConfigureAwait(false);
        return value is null ? null : FromUnix(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetInboxAsync(string tenantId, CrmInboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        List<SqlParam> parameters = [Text("tenant", tenantId), Long("after", query.AfterId), Int("limit", query.Limit)];
        var sql = $"SELECT {InboxColumns} FROM {_inbox} WHERE tenant_id = @tenant AND id > @after";
        if (query.State is { } state)
        {
            sql += " AND state = @state";
            parameters.Add(Int("state", (int)state));
        }

        if (query.ConnectionId is { } conn)
        {
            sql += " AND connection_id = @conn";
            parameters.Add(Id("conn", conn));
        }

        if (query.ObjectType is { } type)
        {
            sql += " AND object_type = @type";
            parameters.Add(Int("type", (int)type));
        }

        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(db, null, sql + " ORDER BY id LIMIT @limit", parameters, ReadInboxItem, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CrmInboxCounts> CountInboxAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        const string Undelivered = "CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END";
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            db,
            null,
            $"SELECT state, {Undelivered}, COUNT(*) FROM {_inbox} WHERE tenant_id = @tenant"
                + (connectionId is null ? string.Empty : " AND connection_id = @conn") + $" GROUP BY state, {Undelivered}",
            connectionId is { } conn ? [Text("tenant", tenantId), Id("conn", conn)] : [Text("tenant", tenantId)],
            r => ((CrmInboxItemState)r.GetInt32(0), ReadLong(r, 1) == 1, ReadLong(r, 2)),
            cancellationToken).ConfigureAwait(false);
        long pending = 0, approved = 0, rejected = 0, awaiting = 0;
        foreach (var (state, undelivered, count) in rows)
        {
            switch (state)
            {
                case CrmInboxItemState.Pending: pending += count; break;
                case CrmInboxItemState.Approved:
                    approved += count;
                    awaiting += undelivered ? count : 0;
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

        var chunks = itemIds is null ? [null] : itemIds.Distinct().Chunk(ChunkSize).Select(c => (long[]?)c).ToList();
        return RetryOnConflictAsync(async () =>
        {
            // Conditional updates: under concurrent decisions the database re-checks "state = pending" on the latest row
            // version, so an item is decided by exactly one caller.
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var changed = 0;
            foreach (var chunk in chunks)
            {
                List<SqlParam> parameters = [Int("decision", (int)decision), Time("at", at), Text("by", decidedBy), Text("tenant", tenantId), Int("pending", (int)CrmInboxItemState.Pending)];
                var sql = $"UPDATE {_inbox} SET state = @decision, decided_at = @at, decided_by = @by WHERE tenant_id = @tenant AND state = @pending";
                if (connectionId is { } conn)
                {
                    sql += " AND connection_id = @conn";
                    parameters.Add(Id("conn", conn));
                }

                if (chunk is not null)
                {
                    sql += " AND id IN " + InList("i", chunk, Long, parameters);
                }

                changed += await ExecuteAsync(db, tx, sql, parameters, cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return changed;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmInboxItem>> GetUndeliveredAsync(string tenantId, Guid? connectionId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT {InboxColumns} FROM {_inbox} WHERE tenant_id = @tenant AND state = 1 AND delivered_at IS NULL"
                + (connectionId is null ? string.Empty : " AND connection_id = @conn") + " ORDER BY id LIMIT @max",
            connectionId is { } conn ? [Text("tenant", tenantId), Int("max", max), Id("conn", conn)] : [Text("tenant", tenantId), Int("max", max)],
            ReadInboxItem,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task MarkDeliveredAsync(string tenantId, IReadOnlyCollection<(long ItemId, DateTimeOffset ModifiedAt)> versions, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Only the version that was delivered: a newer one stored meanwhile (modified_at moved) stays undelivered.
        var sql = $"UPDATE {_inbox} SET delivered_at = @at, delivered_before = TRUE WHERE tenant_id = @tenant AND id = @id AND modified_at = @modified AND state = 1";
        var statements = versions.Select(v => new Statement(sql, [Time("at", at), Text("tenant", tenantId), Long("id", v.ItemId), Time("modified", v.ModifiedAt)])).ToList();
        return RetryOnConflictAsync(async () =>
        {
            await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var changed = await ExecuteManyAsync(db, tx, statements, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return changed;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetTenantsAwaitingDeliveryAsync(DateTimeOffset settledBefore, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT DISTINCT tenant_id FROM {_inbox} WHERE state = 1 AND delivered_at IS NULL AND fetched_at < @before AND COALESCE(decided_at, 0) < @before LIMIT @max",
            [Time("before", settledBefore), Int("max", max)],
            r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task InsertLeadSourceAsync(LeadSourceIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(db, null, $"INSERT INTO {_leadSources} (id, tenant_id, status, next_retry_at, created_at, data) VALUES (@id, @tenant, @status, @retry, @created, @data)", LeadSourceParameters(integration), cancellationToken).ConfigureAwait(false);
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
        return await QueryAsync(db, null, $"SELECT data FROM {_leadSources} WHERE tenant_id = @tenant ORDER BY created_at, id", [Text("tenant", tenantId)], r => DeserializeLeadSource(r.GetString(0)), cancellationToken).ConfigureAwait(false);
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
            await ExecuteAsync(db, tx, $"UPDATE {_leadSources} SET status = @status, next_retry_at = @retry, data = @data WHERE id = @id AND tenant_id = @tenant", LeadSourceParameters(next), cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return next;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LeadSourceIntegration>> GetLeadSourcesDueForRetryAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT data FROM {_leadSources} WHERE status = @failed AND next_retry_at <= @now ORDER BY next_retry_at LIMIT @max",
            [Int("failed", (int)LeadSourceStatus.FailedSync), Time("now", now), Int("max", max)],
            r => DeserializeLeadSource(r.GetString(0)),
            cancellationToken).ConfigureAwait(false);
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
        // the record was added (upserts = 0) or replaced by a newer version (upserts > 0); none when it was unchanged or
        // rejected. The stable sort keeps a record that appears twice in one page in page order, as a single writer would.
        var ordered = records.OrderBy(r => (int)r.ObjectType).ThenBy(r => r.CrmId, StringComparer.Ordinal).ToList();
        var upsert = $"""
            INSERT INTO {_inbox} AS i (tenant_id, connection_id, object_type, crm_id, modified_at, state, record, first_seen_at, fetched_at, run_id, upserts)
            VALUES (@tenant, @conn, @type, @crm, @modified, 0, @record, @now, @now, @run, 0)
            ON CONFLICT (connection_id, object_type, crm_id) DO UPDATE
            SET modified_at = excluded.modified_at, record = excluded.record, fetched_at = excluded.fetched_at, run_id = excluded.run_id, delivered_at = NULL, upserts = i.upserts + 1
            WHERE i.tenant_id = excluded.tenant_id AND i.state <> {(int)CrmInboxItemState.Rejected} AND i.modified_at < excluded.modified_at
            RETURNING upserts
            """;
        var results = await ScalarEachAsync(
            db,
            tx,
            ordered.Select(record => new Statement(upsert,
            [
                Text("tenant", tenantId),
                Id("conn", run.ConnectionId),
                Int("type", (int)record.ObjectType),
                Text("crm", record.CrmId),
                Time("modified", record.ModifiedAt),
                Text("record", JsonSerializer.Serialize(record, CrmSyncJson.Options)),
                Time("now", now),
                Id("run", runId),
            ])).ToList(),
            cancellationToken).ConfigureAwait(false);

        int added = 0, updated = 0, unchanged = 0, rejected = 0;
        var untouched = new List<CrmFetchedRecord>();
        for (var i = 0; i < ordered.Count; i++)
        {
            switch (results[i])
            {
                case null: untouched.Add(ordered[i]); break;
                case 0: added++; break;
                default: updated++; break;
            }
        }

        if (untouched.Count > 0)
        {
            // The upserts locked these rows even though they did not change them, so their state is stable until commit.
            var rejectedKeys = new HashSet<(int, string)>();
            foreach (var chunk in untouched.Select(r => r.CrmId).Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
            {
                List<SqlParam> parameters = [Id("conn", run.ConnectionId), Text("tenant", tenantId), Int("rejected", (int)CrmInboxItemState.Rejected)];
                var list = InList("k", chunk, Text, parameters);
                var keys = await QueryAsync(db, tx, $"SELECT object_type, crm_id FROM {_inbox} WHERE connection_id = @conn AND tenant_id = @tenant AND state = @rejected AND crm_id IN {list}", parameters, r => (r.GetInt32(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
                rejectedKeys.UnionWith(keys);
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

    private static LeadSourceIntegration DeserializeLeadSource(string json) =>
        JsonSerializer.Deserialize<LeadSourceIntegration>(json, CrmSyncJson.Options) ?? throw new InvalidOperationException("A lead-source row holds no data.");

    private SqlParam[] RunParameters(CrmImportRun run) =>
    [
        Id("id", run.Id),
        Text("tenant", run.TenantId),
        Id("conn", run.ConnectionId),
        Text("scope", run.ScopeKey),
        Int("status", (int)run.Status),
        Time("started", run.StartedAt),
        Time("resume", run.ResumeAt),
        Time("high", run.HighWaterMark),
        Text("data", JsonSerializer.Serialize(run, CrmSyncJson.Options)),
    ];

    private Task<int> WriteRunAsync(DbConnection db, DbTransaction tx, CrmImportRun run, CancellationToken cancellationToken) =>
        ExecuteAsync(db, tx, $"UPDATE {_importRuns} SET status = @status, resume_at = @resume, high_water = @high, data = @data WHERE id = @id AND tenant_id = @tenant", RunParameters(run), cancellationToken);

    private async Task<CrmImportRun?> ReadRunAsync(DbConnection db, DbTransaction? tx, string tenantId, Guid runId, bool forUpdate, CancellationToken cancellationToken) =>
        await ScalarAsync(db, tx, $"SELECT data FROM {_importRuns} WHERE id = @id AND tenant_id = @tenant" + (forUpdate ? _d.ForUpdate : string.Empty), [Id("id", runId), Text("tenant", tenantId)], cancellationToken).ConfigureAwait(false) is string json
            ? DeserializeRun(json)
            : null;

    private CrmInboxItem ReadInboxItem(DbDataReader r) => new()
    {
        Id = ReadLong(r, 0),
        TenantId = r.GetString(1),
        ConnectionId = _d.ReadId(r, 2),
        State = (CrmInboxItemState)r.GetInt32(3),
        Record = JsonSerializer.Deserialize<CrmFetchedRecord>(r.GetString(4), CrmSyncJson.Options) ?? throw new InvalidOperationException("An inbox row holds no record."),
        FirstSeenAt = FromUnix(ReadLong(r, 5)),
        FetchedAt = FromUnix(ReadLong(r, 6)),
        RunId = r.IsDBNull(7) ? null : _d.ReadId(r, 7),
        DecidedAt = r.IsDBNull(8) ? null : FromUnix(ReadLong(r, 8)),
        DecidedBy = r.IsDBNull(9) ? null : r.GetString(9),
        DeliveredAt = r.IsDBNull(10) ? null : FromUnix(ReadLong(r, 10)),
        DeliveredBefore = r.GetBoolean(11),
    };

    private SqlParam[] LeadSourceParameters(LeadSourceIntegration integration) =>
    [
        Id("id", integration.Id),
        Text("tenant", integration.TenantId),
        Int("status", (int)integration.Status),
        Time("retry", integration.NextRetryAt),
        Time("created", integration.CreatedAt),
        Text("data", JsonSerializer.Serialize(integration, CrmSyncJson.Options)),
    ];

    private async Task<LeadSourceIntegration?> ReadLeadSourceAsync(DbConnection db, DbTransaction? tx, string tenantId, Guid id, bool forUpdate, CancellationToken cancellationToken) =>
        await ScalarAsync(db, tx, $"SELECT data FROM {_leadSources} WHERE id = @id AND tenant_id = @tenant" + (forUpdate ? _d.ForUpdate : string.Empty), [Id("id", id), Text("tenant", tenantId)], cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<LeadSourceIntegration>(json, CrmSyncJson.Options)
            : null;
}
