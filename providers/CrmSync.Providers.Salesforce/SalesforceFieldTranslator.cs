using System.Globalization;
using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce;

/// <summary>Translates CrmSync host fields to Salesforce fields.</summary>
internal static class SalesforceFieldTranslator
{
    /// <summary>
    /// The prefix of the reference that identifies a Task written by CrmSync, on the last line of its <c>Description</c>
    /// (every org has it; the Call Center field <c>CallObject</c> may not exist).
    /// </summary>
    public const string TaskMarkerPrefix = "crmsync-ref:";

    /// <summary>The Task fields that exist only in orgs with Salesforce Call Center.</summary>
    public static readonly string[] CallCenterFields = ["CallType", "CallDurationInSeconds", "CallDisposition"];

    public static Dictionary<string, object?> Person(CrmRecordWrite write, string sobject, string externalIdField, bool includeOwner)
    {
        var r = Record(sobject);
        var f = write.Fields;
        Set(r, "Email", f, CrmFieldNames.Email);
        Set(r, "FirstName", f, CrmFieldNames.FirstName);
        Set(r, "LastName", f, CrmFieldNames.LastName);
        Set(r, "Phone", f, CrmFieldNames.Phone);
        Set(r, "Title", f, CrmFieldNames.JobTitle);
        if (sobject == "Lead")
        {
            Set(r, "Company", f, CrmFieldNames.Company);
            Set(r, "Status", f, CrmFieldNames.Status);
        }

        if (!r.ContainsKey("LastName") && f.GetValueOrDefault(CrmFieldNames.Name) is { Length: > 0 } name)
        {
            var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 2)
            {
                r.TryAdd("FirstName", parts[0]);
            }

            r["LastName"] = parts[^1];
        }

        foreach (var (key, value) in write.MappedFields)
        {
            if (value is not null)
            {
                r[key] = value;
            }
        }

        if (includeOwner && !string.IsNullOrEmpty(write.OwnerIdOnCreate))
        {
            r["OwnerId"] = write.OwnerIdOnCreate;
        }

        r[externalIdField] = write.ExternalId;
        return r;
    }

    /// <summary>
    /// Builds a Task (email, call) or Event (meeting) linked to the contact or lead through <c>WhoId</c>. A Task's
    /// <c>Description</c> ends with its CrmSync reference; call details go to the Call Center fields only where the org has
    /// them (<paramref name="taskFields"/>, from describing Task).
    /// </summary>
    public static Dictionary<string, object?> Activity(CrmRecordWrite write, bool create, DateTimeOffset now, IReadOnlySet<string> taskFields)
    {
        var f = write.Fields;
        var occurred = Date(f.GetValueOrDefault(CrmFieldNames.OccurredAt)) ?? now;
        var r = Record(SObject(write.ObjectType));
        r["Subject"] = SubjectOf(write);
        var body = f.GetValueOrDefault(CrmFieldNames.Body);
        if (write.ObjectType == CrmObjectType.Meeting)
        {
            if (body is not null)
            {
                r["Description"] = body;
            }
        }
        else
        {
            r["Description"] = string.IsNullOrEmpty(body) ? Marker(write.ExternalId) : body + "\n\n" + Marker(write.ExternalId);
        }

        if (write.ObjectType == CrmObjectType.Meeting)
        {
            var ends = Date(f.GetValueOrDefault(CrmFieldNames.EndsAt)) ?? occurred.AddMinutes(30);
            r["StartDateTime"] = Format(occurred);
            r["EndDateTime"] = Format(ends < occurred ? occurred : ends);
        }
        else
        {
            r["Status"] = "Completed";
            r["Priority"] = "Normal";
            r["ActivityDate"] = occurred.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (write.ObjectType == CrmObjectType.Call && CallCenterFields.All(taskFields.Contains))
            {
                r["CallType"] = string.Equals(f.GetValueOrDefault(CrmFieldNames.Direction), "inbound", StringComparison.OrdinalIgnoreCase) ? "Inbound" : "Outbound";
                if (double.TryParse(f.GetValueOrDefault(CrmFieldNames.DurationSeconds), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    r["CallDurationInSeconds"] = (int)seconds;
                }

                if (f.GetValueOrDefault(CrmFieldNames.Outcome) is { Length: > 0 } outcome)
                {
                    r["CallDisposition"] = outcome;
                }
            }

            if (create)
            {
                // TaskSubtype is set on create only.
                r["TaskSubtype"] = write.ObjectType == CrmObjectType.Email ? "Email" : "Call";
            }
        }

        if (create)
        {
            r["WhoId"] = write.ContactCrmId;
            if (!string.IsNullOrEmpty(write.OwnerIdOnCreate))
            {
                r["OwnerId"] = write.OwnerIdOnCreate;
            }
        }

        return r;
    }

    public static string SObject(CrmObjectType type) => type == CrmObjectType.Meeting ? "Event" : "Task";

    public static string Marker(string externalId) => TaskMarkerPrefix + externalId;

    /// <summary>Returns the CrmSync reference on the last line of a Task's description, if any.</summary>
    public static string? MarkerOf(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return null;
        }

        var last = description[(description.LastIndexOf('\n') + 1)..].Trim();
        return last.StartsWith(TaskMarkerPrefix, StringComparison.Ordinal) ? last[TaskMarkerPrefix.Length..] : null;
    }

    /// <summary>Returns an activity's subject as Salesforce stores it: the host's subject (else the activity type), at most 255 characters.</summary>
    public static string SubjectOf(CrmRecordWrite write)
    {
        var subject = write.Fields.GetValueOrDefault(CrmFieldNames.Subject) is { Length: > 0 } s ? s : write.ObjectType.ToString();
        return subject.Length > 255 ? subject[..255] : subject;
    }

    public static DateTimeOffset? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static Dictionary<string, object?> Record(string sobject) => new(StringComparer.Ordinal)
    {
        ["attributes"] = new Dictionary<string, string> { ["type"] = sobject },
    };

    private static void Set(Dictionary<string, object?> record, string field, IReadOnlyDictionary<string, string?> fields, string hostField)
    {
        if (fields.GetValueOrDefault(hostField) is { } value)
        {
            record[field] = value;
        }
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
