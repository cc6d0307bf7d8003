using CrmSync.Sdk.Storage;
using CrmSync.TestUtils;
using Microsoft.Data.Sqlite;

namespace CrmSync.Sdk.Sqlite.Tests;

/// <summary>The store specification on the SQLite dialect: a fresh database file per test.</summary>
public sealed class SqliteStoreSpecificationTests : CrmSyncStoreSpecification
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "crmsync-spec-" + Guid.NewGuid().ToString("N") + ".db");

    protected override Task<ICrmSyncStore> CreateStoreAsync() => Task.FromResult<ICrmSyncStore>(new SqliteCrmSyncStore($"Data Source={_path}"));

    protected override Task DisposeStoreAsync(ICrmSyncStore store)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }
}
