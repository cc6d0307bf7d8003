namespace CrmSync.Sdk;

/// <summary>The connection a provider call is for. Providers read credentials through <see cref="Credentials"/> only.</summary>
public sealed class CrmProviderContext
{
    /// <summary>Initializes a context.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="datacenter">The datacenter, when the CRM has several.</param>
    /// <param name="settings">The connection settings.</param>
    /// <param name="credentials">Access to the connection's credentials.</param>
    public CrmProviderContext(string tenantId, Guid connectionId, string? datacenter, ConnectionSettings settings, ICrmCredentialAccessor credentials)
    {
        TenantId = tenantId;
        ConnectionId = connectionId;
        Datacenter = datacenter;
        Settings = settings;
        Credentials = credentials;
    }

    /// <summary>Gets the tenant.</summary>
    public string TenantId { get; }

    /// <summary>Gets the connection id.</summary>
    public Guid ConnectionId { get; }

    /// <summary>Gets the datacenter, when the CRM has several.</summary>
    public string? Datacenter { get; }

    /// <summary>Gets the connection settings.</summary>
    public ConnectionSettings Settings { get; }

    /// <summary>Gets access to the connection's credentials, including single-flight refresh.</summary>
    public ICrmCredentialAccessor Credentials { get; }
}

/// <summary>Reads and refreshes a connection's credentials. One refresh runs at a time per connection; concurrent callers share it.</summary>
public interface ICrmCredentialAccessor
{
    /// <summary>Gets the current credentials, refreshing first when they expire within the provider's margin.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credentials.</returns>
    Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Refreshes after the CRM rejected <paramref name="rejected"/> (for example a 401). When another caller already
    /// replaced them, returns the newer credentials without calling the CRM again.
    /// </summary>
    /// <param name="rejected">The credentials the CRM rejected.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Fresh credentials.</returns>
    Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default);
}
