using System.Globalization;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot;

/// <summary>Translates CrmSync host fields to HubSpot properties.</summary>
internal static class HubSpotFieldTranslator
{
    private static readonly string[] CallStatuses = ["BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING", "FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"];
    private static readonly string[] MeetingOutcomes = ["SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED"];

    public static string ObjectType(CrmObjectType type) => type switch
    {
        CrmObjectType.Email => "emails",
        CrmObjectType.Call => "calls",
        CrmObjectType.Meeting => "meetings",
        _ => "contacts",
    };

    public static int ContactAssociationTypeId(CrmObjectType type) => type switch
    {
        CrmObjectType.Email => 198,
        CrmObjectType.Call => 194,
        CrmObjectType.Meeting => 200,
        _ => 202,
    };

    /// <summary>Builds the properties of a contact (or lead update): standard fields, then mapped fields, which win.</summary>
    public static Dictionary<string, string> Contact(CrmRecordWrite write, string externalIdProperty, bool includeOwner)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        var f = write.Fields;
        Set(p, "email", f, CrmFieldNames.Email);
        Set(p, "firstname", f, CrmFieldNames.FirstName);
        Set(p, "lastname", f, CrmFieldNames.LastName);
        Set(p, "phone", f, CrmFieldNames.Phone);
        Set(p, "company", f, CrmFieldNames.Company);
        Set(p, "jobtitle", f, CrmFieldNames.JobTitle);
        Set(p, "hs_lead_status", f, CrmFieldNames.Status);
        if (!p.ContainsKey("firstname") && !p.ContainsKey("lastname") && f.GetValueOrDefault(CrmFieldNames.Name) is { Length: > 0 } name)
        {
            var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            p["firstname"] = parts[0];
            if (parts.Length > 1)
            {
                p["lastname"] = parts[1];
            }
        }

        foreach (var (key, value) in write.MappedFields)
        {
            if (value is not null)
            {
                p[key] = value;
            }
        }

        if (includeOwner && !string.IsNullOrEmpty(write.OwnerIdOnCreate))
        {
            p["hubspot_owner_id"] = write.OwnerIdOnCreate;
        }

        p[externalIdProperty] = write.ExternalId;
        return p;
    }

    /// <summary>Builds the properties of an email, call or meeting engagement.</summary>
    public static Dictionary<string, string> Activity(CrmRecordWrite write, string externalIdProperty, bool includeOwner, DateTimeOffset now)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        var f = write.Fields;
        var occurred = Date(f.GetValueOrDefault(CrmFieldNames.OccurredAt)) ?? now;
        var inbound = string.Equals(f.GetValueOrDefault(CrmFieldNames.Direction), "inbound", StringComparison.OrdinalIgnoreCase);
        p["hs_timestamp"] = Format(occurred);
        switch (write.ObjectType)
        {
            case CrmObjectType.Email:
                Set(p, "hs_email_subject", f, CrmFieldNames.Subject);
                Set(p, "hs_email_text", f, CrmFieldNames.Body);
                p["hs_email_direction"] = inbound ? "INCOMING_EMAIL" : "EMAIL";
                p["hs_email_status"] = "SENT";
                break;
            case CrmObjectType.Call:
                Set(p, "hs_call_title", f, CrmFieldNames.Subject);
                Set(p, "hs_call_body", f, CrmFieldNames.Body);
                p["hs_call_direction"] = inbound ? "INBOUND" : "OUTBOUND";
                p["hs_call_status"] = Pick(f.GetValueOrDefault(CrmFieldNames.Outcome), CallStatuses) ?? "COMPLETED";
                if (double.TryParse(f.GetValueOrDefault(CrmFieldNames.DurationSeconds), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    p["hs_call_duration"] = ((long)(seconds * 1000)).ToString(CultureInfo.InvariantCulture);
                }

                break;
            case CrmObjectType.Meeting:
                Set(p, "hs_meeting_title", f, CrmFieldNames.Subject);
                Set(p, "hs_meeting_body", f, CrmFieldNames.Body);
                p["hs_meeting_start_time"] = Format(occurred);
                var ends = Date(f.GetValueOrDefault(CrmFieldNames.EndsAt)) ?? occurred;
                p["hs_meeting_end_time"] = Format(ends);
                p["hs_meeting_outcome"] = Pick(f.GetValueOrDefault(CrmFieldNames.Outcome), MeetingOutcomes) ?? (ends <= now ? "COMPLETED" : "SCHEDULED");
                break;
        }

        if (includeOwner && !string.IsNullOrEmpty(write.OwnerIdOnCreate))
        {
            p["hubspot_owner_id"] = write.OwnerIdOnCreate;
        }

        p[externalIdProperty] = write.ExternalId;
        return p;
    }

    private static void Set(Dictionary<string, string> properties, string property, IReadOnlyDictionary<string, string?> fields, string field)
    {
        if (fields.GetValueOrDefault(field) is { } value)
        {
            properties[property] = value;
        }
    }

    private static string? Pick(string? value, string[] allowed)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var normalized = value.Trim().ToUpperInvariant().Replace(' ', '_').Replace('-', '_');
        return allowed.Contains(normalized) ? normalized : null;
    }

    private static DateTimeOffset? Date(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
