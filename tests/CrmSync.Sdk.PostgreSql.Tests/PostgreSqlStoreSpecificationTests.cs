using CrmSync.Sdk.Storage;
using CrmSync.TestUtils;

namespace CrmSync.Sdk.PostgreSql.Tests;

/// <summary>The store specification on the PostgreSQL dialect: a fresh schema per test on the shared test server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgreSqlStoreSpecificationTests(PostgresServer server) : CrmSyncStoreSpecification
{
    protected override Task<ICrmSyncStore> CreateStoreAsync() =>
        Task.FromResult<ICrmSyncStore>(new PostgreSqlCrmSyncStore(server.ConnectionString, "spec_" + Guid.NewGuid().ToString("N")[..12]));

    protected override async Task DisposeStoreAsync(ICrmSyncStore store) => await ((PostgreSqlCrmSyncStore)store).DisposeAsync();
}
