using CrmSync.Sdk;

namespace CrmSync.Widgets;

/// <summary>What <c>CrmSyncConnectButton.OnConnect</c> receives: the connection to sign in (already created, with its datacenter) and the datacenter picked.</summary>
/// <param name="Connection">The connection, in SetupIncomplete, Revoked or Disconnected state.</param>
/// <param name="Datacenter">The datacenter id the user picked, for CRMs with several (Zoho); otherwise <see langword="null"/>.</param>
public sealed record CrmSyncConnectRequest(CrmConnection Connection, string? Datacenter);
