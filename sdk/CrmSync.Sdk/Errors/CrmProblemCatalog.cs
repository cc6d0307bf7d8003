namespace CrmSync.Sdk;

/// <summary>A plain-language explanation of one problem type, with how to fix it.</summary>
/// <param name="Type">The problem type.</param>
/// <param name="Title">A short heading.</param>
/// <param name="Explanation">What it means.</param>
/// <param name="Fix">How to fix it.</param>
public sealed record CrmProblemExplanation(CrmProblemType Type, string Title, string Explanation, string Fix);

/// <summary>Plain-language explanations of the well-known problem types, as shown in the "Last 24 hours" card.</summary>
public static class CrmProblemCatalog
{
    private static readonly Dictionary<string, CrmProblemExplanation> Known = new(StringComparer.Ordinal)
    {
        [CrmProblemType.RequiredFieldMissing.Value] = new(CrmProblemType.RequiredFieldMissing, "A required field is empty",
            "Your CRM requires a field that these records do not fill in.",
            "Map the field the error names under Field Mapping (or give it a fixed value), then click Retry failed records."),
        [CrmProblemType.InvalidEmail.Value] = new(CrmProblemType.InvalidEmail, "Invalid email address",
            "Your CRM rejected these records because their email address is not valid.",
            "Correct the email address on the record, then click Retry failed records."),
        [CrmProblemType.DuplicateRecord.Value] = new(CrmProblemType.DuplicateRecord, "Blocked by a duplicate rule",
            "A duplicate rule in your CRM stopped these records because a matching record already exists.",
            "Merge or relax the duplicate rule in your CRM, then click Retry failed records."),
        [CrmProblemType.InvalidValue.Value] = new(CrmProblemType.InvalidValue, "A value was not accepted",
            "Your CRM did not accept a value, for example a picklist option that does not exist.",
            "Check the field named in the error in your CRM or in Field Mapping, then click Retry failed records."),
        [CrmProblemType.UnknownField.Value] = new(CrmProblemType.UnknownField, "A mapped field does not exist",
            "Your field mapping writes to a field your CRM does not have.",
            "Create the field in your CRM or remove it from Field Mapping, then click Retry failed records."),
        [CrmProblemType.PermissionDenied.Value] = new(CrmProblemType.PermissionDenied, "Missing permission",
            "The CRM user you connected with may not create or update these records.",
            "Give that user write access in your CRM, or Reconnect as a user who has it, then click Retry failed records."),
        [CrmProblemType.ContactNotSynced.Value] = new(CrmProblemType.ContactNotSynced, "Contact not synced",
            "These activities were skipped because their contact is not in your CRM yet.",
            "Turn on contact sync or run Resync existing contacts; new activity for those contacts will then sync."),
        [CrmProblemType.TurnedOff.Value] = new(CrmProblemType.TurnedOff, "Turned off",
            "These records were skipped because their type is switched off under What gets synced.",
            "Turn the type back on if you want it mirrored into your CRM."),
        [CrmProblemType.NotSupported.Value] = new(CrmProblemType.NotSupported, "Not supported by this CRM",
            "Your CRM has no place for this kind of record.",
            "Turn this type off under What gets synced."),
        [CrmProblemType.Unknown.Value] = new(CrmProblemType.Unknown, "Something else went wrong",
            "Your CRM rejected these records for a reason CrmSync does not recognise.",
            "Read the error message in Recent sync activity, fix the cause in your CRM, then click Retry failed records."),
    };

    /// <summary>Explains <paramref name="type"/>; unknown types get the generic explanation.</summary>
    /// <param name="type">The problem type.</param>
    /// <returns>The explanation.</returns>
    public static CrmProblemExplanation Explain(CrmProblemType type) =>
        Known.TryGetValue(type.Value, out var known) ? known : Known[CrmProblemType.Unknown.Value] with { Type = type };
}
