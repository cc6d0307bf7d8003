using System.Text.Json;

namespace CrmSync.Sdk.Storage.Relational;

/// <content>Alerts and their lifecycle, the failure ledger's counts, and deleting a connection with its local history.</content>
public abstract partial class RelationalCrmSyncStore
{
    // alerts.state holds CrmSyncAlertState (0 open, 1 resolved, 2 acknowledged); alerts.acknowledged mirrors state = 2 for older readers.

    /// <inheritdoc />
    public async Task AppendAlertAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"""
            INSERT INTO {_alerts} (id, tenant_id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, acknowledged, state, closed_at, acknowledged_by, recipients)
            VALUES (@id, @tenant, @conn, @provider, @crm, @kind, @failures, @message, @link, @at, @ack, @state, @closed, @by, @recipients)
            """,
            [
                Id("id", alert.Id),
                Text("tenant", alert.TenantId),
                Id("conn", alert.ConnectionId),
                Text("provider", alert.Provider),
                Text("crm", alert.CrmName),
                Int("kind", (int)alert.Kind),
                Int("failures", alert.ConsecutiveFailures),
                Text("message", alert.Message),
                Text("link", alert.Link?.ToString()),
                Time("at", alert.RaisedAt),
                Bool("ack", alert.State == CrmSyncAlertState.Acknowledged),
                Int("state", (int)alert.State),
                Time("closed", alert.ClosedAt),
                Text("by", alert.AcknowledgedBy),
                Text("recipients", JsonSerializer.Serialize(alert.Recipients, CrmSyncJson.Options)),
            ],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmSyncAlert>> GetAlertsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(
            db,
            null,
            $"SELECT id, connection_id, provider, crm_name, kind, failures, message, link, raised_at, state, closed_at, acknowledged_by, recipients FROM {_alerts} WHERE tenant_id = @tenant"
                + (openOnly ? " AND state = 0" : string.Empty) + " ORDER BY raised_at DESC",
            [Text("tenant", tenantId)],
            r => new CrmSyncAlert
            {
                Id = _d.ReadId(r, 0),
                TenantId = tenantId,
                ConnectionId = _d.ReadId(r, 1),
                Provider = r.GetString(2),
                CrmName = r.GetString(3),
                Kind = (CrmSyncAlertKind)r.GetInt32(4),
                ConsecutiveFailures = r.GetInt32(5),
                Message = r.GetString(6),
                Link = r.IsDBNull(7) ? null : new Uri(r.GetString(7), UriKind.RelativeOrAbsolute),
                RaisedAt = FromUnix(ReadLong(r, 8)),
                State = (CrmSyncAlertState)r.GetInt32(9),
                ClosedAt = r.IsDBNull(10) ? null : FromUnix(ReadLong(r, 10)),
                AcknowledgedBy = r.IsDBNull(11) ? null : r.GetString(11),
                Recipients = ReadRecipients(r.IsDBNull(12) ? null : r.GetString(12)),
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AcknowledgeAlertsAsync(string tenantId, Guid? connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            db,
            null,
            $"UPDATE {_alerts} SET acknowledged = TRUE, state = 2 WHERE tenant_id = @tenant AND state = 0" + (connectionId is null ? string.Empty : " AND connection_id = @conn"),
            connectionId is { } conn ? [Text("tenant", tenantId), Id("conn", conn)] : [Text("tenant", tenantId)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> AcknowledgeAlertAsync(string tenantId, Guid alertId, string? acknowledgedBy, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(
            db,
            null,
            $"UPDATE {_alerts} SET acknowledged = TRUE, state = 2, closed_at = @at, acknowledged_by = @by WHERE tenant_id = @tenant AND id = @id AND state = 0",
            [Text("tenant", tenantId), Id("id", alertId), Time("at", at), Text("by", acknowledgedBy)],
            cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<int> ResolveAlertsAsync(string tenantId, Guid connectionId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(
            db,
            null,
            $"UPDATE {_alerts} SET state = 1, closed_at = @at WHERE tenant_id = @tenant AND connection_id = @conn AND state = 0",
            [Text("tenant", tenantId), Id("conn", connectionId), Time("at", at)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> GetFailedCountsAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            db,
            null,
            $"SELECT problem_type, COUNT(*) FROM {_outbox} WHERE connection_id = @conn AND state = 3 GROUP BY problem_type",
            [Id("conn", connectionId)],
            r => (Problem: r.IsDBNull(0) ? CrmProblemType.Unknown.Value : r.GetString(0), Count: (int)ReadLong(r, 1)),
            cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (problem, count) in rows)
        {
            result[problem] = result.GetValueOrDefault(problem) + count;
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        SqlParam[] both = [Text("tenant", tenantId), Id("conn", connectionId)];
        var deleted = await ExecuteAsync(db, tx, $"DELETE FROM {_connections} WHERE tenant_id = @tenant AND id = @conn", both, cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            // The record map has no tenant column; the connection id was just proven to be the tenant's.
            await ExecuteAsync(db, tx, $"DELETE FROM {_records} WHERE connection_id = @conn", [Id("conn", connectionId)], cancellationToken).ConfigureAwait(false);
            foreach (var table in new[] { _outbox, _runs, _log, _alerts, _importRuns, _inbox })
            {
                await ExecuteAsync(db, tx, $"DELETE FROM {table} WHERE tenant_id = @tenant AND connection_id = @conn", both, cancellationToken).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    private static IReadOnlyList<CrmSyncAlertRecipient> ReadRecipients(string? json) =>
        json is null || JsonSerializer.Deserialize<List<CrmSyncAlertRecipient>>(json, CrmSyncJson.Options) is not { Count: > 0 } list ? [] : list;
}
