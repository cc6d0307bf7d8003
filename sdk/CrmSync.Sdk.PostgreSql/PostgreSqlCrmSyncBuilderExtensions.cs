using CrmSync.Sdk;
using CrmSync.Sdk.PostgreSql;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlCrmSyncBuilderExtensions
{
    /// <summary>
    /// Stores everything in PostgreSQL, shared by every host instance: the sync store and the import store (import runs,
    /// the import inbox and lead-source integrations). The schema is created or migrated on start.
    /// </summary>
    /// <param name="builder">The CrmSync builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema to create the tables in. Defaults to <c>crmsync</c>.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    public static ICrmSyncBuilder UsePostgreSql(this ICrmSyncBuilder builder, string connectionString, string schema = "crmsync")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Not a valid PostgreSQL connection string: {ex.Message}", nameof(connectionString), ex);
        }

        builder.Services.RemoveAll<ICrmSyncStore>();
        builder.Services.AddSingleton(_ => new PostgreSqlCrmSyncStore(connectionString, schema));
        builder.Services.AddSingleton<ICrmSyncStore>(sp => sp.GetRequiredService<PostgreSqlCrmSyncStore>());
        builder.Services.RemoveAll<ICrmImportStore>();
        builder.Services.AddSingleton<ICrmImportStore>(sp => sp.GetRequiredService<PostgreSqlCrmSyncStore>());
        return builder;
    }
}
