namespace CrmSync.Providers.Salesforce.Simulator;

/// <summary>
/// How a simulated Salesforce outage presents itself to clients.
/// </summary>
public enum SalesforceOutageKind
{
    /// <summary>Every request is answered with <c>503 Service Unavailable</c>.</summary>
    ServiceUnavailable = 0,

    /// <summary>Every request hangs until the client gives up, the outage ends or the simulator is disposed; the connection is then dropped.</summary>
    Timeout = 1,
}
