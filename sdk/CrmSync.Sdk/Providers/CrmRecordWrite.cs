namespace CrmSync.Sdk;

/// <summary>One record the engine asks a provider to create or update.</summary>
public sealed record CrmRecordWrite
{
    /// <summary>Gets the record type.</summary>
    public required CrmObjectType ObjectType { get; init; }

    /// <summary>Gets the host's record id; the provider stores it in the external-id field and upserts by it.</summary>
    public required string ExternalId { get; init; }

    /// <summary>Gets the CRM field that holds <see cref="ExternalId"/>.</summary>
    public required string ExternalIdField { get; init; }

    /// <summary>Gets host field values by host field name (<see cref="CrmFieldNames"/>); the provider translates the standard ones.</summary>
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    /// <summary>Gets CRM-native field values produced by the field mapping; they win over translated standard fields.</summary>
    public IReadOnlyDictionary<string, string?> MappedFields { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets the owner to assign when the record is created. Never applied on update.</summary>
    public string? OwnerIdOnCreate { get; init; }

    /// <summary>Gets the CRM id of the contact an activity belongs to.</summary>
    public string? ContactCrmId { get; init; }

    /// <summary>Gets the CRM id of the record when CrmSync already knows it (an update).</summary>
    public string? KnownCrmId { get; init; }
}
