using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Simulation;

/// <summary>A stored record in the shape every simulator shares: its id, type, field values as text and timestamps.</summary>
/// <param name="Id">The CRM record id.</param>
/// <param name="ObjectType">The object type or module.</param>
/// <param name="Properties">The field values by CRM field name; non-text values in their JSON form.</param>
/// <param name="CreatedAt">When the record was created.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record CrmSimulatorRecord(
    string Id,
    string ObjectType,
    IReadOnlyDictionary<string, string?> Properties,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Turns a record stored as JSON into field values as text: strings as they are, other values in their JSON form.</summary>
    /// <param name="fields">The stored JSON object.</param>
    /// <returns>The values by field name.</returns>
    public static IReadOnlyDictionary<string, string?> TextOf(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.ToDictionary(
            p => p.Key,
            p => p.Value switch
            {
                null => null,
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
                var other => other.ToJsonString(),
            },
            StringComparer.Ordinal);
    }
}
