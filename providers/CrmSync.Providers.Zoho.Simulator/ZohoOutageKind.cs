namespace CrmSync.Providers.Zoho.Simulator;

/// <summary>How a simulated outage looks to the client.</summary>
public enum ZohoOutageKind
{
    /// <summary>Every request is answered with HTTP 503 and a <c>Retry-After</c> header.</summary>
    ServiceUnavailable,

    /// <summary>Requests are never answered; the connection is dropped when the outage ends or the client gives up.</summary>
    Timeout,
}
