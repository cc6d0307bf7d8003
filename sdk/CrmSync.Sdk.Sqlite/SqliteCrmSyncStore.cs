using CrmSync.Sdk.Storage.Relational;

namespace CrmSync.Sdk.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode, with the shared relational implementation
/// (<see cref="RelationalCrmSyncStore"/>) and the SQLite dialect. Every write transaction takes SQLite's write lock at
/// its start (<c>BEGIN IMMEDIATE</c>), so read-modify-write needs no row locks, and a process stopped at any point
/// loses nothing that was accepted.
/// </summary>
public sealed class SqliteCrmSyncStore : RelationalCrmSyncStore
{
    /// <summary>Initializes the store.</summary>
    /// <param name="connectionString">For example <c>Data Source=crmsync.db</c>.</param>
    public SqliteCrmSyncStore(string connectionString)
        : base(new SqliteDialect(connectionString))
    {
    }
}
