using CrmSync.Sdk.Storage.Relational;

namespace CrmSync.Sdk.PostgreSql;

/// <summary>
/// The store for several host instances sharing one PostgreSQL database, with the shared relational implementation
/// (<see cref="RelationalCrmSyncStore"/>) and the PostgreSQL dialect. Read-modify-write takes a row lock
/// (<c>SELECT … FOR UPDATE</c>) and a run's lease is claimed with <c>FOR UPDATE SKIP LOCKED</c>, so two instances never
/// sync one connection at once; a crashed instance's lease lapses after <see cref="CrmSyncOptions.LeaseDuration"/>.
/// </summary>
public sealed class PostgreSqlCrmSyncStore : RelationalCrmSyncStore, IAsyncDisposable, IDisposable
{
    private readonly PostgreSqlDialect _dialect;

    /// <summary>Initializes the store.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema for CrmSync's tables. Defaults to <c>crmsync</c>.</param>
    public PostgreSqlCrmSyncStore(string connectionString, string schema = "crmsync")
        : this(new PostgreSqlDialect(connectionString, schema))
    {
    }

    private PostgreSqlCrmSyncStore(PostgreSqlDialect dialect)
        : base(dialect)
    {
        _dialect = dialect;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dialect.DataSource.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _dialect.DataSource.Dispose();
}
