namespace CrmSync.Sdk;

/// <summary>
/// One record read from a CRM, with its company. Providers fill the standard fields with host field names
/// (<see cref="CrmFieldNames"/>) and may add CRM-native fields under their own names.
/// </summary>
public sealed record CrmFetchedRecord
{
    /// <summary>Gets the kind of record.</summary>
    public required CrmFetchObjectType ObjectType { get; init; }

    /// <summary>Gets the CRM's id of the record.</summary>
    public required string CrmId { get; init; }

    /// <summary>Gets the name users see in the inbox (person name, lead name or deal name).</summary>
    public string? Name { get; init; }

    /// <summary>Gets field values: standard host field names (<see cref="CrmFieldNames"/>) plus CRM-native fields. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the deal stage or lead status, in the CRM's own terms (for example <c>closedlost</c> or <c>Qualified</c>).</summary>
    public string? Stage { get; init; }

    /// <summary>Gets where a deal stands; <see langword="null"/> for contacts and leads.</summary>
    public CrmDealStatus? DealStatus { get; init; }

    /// <summary>Gets the CRM user id of the record owner.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets the lead source value (HubSpot original source, Salesforce/Zoho Lead Source, Pipedrive source), when the CRM has one.</summary>
    public string? Source { get; init; }

    /// <summary>Gets when the record was created in the CRM.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the record was last modified in the CRM: the stamp incremental imports and inbox idempotency use.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Gets the company the record belongs to, when it has one.</summary>
    public CrmFetchedCompany? Company { get; init; }
}

/// <summary>The company (account, organisation) a fetched record belongs to.</summary>
public sealed record CrmFetchedCompany
{
    /// <summary>Gets the CRM's id of the company.</summary>
    public required string CrmId { get; init; }

    /// <summary>Gets the company name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the company's web domain, when known.</summary>
    public string? Domain { get; init; }

    /// <summary>Gets other company fields. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();
}
