namespace CrmSync.Sdk.Storage;

/// <summary>
/// One run's hold on a connection. <paramref name="Owner"/> is the host instance's stable id
/// (<see cref="CrmSyncOptions.InstanceId"/>), <paramref name="Incarnation"/> identifies the process (a restarted instance
/// has a new one, so it may take back at once the leases its previous process left), and <paramref name="Token"/> is
/// unique to the run: the store accepts the run's claims and outcomes only while the connection's lease carries it.
/// </summary>
/// <param name="Owner">The host instance.</param>
/// <param name="Incarnation">The process of that instance.</param>
/// <param name="Token">The run's fencing token.</param>
public sealed record SyncLease(string Owner, string Incarnation, string Token);
