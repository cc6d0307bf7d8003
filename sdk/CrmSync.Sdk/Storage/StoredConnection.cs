namespace CrmSync.Sdk.Storage;

/// <summary>A connection as a store keeps it. Credentials are only ever the protected payload.</summary>
public sealed record StoredConnection
{
    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection id.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the account label shown on the card.</summary>
    public string? AccountLabel { get; init; }

    /// <summary>Gets the datacenter, when the CRM has several.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Gets the credentials as protected by <see cref="ICrmCredentialProtector"/>.</summary>
    public string? ProtectedCredentials { get; init; }

    /// <summary>Gets the settings.</summary>
    public ConnectionSettings Settings { get; init; } = new();

    /// <summary>Gets the status facts.</summary>
    public ConnectionState State { get; init; } = new();

    /// <summary>Gets when the connection was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Helpers stores use to denormalise connection facts.</summary>
public static class StoredConnectionExtensions
{
    /// <summary>Returns whether the scheduler should consider the connection at all (connected, not revoked, disconnected or paused by a user, and <see cref="ConnectionSettings.RunOnSchedule"/>).</summary>
    /// <param name="connection">The connection.</param>
    /// <returns><see langword="true"/> when schedulable.</returns>
    public static bool IsSchedulable(this StoredConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var s = connection.State;
        return s.ConnectedAt is not null && s.RevokedAt is null && s.DisconnectedAt is null && !s.PausedByUser
            && s.StartingPoint != StartingPoint.NotChosen && connection.Settings.RunOnSchedule;
    }
}
