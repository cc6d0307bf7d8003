namespace CrmSync.Sdk.Storage.Relational;

/// <content>Outbox look-up by key, and record timelines of the <c>crm_sync</c> workflow step (schema version 5).</content>
public abstract partial class RelationalCrmSyncStore
{
    private string Timeline => _d.Table("timeline");

    /// <inheritdoc />
    public async Task<OutboxItem?> GetOutboxItemAsync(Guid connectionId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var items = await QueryAsync(db, null, $"SELECT {OutboxColumns} FROM {_outbox} WHERE connection_id = @conn AND idempotency_key = @key", [Id("conn", connectionId), Text("key", idempotencyKey)], ReadOutboxItem, cancellationToken).ConfigureAwait(false);
        return items.Count == 0 ? null : items[0];
    }

    /// <inheritdoc />
    public async Task AppendTimelineAsync(IReadOnlyList<CrmTimelineEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        var sql = $"""
            INSERT INTO {Timeline} (tenant_id, record_id, at, stage, provider, connection_id, crm_record_id, reason)
            VALUES (@tenant, @record, @at, @stage, @provider, @conn, @crm, @reason)
            """;
        var statements = events.Select(e => new Statement(sql,
        [
            Text("tenant", e.TenantId),
            Text("record", e.RecordId),
            Time("at", e.At),
            Int("stage", (int)e.Stage),
            Text("provider", e.ProviderDisplayName),
            Id("conn", e.ConnectionId),
            Text("crm", e.CrmRecordId),
            Text("reason", e.Reason),
        ])).ToList();
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteManyAsync(db, tx, statements, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmTimelineEvent>> GetTimelineAsync(string tenantId, string recordId, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(recordId);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"""
            SELECT at, stage, provider, connection_id, crm_record_id, reason FROM (
                SELECT id, at, stage, provider, connection_id, crm_record_id, reason FROM {Timeline}
                WHERE tenant_id = @tenant AND record_id = @record ORDER BY id DESC LIMIT @limit) newest
            ORDER BY id
            """,
            [Text("tenant", tenantId), Text("record", recordId), Int("limit", limit)],
            r => new CrmTimelineEvent(tenantId, recordId, FromUnix(ReadLong(r, 0)), (CrmTimelineStage)r.GetInt32(1),
                r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : _d.ReadId(r, 3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken).ConfigureAwait(false);
    }
}
