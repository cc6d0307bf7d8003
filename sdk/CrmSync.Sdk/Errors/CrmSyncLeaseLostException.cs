namespace CrmSync.Sdk;

/// <summary>
/// A run no longer holds its connection's lease (it lapsed and another run took it), so the store refused its claim or
/// its outcomes. The run stops before its next batch; the other run records what this one could not.
/// </summary>
public sealed class CrmSyncLeaseLostException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="connectionId">The connection.</param>
    public CrmSyncLeaseLostException(Guid connectionId)
        : base($"This run no longer holds the lease of connection {connectionId}: another run took it over, so this run's writes were refused.")
    {
        ConnectionId = connectionId;
    }

    /// <summary>Gets the connection.</summary>
    public Guid ConnectionId { get; }
}
