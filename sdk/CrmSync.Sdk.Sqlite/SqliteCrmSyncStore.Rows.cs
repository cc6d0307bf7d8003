using System.Text.Json;
using CrmSync.Sdk.Storage;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite;

/// <content>Row mapping and connection helpers.</content>
public sealed partial class SqliteCrmSyncStore
{
    private const string ConnectionColumns = "id, tenant_id, provider, account_label, datacenter, credentials, settings, state, created_at";
    private const string OutboxColumns = "id, tenant_id, connection_id, object_type, external_id, contact_external_id, idempotency_key, fields, origin, enqueued_at, state, attempts, processed_at, crm_record_id, problem_type, error";

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

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL with NORMAL sync survives a process crash; busy_timeout lets concurrent writers queue instead of failing.
        await ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static void BindConnection(SqliteCommand cmd, StoredConnection c)
    {
        cmd.Parameters.AddWithValue("$id", c.Id.ToString());
        cmd.Parameters.AddWithValue("$tenant", c.TenantId);
        cmd.Parameters.AddWithValue("$provider", c.Provider);
        cmd.Parameters.AddWithValue("$label", (object?)c.AccountLabel ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$dc", (object?)c.Datacenter ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$cred", (object?)c.ProtectedCredentials ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$settings", JsonSerializer.Serialize(c.Settings, CrmSyncJson.Options));
        cmd.Parameters.AddWithValue("$state", JsonSerializer.Serialize(c.State, CrmSyncJson.Options));
        cmd.Parameters.AddWithValue("$schedulable", c.IsSchedulable() ? 1 : 0);
        cmd.Parameters.AddWithValue("$next", c.State.NextSyncAt is { } n ? ToUnix(n) : DBNull.Value);
        cmd.Parameters.AddWithValue("$outage", c.State.LastOutageAt is { } o ? ToUnix(o) : DBNull.Value);
    }

    private static async Task<StoredConnection?> ReadConnectionAsync(SqliteConnection db, SqliteTransaction? tx, string tenantId, Guid connectionId, CancellationToken cancellationToken)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {ConnectionColumns} FROM crmsync_connections WHERE id = $id AND tenant_id = $tenant";
        cmd.Parameters.AddWithValue("$id", connectionId.ToString());
        cmd.Parameters.AddWithValue("$tenant", tenantId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadConnection(reader) : null;
    }

    private static StoredConnection ReadConnection(SqliteDataReader r) => new()
    {
        Id = Guid.Parse(r.GetString(0)),
        TenantId = r.GetString(1),
        Provider = r.GetString(2),
        AccountLabel = r.IsDBNull(3) ? null : r.GetString(3),
        Datacenter = r.IsDBNull(4) ? null : r.GetString(4),
        ProtectedCredentials = r.IsDBNull(5) ? null : r.GetString(5),
        Settings = JsonSerializer.Deserialize<ConnectionSettings>(r.GetString(6), CrmSyncJson.Options) ?? new ConnectionSettings(),
        State = JsonSerializer.Deserialize<ConnectionState>(r.GetString(7), CrmSyncJson.Options) ?? new ConnectionState(),
        CreatedAt = FromUnix(r.GetInt64(8)),
    };

    private static async Task<IReadOnlyList<OutboxItem>> ReadOutboxAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<OutboxItem>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new OutboxItem
            {
                Id = r.GetInt64(0),
                TenantId = r.GetString(1),
                ConnectionId = Guid.Parse(r.GetString(2)),
                ObjectType = (CrmObjectType)r.GetInt32(3),
                ExternalId = r.GetString(4),
                ContactExternalId = r.IsDBNull(5) ? null : r.GetString(5),
                IdempotencyKey = r.GetString(6),
                Fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(r.GetString(7), CrmSyncJson.Options) ?? [],
                Origin = (OutboxOrigin)r.GetInt32(8),
                EnqueuedAt = FromUnix(r.GetInt64(9)),
                State = (OutboxItemState)r.GetInt32(10),
                Attempts = r.GetInt32(11),
                ProcessedAt = r.IsDBNull(12) ? null : FromUnix(r.GetInt64(12)),
                CrmRecordId = r.IsDBNull(13) ? null : r.GetString(13),
                ProblemType = r.IsDBNull(14) ? null : new CrmProblemType(r.GetString(14)),
                Error = r.IsDBNull(15) ? null : r.GetString(15),
            });
        }

        return result;
    }
}
