namespace CrmSync.Sdk;

/// <summary>Validates a field mapping when it is saved. Every error names the entry it is about.</summary>
public static class FieldMappingValidator
{
    /// <summary>Validates <paramref name="mapping"/>.</summary>
    /// <param name="mapping">The mapping.</param>
    /// <param name="knownSourceFields">The host fields that exist, when the host declares them; unknown fields are then rejected.</param>
    /// <returns>The errors; empty when the mapping is valid.</returns>
    public static IReadOnlyList<CrmValidationError> Validate(FieldMapping mapping, IReadOnlyCollection<string>? knownSourceFields = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var errors = new List<CrmValidationError>();
        if (string.IsNullOrWhiteSpace(mapping.ExternalIdField) || !FieldTemplate.IsFieldName(mapping.ExternalIdField))
        {
            errors.Add(new("ExternalIdField", $"External-id field '{mapping.ExternalIdField}' is not a valid CRM field name."));
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < mapping.Entries.Count; i++)
        {
            var entry = mapping.Entries[i];
            var where = $"Entries[{i}]";
            var label = string.IsNullOrWhiteSpace(entry.CrmField) ? $"entry {i + 1}" : $"'{entry.CrmField}'";
            if (entry is null)
            {
                errors.Add(new(where, $"Entry {i + 1} is empty."));
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.CrmField))
            {
                errors.Add(new(where, $"Mapping entry {i + 1} has no CRM field."));
            }
            else if (!FieldTemplate.IsFieldName(entry.CrmField))
            {
                errors.Add(new(where, $"CRM field {label} is not a valid field name (letters, digits, '_', '.' or '-')."));
            }
            else if (string.Equals(entry.CrmField, mapping.ExternalIdField, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new(where, $"CRM field {label} is the external-id field CrmSync manages; map another field."));
            }
            else if (seen.TryGetValue(entry.CrmField, out var first))
            {
                errors.Add(new(where, $"CRM field {label} is mapped twice (entries {first + 1} and {i + 1})."));
            }
            else
            {
                seen[entry.CrmField] = i;
            }

            switch (entry.Kind)
            {
                case FieldMappingKind.SourceField:
                    if (string.IsNullOrWhiteSpace(entry.Value))
                    {
                        errors.Add(new(where, $"CRM field {label} maps from a host field but names none."));
                    }
                    else if (knownSourceFields is not null && !knownSourceFields.Contains(entry.Value))
                    {
                        errors.Add(new(where, $"CRM field {label} maps from unknown host field '{entry.Value}'."));
                    }

                    break;
                case FieldMappingKind.Template:
                    if (string.IsNullOrWhiteSpace(entry.Value))
                    {
                        errors.Add(new(where, $"CRM field {label} has an empty template."));
                    }
                    else if (!FieldTemplate.TryParse(entry.Value, out var placeholders, out var templateError))
                    {
                        errors.Add(new(where, $"CRM field {label} has a malformed template: {templateError}."));
                    }
                    else if (placeholders.Count == 0)
                    {
                        errors.Add(new(where, $"CRM field {label} has a template without any {{{{field}}}} placeholder; use a fixed value instead."));
                    }
                    else if (knownSourceFields is not null)
                    {
                        foreach (var unknown in placeholders.Where(p => !knownSourceFields.Contains(p)))
                        {
                            errors.Add(new(where, $"CRM field {label} uses unknown placeholder '{{{{{unknown}}}}}'."));
                        }
                    }

                    break;
                case FieldMappingKind.FixedValue:
                    if (entry.Value is null || entry.Value.Length == 0)
                    {
                        errors.Add(new(where, $"CRM field {label} has an empty fixed value."));
                    }

                    break;
                default:
                    errors.Add(new(where, $"CRM field {label} has unknown kind '{entry.Kind}'."));
                    break;
            }
        }

