namespace CrmSync.Providers.HubSpot.Simulator;

/// <summary>
/// A snapshot of a record held in the simulator's store, returned by <see cref="HubSpotSimulator.GetRecords(string)"/>.
/// </summary>
public sealed class HubSpotSimulatedRecord
{
    internal HubSpotSimulatedRecord(
        string id,
        string objectType,
        IReadOnlyDictionary<string, string?> properties,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt,
        bool archived,
        IReadOnlyList<HubSpotSimulatedAssociation> associations)
    {
        Id = id;
        ObjectType = objectType;
        Properties = properties;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        Archived = archived;
        Associations = associations;
    }

    /// <summary>Gets the HubSpot object id (<c>hs_object_id</c>).</summary>
    public string Id { get; }

    /// <summary>Gets the object type, for example <c>contacts</c> or <c>notes</c>.</summary>
    public string ObjectType { get; }

    /// <summary>Gets the stored property values. All values are strings, as in the HubSpot API.</summary>
    public IReadOnlyDictionary<string, string?> Properties { get; }

    /// <summary>Gets when the record was created, on the simulator's clock.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the record was last modified, on the simulator's clock.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets the owner id from <c>hubspot_owner_id</c>, or <see langword="null"/> when none is set.</summary>
    public string? OwnerId => Properties.TryGetValue("hubspot_owner_id", out var owner) && !string.IsNullOrEmpty(owner) ? owner : null;

    /// <summary>Gets a value indicating whether the record has been archived (deleted).</summary>
    public bool Archived { get; }

    /// <summary>Gets the associations from this record to other records.</summary>
    public IReadOnlyList<HubSpotSimulatedAssociation> Associations { get; }
}
