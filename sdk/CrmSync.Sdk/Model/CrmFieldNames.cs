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
}