        return errors;
    }

    /// <summary>
    /// Checks <paramref name="mapping"/> against the CRM's own fields and resolves each entry to the field's API name: an
    /// entry may name a field by its API name (any case) or by the label users see (Pipedrive custom fields have 40-character
    /// keys nobody can know). Unknown and read-only fields, and fixed values of the wrong type, are errors naming the entry.
    /// </summary>
    /// <param name="mapping">The mapping.</param>
    /// <param name="fields">The CRM object's fields (<see cref="ICrmFieldCatalog"/>).</param>
    /// <param name="crmName">The CRM's name users see, for the messages.</param>
    /// <param name="resolved">The mapping with every known field named by its API name.</param>
    /// <returns>The errors; empty when every entry fits the CRM.</returns>
    public static IReadOnlyList<CrmValidationError> ValidateAgainstCrm(FieldMapping mapping, IReadOnlyList<CrmFieldInfo> fields, string crmName, out FieldMapping resolved)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(fields);
        var errors = new List<CrmValidationError>();
        var entries = new List<FieldMappingEntry>(mapping.Entries.Count);
        for (var i = 0; i < mapping.Entries.Count; i++)
        {
            var entry = mapping.Entries[i];
            if (entry is null || string.IsNullOrWhiteSpace(entry.CrmField))
            {
                entries.Add(entry!);
                continue;
            }

            var where = $"Entries[{i}]";
            var field = Find(fields, entry.CrmField);
            if (field is null)
            {
                errors.Add(new(where, $"{crmName} has no field '{entry.CrmField}'. Choose one of its fields from the list."));
                entries.Add(entry);
                continue;
            }

            var name = $"'{field.Label}' ({field.Name})";
            if (!field.Writable)
            {
                errors.Add(new(where, $"{name} is read-only in {crmName}; map another field."));
            }
            else if (entry.Kind == FieldMappingKind.FixedValue && entry.Value is { Length: > 0 } value && TypeError(field, value) is { } typeError)
            {
                errors.Add(new(where, $"{name} in {crmName} {typeError}"));
            }

            entries.Add(entry with { CrmField = field.Name });
        }

        resolved = mapping with { Entries = entries };
        return errors;
    }

    private static CrmFieldInfo? Find(IReadOnlyList<CrmFieldInfo> fields, string name)
    {
        var byName = fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal))
            ?? fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName;
        }

        // By label only when it is unambiguous: two fields may share a label (a built-in and a custom "Source").
        var byLabel = fields.Where(f => string.Equals(f.Label.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return byLabel.Count == 1 ? byLabel[0] : null;
    }

    private static string? TypeError(CrmFieldInfo field, string value)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return field.Type switch
        {
            CrmFieldType.Number when !decimal.TryParse(value, System.Globalization.NumberStyles.Number, invariant, out _) => $"holds a number; '{value}' is not one (write it like 1250.5).",
            CrmFieldType.Boolean when !bool.TryParse(value, out _) => $"holds yes/no; use 'true' or 'false', not '{value}'.",
            CrmFieldType.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", invariant, System.Globalization.DateTimeStyles.None, out _) => $"holds a date; write it as yyyy-MM-dd, not '{value}'.",
            CrmFieldType.DateTime when !DateTimeOffset.TryParse(value, invariant, System.Globalization.DateTimeStyles.RoundtripKind, out _) => $"holds a date and time; write it as 2026-12-04T09:30:00Z, not '{value}'.",
            CrmFieldType.Email when !IsEmail(value) => $"holds an email address; '{value}' is not one.",
            CrmFieldType.Enumeration when field.Options.Count > 0 && !field.Options.Contains(value, StringComparer.Ordinal)
                => $"accepts only {string.Join(", ", field.Options.Take(12).Select(o => $"'{o}'"))}{(field.Options.Count > 12 ? ", …" : string.Empty)}; '{value}' is not one of them.",
            _ => null,
        };
    }

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace) && value.IndexOf('@', at + 1) < 0;
    }
}
