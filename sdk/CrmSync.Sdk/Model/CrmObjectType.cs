namespace CrmSync.Sdk;

/// <summary>The kinds of host record CrmSync pushes into a CRM.</summary>
public enum CrmObjectType
{
    /// <summary>A person: contact in HubSpot, Pipedrive and Zoho; Contact or Lead in Salesforce.</summary>
    Contact = 0,

    /// <summary>A lead update pushed to the CRM's lead object.</summary>
    Lead = 1,

    /// <summary>An email activity, associated to its contact.</summary>
    Email = 2,

    /// <summary>A call activity, associated to its contact.</summary>
    Call = 3,

    /// <summary>A meeting activity, associated to its contact.</summary>
    Meeting = 4,
}
