using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using CrmSync.Sdk.Storage.Relational;
using Npgsql;

namespace CrmSync.Sdk.PostgreSql;

/// <summary>The PostgreSQL dialect: tables in their own schema, uuid ids, row locks and <c>SKIP LOCKED</c> claims.</summary>
internal sealed partial class PostgreSqlDialect : SqlDialect
{
    private readonly string _schema;

    public PostgreSqlDialect(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!IdentifierPattern().IsMatch(schema))
        {
            throw new ArgumentException($"Schema '{schema}' must be a plain identifier (lower-case letters, digits, '_').", nameof(schema));
        }

        DataSource = NpgsqlDataSource.Create(connectionString);
        _schema = schema;
    }

    public NpgsqlDataSource DataSource { get; }

    public override string ForUpdate => " FOR UPDATE";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string ImportRunTieBreak => "id";

    public override DbType IdType => DbType.Guid;

    // The key-value table predates the shared implementation under the name "kv".
    public override string Table(string name) => $"{_schema}.{(name == "values" ? "kv" : name)}";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override Task MigrateAsync(CancellationToken cancellationToken) => PostgreSqlSchema.MigrateAsync(DataSource, _schema, cancellationToken);

    public override object Id(Guid id) => id;

    public override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public override bool IsTransientConflict(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
