using CrmSync.TestUtils;

namespace CrmSync.Sdk.PostgreSql.Tests;

/// <summary>The throw-away PostgreSQL server shared by the test run (see <see cref="PostgresInstance"/>).</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private PostgresInstance? _instance;

    public string ConnectionString => _instance?.ConnectionString ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _instance = await PostgresInstance.StartAsync();

    public async Task DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
