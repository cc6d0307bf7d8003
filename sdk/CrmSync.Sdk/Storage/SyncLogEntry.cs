namespace CrmSync.Sdk;

/// <summary>The outcome of a sync log event.</summary>
public enum SyncLogOutcome
{
    /// <summary>It worked.</summary>
    Success = 0,

    /// <summary>It worked with warnings, or it is a wait (rate limit, outage).</summary>
    Warning = 1,

    /// <summary>It failed.</summary>
    Error = 2,
}

/// <summary>One typed event of the sync log.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ConnectionId">The connection.</param>
/// <param name="At">When it happened.</param>
/// <param name="EventType">The type, such as <c>contact_sync</c>, <c>contact_import</c>, <c>auth_refresh</c> (see <see cref="SyncEventTypes"/>).</param>
/// <param name="RecordsAffected">How many records it concerned.</param>
/// <param name="Outcome">Success, warning or error.</param>
/// <param name="CrmRecordId">The CRM record id, when the event concerns one record.</param>
/// <param name="Error">The error text, without secrets.</param>
public sealed record SyncLogEntry(
    string TenantId,
    Guid ConnectionId,
    DateTimeOffset At,
    string EventType,
    int RecordsAffected,
    SyncLogOutcome Outcome,
    string? CrmRecordId = null,
    string? Error = null);

/// <summary>The sync log event types CrmSync writes.</summary>
public static class SyncEventTypes
{
    /// <summary>Contacts pushed by a regular run.</summary>
    public const string ContactSync = "contact_sync";

    /// <summary>Existing contacts pushed by an import or resync.</summary>
    public const string ContactImport = "contact_import";

    /// <summary>Lead updates pushed.</summary>
    public const string LeadUpdate = "lead_update";

    /// <summary>Emails pushed.</summary>
    public const string EmailSync = "email_sync";

    /// <summary>Calls pushed.</summary>
    public const string CallSync = "call_sync";

    /// <summary>Meetings pushed.</summary>
    public const string MeetingSync = "meeting_sync";

    /// <summary>An access token was refreshed.</summary>
    public const string AuthRefresh = "auth_refresh";

    /// <summary>The CRM revoked the credentials.</summary>
    public const string AuthRevoked = "auth_revoked";

    /// <summary>The CRM throttled a run.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The CRM was unreachable or failing.</summary>
    public const string ProviderOutage = "provider_outage";

    /// <summary>A run failed as a whole.</summary>
    public const string SyncFailed = "sync_failed";

    /// <summary>A run that never finished (its host process stopped, or it lost its lease); records affected is what it had recorded.</summary>
    public const string SyncInterrupted = "sync_interrupted";

    /// <summary>A test contact was sent.</summary>
    public const string TestContact = "test_contact";

    /// <summary>Failed records were re-queued.</summary>
    public const string RetryRequested = "retry_requested";

    /// <summary>A connection was connected or reconnected.</summary>
    public const string Connected = "connected";

    /// <summary>A connection was disconnected.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>A user paused syncing.</summary>
    public const string Paused = "paused";

    /// <summary>A user resumed syncing.</summary>
    public const string Resumed = "resumed";

    /// <summary>Settings changed.</summary>
    public const string SettingsChanged = "settings_changed";

    /// <summary>Records were read from the CRM into the import inbox.</summary>
    public const string CrmImport = "crm_import";

    /// <summary>Import inbox items were approved or rejected.</summary>
    public const string ImportDecision = "import_decision";

    /// <summary>Returns the event type for records of <paramref name="type"/>.</summary>
    /// <param name="type">The record type.</param>
    /// <param name="import">Whether the records come from an import.</param>
    /// <returns>The event type.</returns>
    public static string ForObject(CrmObjectType type, bool import) => type switch
    {
        CrmObjectType.Contact => import ? ContactImport : ContactSync,
        CrmObjectType.Lead => LeadUpdate,
        CrmObjectType.Email => EmailSync,
        CrmObjectType.Call => CallSync,
        CrmObjectType.Meeting => MeetingSync,
        _ => ContactSync,
    };
}
