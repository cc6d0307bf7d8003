namespace CrmSync.Sdk;

/// <summary>
/// Host field names every provider understands. Providers translate them to the CRM's own fields
/// (for example <see cref="FirstName"/> to HubSpot <c>firstname</c> or Salesforce <c>FirstName</c>).
/// Other host fields reach the CRM only through the field mapping.
/// </summary>
public static class CrmFieldNames
{
    /// <summary>Email address.</summary>
    public const string Email = "email";

    /// <summary>First name.</summary>
    public const string FirstName = "firstName";

    /// <summary>Last name.</summary>
    public const string LastName = "lastName";

    /// <summary>Full name; providers split it when first and last name are missing.</summary>
    public const string Name = "name";

    /// <summary>Phone number.</summary>
    public const string Phone = "phone";

    /// <summary>Company name.</summary>
    public const string Company = "company";

    /// <summary>Job title.</summary>
    public const string JobTitle = "jobTitle";

    /// <summary>Activity subject or title.</summary>
    public const string Subject = "subject";

    /// <summary>Activity body, notes or description.</summary>
    public const string Body = "body";

    /// <summary>When the activity happened (ISO 8601).</summary>
    public const string OccurredAt = "occurredAt";

    /// <summary>Call duration in seconds.</summary>
    public const string DurationSeconds = "durationSeconds";

    /// <summary>Call or meeting outcome.</summary>
    public const string Outcome = "outcome";

    /// <summary>Meeting end (ISO 8601).</summary>
    public const string EndsAt = "endsAt";

    /// <summary>Email direction: <c>inbound</c> or <c>outbound</c>.</summary>
    public const string Direction = "direction";

    /// <summary>Lead status or stage.</summary>
    public const string Status = "status";

    /// <summary>
    /// Prefix of a field that names a CRM field directly (<c>crm:hs_lead_status</c>), as the <c>crm_sync</c> workflow step's
    /// <c>syncFields</c> do; such values skip translation and the field mapping and win over both.
    /// </summary>
    public const string DirectPrefix = "crm:";

    /// <summary>Splits host fields from fields that name a CRM field directly (<see cref="DirectPrefix"/>).</summary>
    /// <param name="fields">The fields of a change.</param>
    /// <returns>The host fields, and the direct CRM fields without their prefix (<see langword="null"/> when there are none).</returns>
    public static (IReadOnlyDictionary<string, string?> HostFields, IReadOnlyDictionary<string, string?>? Direct) SplitDirect(IReadOnlyDictionary<string, string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!fields.Keys.Any(k => k.StartsWith(DirectPrefix, StringComparison.Ordinal)))
        {
            return (fields, null);
        }

        var host = new Dictionary<string, string?>(StringComparer.Ordinal);
        var direct = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            if (key.StartsWith(DirectPrefix, StringComparison.Ordinal))
            {
                direct[key[DirectPrefix.Length..]] = value;
            }
            else
            {
                host[key] = value;
            }
        }

        return (host, direct);
    }
}
