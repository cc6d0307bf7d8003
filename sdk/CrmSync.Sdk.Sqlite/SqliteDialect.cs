using System.Data;
using System.Data.Common;
using CrmSync.Sdk.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite;

/// <summary>The SQLite dialect: <c>crmsync_</c> table names, ids as text, single-writer transactions instead of row locks.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.DataSource is ":memory:" or "")
        {
            throw new ArgumentException("The SQLite store needs a file (every connection to ':memory:' is a new, empty database). Use 'Data Source=crmsync.db'.", nameof(connectionString));
        }

        _connectionString = builder.ToString();
    }

    // A write transaction is BEGIN IMMEDIATE: it holds the database's one write lock from its first statement.
    public override string ForUpdate => string.Empty;

    public override string SkipLocked => string.Empty;

    public override string ImportRunTieBreak => "rowid";

    public override DbType IdType => DbType.String;

    public override string Table(string name) => "crmsync_" + name;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

            // WAL with NORMAL sync survives a process crash; busy_timeout lets concurrent writers queue instead of failing.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await SqliteSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public override object Id(Guid id) => id.ToString();

    public override Guid ReadId(DbDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    // SQLITE_BUSY: another process held the write lock longer than busy_timeout; the transaction did nothing yet.
    public override bool IsTransientConflict(Exception exception) => exception is SqliteException { SqliteErrorCode: 5 };
}
