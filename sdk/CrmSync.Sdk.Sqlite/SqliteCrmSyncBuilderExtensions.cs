using CrmSync.Sdk;
using CrmSync.Sdk.Sqlite;
using CrmSync.Sdk.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteCrmSyncBuilderExtensions
{
    /// <summary>Stores everything in one SQLite file (the embedded default). The schema is created or migrated on start.</summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="connectionString">For example <c>Data Source=crmsync.db</c>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder UseSqlite(this ICrmSyncBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"'{connectionString}' is not a valid SQLite connection string: {ex.Message}", nameof(connectionString), ex);
        }

        builder.Services.AddOptions<SqliteCrmSyncStoreOptions>()
            .Configure(o => o.ConnectionString = connectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.RemoveAll<ICrmSyncStore>();
        builder.Services.AddSingleton<SqliteCrmSyncStore>(sp => new SqliteCrmSyncStore(sp.GetRequiredService<IOptions<SqliteCrmSyncStoreOptions>>().Value.ConnectionString));
        builder.Services.AddSingleton<ICrmSyncStore>(sp => sp.GetRequiredService<SqliteCrmSyncStore>());
        builder.Services.RemoveAll<ICrmImportStore>();
        builder.Services.AddSingleton<ICrmImportStore>(sp => sp.GetRequiredService<SqliteCrmSyncStore>());
        return builder;
    }
}
