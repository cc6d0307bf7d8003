namespace CrmSync.Sdk.Testing;

/// <summary>A record kept by <see cref="InMemoryCrmProvider"/>.</summary>
public sealed record InMemoryCrmRecord
{
    /// <summary>Gets the CRM id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the record type.</summary>
    public required CrmObjectType ObjectType { get; init; }

    /// <summary>Gets the external id.</summary>
    public required string ExternalId { get; init; }

    /// <summary>Gets the stored field values (host fields, mapped CRM fields and the external-id field).</summary>
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    /// <summary>Gets the owner, set on create only.</summary>
    public string? OwnerId { get; init; }

    /// <summary>Gets the CRM id of the contact an activity is associated to.</summary>
    public string? ContactId { get; init; }

    /// <summary>Gets when it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets how many times it was written (1 after create).</summary>
    public int WriteCount { get; init; }
}
