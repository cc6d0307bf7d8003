namespace CrmSync.Sdk;

/// <summary>The kinds of CRM record CrmSync reads into the import inbox.</summary>
public enum CrmFetchObjectType
{
    /// <summary>A person: contact in HubSpot, Pipedrive and Zoho; Contact in Salesforce.</summary>
    Contact = 0,

    /// <summary>A lead: Lead in Salesforce and Zoho, lead in Pipedrive, a contact in the lead lifecycle stage in HubSpot.</summary>
    Lead = 1,

    /// <summary>A deal or opportunity (closed-lost by default, optionally closed-won or open).</summary>
    Deal = 2,
}

/// <summary>Where a deal stands.</summary>
public enum CrmDealStatus
{
    /// <summary>Still in the pipeline.</summary>
    Open = 0,

    /// <summary>Closed as won (a customer account).</summary>
    ClosedWon = 1,

    /// <summary>Closed as lost.</summary>
    ClosedLost = 2,
}
