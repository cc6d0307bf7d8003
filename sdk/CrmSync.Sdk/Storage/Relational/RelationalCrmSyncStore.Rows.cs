using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace CrmSync.Sdk.Storage.Relational;

/// <content>Parameters, statements, transactions and row mapping shared by every dialect.</content>
public abstract partial class RelationalCrmSyncStore
{
    private const string ConnectionColumns = "id, tenant_id, provider, account_label, datacenter, credentials, settings, state, created_at";
    private const string OutboxColumns = "id, tenant_id, connection_id, object_type, external_id, contact_external_id, idempotency_key, fields, origin, enqueued_at, state, attempts, processed_at, crm_record_id, problem_type, error, held_until";
    private const int MaxConflictRetries = 5;
    private const int ChunkSize = 500;

    internal static long ToUnix(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromUnix(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    // Contacts and leads first (activities need their CRM ids), then one type at a time so batches stay full.
    private static int Priority(CrmObjectType type) => type switch
    {
        CrmObjectType.Contact => 0,
        CrmObjectType.Lead => 1,
        CrmObjectType.Email => 2,
        CrmObjectType.Call => 3,
        CrmObjectType.Meeting => 4,
        _ => 5,
    };

    private static SqlParam Text(string name, string? value) => new(name, value, DbType.String);

    private static SqlParam Int(string name, int value) => new(name, value, DbType.Int32);

    private static SqlParam Long(string name, long value) => new(name, value, DbType.Int64);

    private static SqlParam Time(string name, DateTimeOffset? value) => new(name, value is { } t ? ToUnix(t) : null, DbType.Int64);

    private static SqlParam Bool(string name, bool value) => new(name, value, DbType.Boolean);

    private SqlParam Id(string name, Guid? value) => new(name, value is { } g ? _d.Id(g) : null, _d.IdType);

    private static long ReadLong(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _d.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection db, DbTransaction? tx, string sql, IEnumerable<SqlParam> parameters)
    {
        var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var p in parameters)
        {
            var parameter = cmd.CreateParameter();
            Bind(parameter, p);
            cmd.Parameters.Add(parameter);
        }

        return cmd;
    }

    private static void Bind(DbParameter parameter, SqlParam p)
    {
        parameter.ParameterName = "@" + p.Name;
        parameter.DbType = p.Type;
        parameter.Value = p.Value ?? DBNull.Value;
    }

    private static async Task<int> ExecuteAsync(DbConnection db, DbTransaction? tx, string sql, IEnumerable<SqlParam> parameters, CancellationToken cancellationToken)
    {
        await using var cmd = Command(db, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection db, DbTransaction? tx, string sql, IEnumerable<SqlParam> parameters, CancellationToken cancellationToken)
    {
        await using var cmd = Command(db, tx, sql, parameters);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private static async Task<List<T>> QueryAsync<T>(DbConnection db, DbTransaction? tx, string sql, IEnumerable<SqlParam> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var cmd = Command(db, tx, sql, parameters);
        var result = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(read(reader));
        }

        return result;
    }

    /// <summary>Runs many statements in one transaction: in round trips of up to 500 where the database takes batches, else one by one.</summary>
    private static async Task<int> ExecuteManyAsync(DbConnection db, DbTransaction tx, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var total = 0;
        if (!db.CanCreateBatch)
        {
            foreach (var s in statements)
            {
                total += await ExecuteAsync(db, tx, s.Sql, s.Parameters, cancellationToken).ConfigureAwait(false);
            }

            return total;
        }

        foreach (var chunk in statements.Chunk(ChunkSize))
        {
            await using var batch = CreateBatch(db, tx, chunk);
            total += await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>Runs many statements in one transaction and returns how many rows each one changed.</summary>
    private static async Task<int[]> ExecuteEachAsync(DbConnection db, DbTransaction tx, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var result = new int[statements.Count];
        if (!db.CanCreateBatch)
        {
            for (var i = 0; i < statements.Count; i++)
            {
                result[i] = await ExecuteAsync(db, tx, statements[i].Sql, statements[i].Parameters, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }

        var offset = 0;
        foreach (var chunk in statements.Chunk(ChunkSize))
        {
            await using var batch = CreateBatch(db, tx, chunk);
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                result[offset + i] = batch.BatchCommands[i].RecordsAffected;
            }

            offset += chunk.Length;
        }

        return result;
    }

    /// <summary>Throws unless the run still holds the connection's lease; the check's row lock (or SQLite's write lock) lasts until commit.</summary>
    private async Task EnsureLeaseAsync(DbConnection db, DbTransaction tx, Guid connectionId, string leaseToken, CancellationToken cancellationToken)
    {
        var held = await ScalarAsync(db, tx, $"SELECT 1 FROM {_connections} WHERE id = @id AND lease_token = @token{_d.ForUpdate}", [Id("id", connectionId), Text("token", leaseToken)], cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            throw new CrmSyncLeaseLostException(connectionId);
        }
    }

    /// <summary>Runs many statements in one transaction and returns the first column of each one's first row (<see langword="null"/> when it returned none).</summary>
    private static async Task<List<long?>> ScalarEachAsync(DbConnection db, DbTransaction tx, IReadOnlyList<Statement> statements, CancellationToken cancellationToken)
    {
        var result = new List<long?>(statements.Count);
        if (!db.CanCreateBatch)
        {
            foreach (var s in statements)
            {
                await using var cmd = Command(db, tx, s.Sql, s.Parameters);
                await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                result.Add(await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLong(reader, 0) : null);
            }

            return result;
        }

        foreach (var chunk in statements.Chunk(ChunkSize))
        {
            await using var batch = CreateBatch(db, tx, chunk);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                result.Add(await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadLong(reader, 0) : null);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    private static DbBatch CreateBatch(DbConnection db, DbTransaction tx, IEnumerable<Statement> statements)
    {
        var batch = db.CreateBatch();
        batch.Transaction = tx;
        foreach (var s in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = s.Sql;
            foreach (var p in s.Parameters)
            {
                var parameter = command.CreateParameter();
                Bind(parameter, p);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    /// <summary>Runs a transaction again when the database aborted it only because a concurrent one won (the work is pure database work).</summary>
    private async Task<T> RetryOnConflictAsync<T>(Func<Task<T>> work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < MaxConflictRetries && _d.IsTransientConflict(ex))
            {
                // The other transaction went ahead; this one starts over and sees its result.
            }
        }
    }

    /// <summary>Builds an <c>IN (…)</c> list of parameters named <paramref name="prefix"/>0, <paramref name="prefix"/>1, ….</summary>
    private static string InList<T>(string prefix, IReadOnlyList<T> values, Func<string, T, SqlParam> parameter, List<SqlParam> into)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(CultureInfo.InvariantCulture);
            into.Add(parameter(prefix + i.ToString(CultureInfo.InvariantCulture), values[i]));
        }

        return "(" + string.Join(", ", names) + ")";
    }

    private SqlParam[] ConnectionParameters(StoredConnection c) =>
    [
        Id("id", c.Id),
        Text("tenant", c.TenantId),
        Text("provider", c.Provider),
        Text("label", c.AccountLabel),
        Text("dc", c.Datacenter),
        Text("cred", c.ProtectedCredentials),
        Text("settings", JsonSerializer.Serialize(c.Settings, CrmSyncJson.Options)),
        Text("state", JsonSerializer.Serialize(c.State, CrmSyncJson.Options)),
        Bool("schedulable", c.IsSchedulable()),
        Time("next", c.State.NextSyncAt),
        Time("outage", c.State.LastOutageAt),
    ];

    private async Task<StoredConnection?> ReadConnectionAsync(DbConnection db, DbTransaction? tx, string tenantId, Guid connectionId, bool forUpdate, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            db,
            tx,
            $"SELECT {ConnectionColumns} FROM {_connections} WHERE id = @id AND tenant_id = @tenant" + (forUpdate ? _d.ForUpdate : string.Empty),
            [Id("id", connectionId), Text("tenant", tenantId)],
            ReadConnection,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private StoredConnection ReadConnection(DbDataReader r) => new()
    {
        Id = _d.ReadId(r, 0),
        TenantId = r.GetString(1),
        Provider = r.GetString(2),
        AccountLabel = r.IsDBNull(3) ? null : r.GetString(3),
        Datacenter = r.IsDBNull(4) ? null : r.GetString(4),
        ProtectedCredentials = r.IsDBNull(5) ? null : r.GetString(5),
        Settings = JsonSerializer.Deserialize<ConnectionSettings>(r.GetString(6), CrmSyncJson.Options) ?? new ConnectionSettings(),
        State = JsonSerializer.Deserialize<ConnectionState>(r.GetString(7), CrmSyncJson.Options) ?? new ConnectionState(),
        CreatedAt = FromUnix(ReadLong(r, 8)),
    };

    private OutboxItem ReadOutboxItem(DbDataReader r) => new()
    {
        Id = ReadLong(r, 0),
        TenantId = r.GetString(1),
        ConnectionId = _d.ReadId(r, 2),
        ObjectType = (CrmObjectType)r.GetInt32(3),
        ExternalId = r.GetString(4),
        ContactExternalId = r.IsDBNull(5) ? null : r.GetString(5),
        IdempotencyKey = r.GetString(6),
        Fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.GetString(7), CrmSyncJson.Options) ?? [],
        Origin = (OutboxOrigin)r.GetInt32(8),
        EnqueuedAt = FromUnix(ReadLong(r, 9)),
        State = (OutboxItemState)r.GetInt32(10),
        Attempts = r.GetInt32(11),
        ProcessedAt = r.IsDBNull(12) ? null : FromUnix(ReadLong(r, 12)),
        CrmRecordId = r.IsDBNull(13) ? null : r.GetString(13),
        ProblemType = r.IsDBNull(14) ? null : new CrmProblemType(r.GetString(14)),
        Error = r.IsDBNull(15) ? null : r.GetString(15),
        HeldUntil = r.IsDBNull(16) ? null : FromUnix(ReadLong(r, 16)),
    };

    /// <summary>One parameter: its name (without prefix), value and type.</summary>
    private readonly record struct SqlParam(string Name, object? Value, DbType Type);

    /// <summary>One statement of a batch.</summary>
    private sealed record Statement(string Sql, SqlParam[] Parameters);
}
