namespace CrmSync.Sdk;

/// <summary>The kind of value a CRM field holds, as far as field mapping needs to know.</summary>
public enum CrmFieldType
{
    /// <summary>Free text (single or multi line).</summary>
    Text = 0,

    /// <summary>A number (integer, decimal, currency, percent).</summary>
    Number = 1,

    /// <summary>A yes/no value (<c>true</c> or <c>false</c>).</summary>
    Boolean = 2,

    /// <summary>A calendar date (<c>yyyy-MM-dd</c>).</summary>
    Date = 3,

    /// <summary>A point in time (ISO 8601).</summary>
    DateTime = 4,

    /// <summary>One value from a fixed list (<see cref="CrmFieldInfo.Options"/>).</summary>
    Enumeration = 5,

    /// <summary>An email address.</summary>
    Email = 6,

    /// <summary>A phone number.</summary>
    Phone = 7,

    /// <summary>A reference to another CRM record (an id).</summary>
    Reference = 8,

    /// <summary>Anything else; mapped values are passed as text.</summary>
    Other = 9,
}

/// <summary>One field of a CRM object, as the CRM describes it (HubSpot properties, Salesforce describe, Pipedrive person fields, Zoho fields).</summary>
/// <param name="Name">The name to map to: the CRM's API name or key (for example <c>jobtitle</c>, <c>Title</c>, a Pipedrive 40-character key).</param>
/// <param name="Label">The name users see in the CRM (for example "Job Title").</param>
/// <param name="Type">The kind of value.</param>
/// <param name="Writable">Whether values can be written through the API (not calculated, not read-only).</param>
/// <param name="Required">Whether the CRM requires a value when a record is created.</param>
/// <param name="Custom">Whether the field was added by the CRM's users rather than built in.</param>
public sealed record CrmFieldInfo(string Name, string Label, CrmFieldType Type, bool Writable, bool Required = false, bool Custom = false)
{
    /// <summary>Gets the allowed values of an <see cref="CrmFieldType.Enumeration"/> field; empty when any value goes or the CRM did not say.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}
