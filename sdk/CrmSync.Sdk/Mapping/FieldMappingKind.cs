namespace CrmSync.Sdk;

/// <summary>Where a mapped CRM field gets its value.</summary>
public enum FieldMappingKind
{
    /// <summary>Copied from one host field.</summary>
    SourceField = 0,

    /// <summary>Built from a template such as <c>{{name}} ({{email}})</c>.</summary>
    Template = 1,

    /// <summary>The same fixed value on every record, such as a lead source.</summary>
    FixedValue = 2,
}
