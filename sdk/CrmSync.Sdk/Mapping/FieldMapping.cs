namespace CrmSync.Sdk;

/// <summary>
/// Per-connection field mapping for contacts: CRM fields filled from host fields, templates or fixed values,
/// plus the external-id field CrmSync creates in the CRM and upserts by.
/// Validated when saved (<see cref="FieldMappingValidator"/>), never at sync time.
/// </summary>
public sealed record FieldMapping
{
    /// <summary>The default external-id field name used when none is set.</summary>
    public const string DefaultExternalIdField = "crmsync_external_id";

    /// <summary>Gets a mapping with no entries and the default external-id field.</summary>
    public static FieldMapping Empty { get; } = new();

    /// <summary>Gets the mapping lines. Defaults to none.</summary>
    public IReadOnlyList<FieldMappingEntry> Entries { get; init; } = [];

    /// <summary>Gets the CRM field that holds the host's record id; CrmSync creates it when missing and upserts by it. Defaults to <see cref="DefaultExternalIdField"/>.</summary>
    public string ExternalIdField { get; init; } = DefaultExternalIdField;

    /// <summary>Returns a copy with <paramref name="entry"/> appended.</summary>
    /// <param name="entry">The entry to add.</param>
    /// <returns>The new mapping.</returns>
    public FieldMapping With(FieldMappingEntry entry) => this with { Entries = [.. Entries, entry] };

    /// <summary>Applies the mapping to host fields.</summary>
    /// <param name="source">The host field values.</param>
    /// <returns>CRM field values, keyed by CRM field name.</returns>
    public IReadOnlyDictionary<string, string?> Apply(IReadOnlyDictionary<string, string?> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = new Dictionary<string, string?>(Entries.Count, StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            result[entry.CrmField] = entry.Kind switch
            {
                FieldMappingKind.SourceField => source.TryGetValue(entry.Value, out var v) ? v : null,
                FieldMappingKind.Template => FieldTemplate.Render(entry.Value, source),
                FieldMappingKind.FixedValue => entry.Value,
                _ => null,
            };
        }

        return result;
    }
}
