using System.Data;
using System.Data.Common;

namespace CrmSync.Sdk.Storage.Relational;

/// <summary>
/// What differs between the relational databases CrmSync stores into: how to open a connection and migrate the schema,
/// table names, id types, and the locking fragments. Everything else (the SQL, the transactions, the row mapping) is
/// <see cref="RelationalCrmSyncStore"/>'s, shared by every database.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Gets the <c>FOR UPDATE</c> fragment that row-locks what a read-modify-write reads, or empty when a write transaction already excludes every other writer.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Gets the fragment that row-locks what a claim reads and skips rows another transaction is claiming right now, or empty.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Gets the column that breaks ties between import runs started at the same time (insertion order where the database has one).</summary>
    public abstract string ImportRunTieBreak { get; }

    /// <summary>Gets how ids are bound.</summary>
    public abstract DbType IdType { get; }

    /// <summary>Gets the physical name of a table.</summary>
    /// <param name="name">The logical name: connections, outbox, records, runs, log, alerts, values, import_runs, inbox, lead_sources, timeline.</param>
    /// <returns>The name to use in SQL.</returns>
    public abstract string Table(string name);

    /// <summary>Opens a connection ready for use.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open connection.</returns>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates or migrates the schema.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Converts an id to the value bound for it.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The parameter value.</returns>
    public abstract object Id(Guid id);

    /// <summary>Reads an id column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The id.</returns>
    public abstract Guid ReadId(DbDataReader reader, int ordinal);

    /// <summary>Tells whether a transaction failed only because a concurrent one won (deadlock, serialization), so running it again is safe.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> to run the transaction again.</returns>
    public abstract bool IsTransientConflict(Exception exception);
}
