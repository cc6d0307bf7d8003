namespace CrmSync.Sdk;

/// <summary>Which way data flows on a connection.</summary>
[Flags]
public enum SyncDirection
{
    /// <summary>Nothing flows.</summary>
    None = 0,

    /// <summary>Host → CRM: changes accepted by the host are pushed.</summary>
    Send = 1,

    /// <summary>CRM → host: records are read from the CRM into the import inbox.</summary>
    Fetch = 2,

    /// <summary>Both directions.</summary>
    Both = Send | Fetch,
}
