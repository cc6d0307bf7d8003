namespace CrmSync.Sdk;

/// <summary>One line of a field mapping: a CRM field and where its value comes from.</summary>
/// <param name="CrmField">The CRM's own field name (for example <c>hs_lead_source</c> or <c>LeadSource</c>).</param>
/// <param name="Kind">Where the value comes from.</param>
/// <param name="Value">The host field name, the template text, or the fixed value.</param>
public sealed record FieldMappingEntry(string CrmField, FieldMappingKind Kind, string Value)
{
    /// <summary>Maps a host field to a CRM field.</summary>
    /// <param name="crmField">The CRM field.</param>
    /// <param name="sourceField">The host field.</param>
    /// <returns>The entry.</returns>
    public static FieldMappingEntry Field(string crmField, string sourceField) => new(crmField, FieldMappingKind.SourceField, sourceField);

    /// <summary>Fills a CRM field from a <c>{{field}}</c> template.</summary>
    /// <param name="crmField">The CRM field.</param>
    /// <param name="template">The template text.</param>
    /// <returns>The entry.</returns>
    public static FieldMappingEntry Template(string crmField, string template) => new(crmField, FieldMappingKind.Template, template);

    /// <summary>Stamps a fixed value on every synced record.</summary>
    /// <param name="crmField">The CRM field.</param>
    /// <param name="value">The value.</param>
    /// <returns>The entry.</returns>
    public static FieldMappingEntry Fixed(string crmField, string value) => new(crmField, FieldMappingKind.FixedValue, value);
}
