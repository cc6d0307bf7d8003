using System.ComponentModel.DataAnnotations;

namespace CrmSync.Sdk.Sqlite;

/// <summary>Options of the SQLite store.</summary>
public sealed class SqliteCrmSyncStoreOptions
{
    /// <summary>Gets or sets the connection string, for example <c>Data Source=crmsync.db</c>. Required.</summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;
}
