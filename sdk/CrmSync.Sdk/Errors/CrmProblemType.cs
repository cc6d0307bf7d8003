namespace CrmSync.Sdk;

/// <summary>
/// Why a record failed or was skipped. An open set: providers may add their own values, and
/// <see cref="CrmProblemCatalog"/> explains the well-known ones in plain language.
/// </summary>
public readonly record struct CrmProblemType
{
    /// <summary>Initializes a problem type.</summary>
    /// <param name="value">The stable identifier, in snake case.</param>
    public CrmProblemType(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    /// <summary>Gets the stable identifier.</summary>
    public string Value { get => field ?? Unknown.Value; }

    /// <summary>A field the CRM requires is empty.</summary>
    public static CrmProblemType RequiredFieldMissing { get; } = new("required_field_missing");

    /// <summary>The CRM rejected the email address.</summary>
    public static CrmProblemType InvalidEmail { get; } = new("invalid_email");

    /// <summary>A CRM duplicate rule blocked the record.</summary>
    public static CrmProblemType DuplicateRecord { get; } = new("duplicate_record");

    /// <summary>A value has the wrong format or is not allowed for its field.</summary>
    public static CrmProblemType InvalidValue { get; } = new("invalid_value");

    /// <summary>A mapped field does not exist in the CRM.</summary>
    public static CrmProblemType UnknownField { get; } = new("unknown_field");

    /// <summary>The connected CRM user may not write this record.</summary>
    public static CrmProblemType PermissionDenied { get; } = new("permission_denied");

    /// <summary>An activity's contact is not synced, so it was skipped.</summary>
    public static CrmProblemType ContactNotSynced { get; } = new("contact_not_synced");

    /// <summary>The object type is switched off under "What gets synced".</summary>
    public static CrmProblemType TurnedOff { get; } = new("turned_off");

    /// <summary>The CRM does not support this kind of record.</summary>
    public static CrmProblemType NotSupported { get; } = new("not_supported");

    /// <summary>Anything else.</summary>
    public static CrmProblemType Unknown { get; } = new("unknown");

    /// <inheritdoc />
    public override string ToString() => Value;
}
