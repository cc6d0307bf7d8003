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
}
