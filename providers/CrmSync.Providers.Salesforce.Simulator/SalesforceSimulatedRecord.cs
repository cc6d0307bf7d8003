namespace CrmSync.Providers.Salesforce.Simulator;

/// <summary>
/// A snapshot of a record held in the simulator's store, returned by <see cref="SalesforceSimulator.GetRecords(string)"/>.
/// </summary>
public sealed class SalesforceSimulatedRecord
{
    internal SalesforceSimulatedRecord(string id, string objectType, IReadOnlyDictionary<string, string?> properties, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        Id = id;
        ObjectType = objectType;
        Properties = properties;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>Gets the 18-character record id.</summary>
    public string Id { get; }

    /// <summary>Gets the sObject type, for example <c>Contact</c>, <c>Lead</c>, <c>Task</c> or <c>Event</c>.</summary>
    public string ObjectType { get; }

    /// <summary>Gets the stored field values; numbers and booleans are rendered in invariant JSON form.</summary>
    public IReadOnlyDictionary<string, string?> Properties { get; }

    /// <summary>Gets when the record was created (<c>CreatedDate</c>), on the simulator's clock.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the record was last modified (<c>LastModifiedDate</c>), on the simulator's clock.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets the owner id from <c>OwnerId</c>, or <see langword="null"/> when none is set.</summary>
    public string? OwnerId => Properties.TryGetValue("OwnerId", out var owner) && !string.IsNullOrEmpty(owner) ? owner : null;
}
