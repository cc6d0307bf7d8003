namespace CrmSync.Sdk;

/// <summary>Why an alert was raised.</summary>
public enum CrmSyncAlertKind
{
    /// <summary>N runs in a row failed.</summary>
    ConsecutiveFailures = 0,

    /// <summary>The CRM revoked the credentials.</summary>
    Revoked = 1,

    /// <summary>The CRM refused to renew an expired sign-in; the connection is paused until someone reconnects.</summary>
    ExpiredCredentials = 2,

    /// <summary>The CRM has not responded for longer than <see cref="StatusRules.OutageAlertAfter"/>.</summary>
    ProviderOutage = 3,
}

/// <summary>Where an alert is in its lifecycle.</summary>
public enum CrmSyncAlertState
{
    /// <summary>The problem is still there and nobody acknowledged it: the nav badge is red.</summary>
    Open = 0,

    /// <summary>The connection recovered (a run synced, or someone reconnected), so CrmSync closed the alert.</summary>
    Resolved = 1,

    /// <summary>A user acknowledged it.</summary>
    Acknowledged = 2,
}

/// <summary>Someone an alert is sent to, as named by the host's <see cref="ICrmSyncAlertRecipients"/>.</summary>
/// <param name="UserId">The host's user id.</param>
/// <param name="DisplayName">The name to greet them with.</param>
/// <param name="Email">Where to email them, when the host emails alerts.</param>
public sealed record CrmSyncAlertRecipient(string UserId, string? DisplayName = null, string? Email = null);

/// <summary>An alert for the organisation owner: once per episode; resolved automatically on recovery, or acknowledged by a user.</summary>
public sealed record CrmSyncAlert
{
    /// <summary>Gets the alert id.</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>Gets the tenant.</summary>
    public required string TenantId { get; init; }

    /// <summary>Gets the connection.</summary>
    public required Guid ConnectionId { get; init; }

    /// <summary>Gets the provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Gets the CRM name users see.</summary>
    public required string CrmName { get; init; }

    /// <summary>Gets why the alert was raised.</summary>
    public required CrmSyncAlertKind Kind { get; init; }

    /// <summary>Gets the number of consecutive failed runs.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Gets the plain-language message.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the link to the Integrations page, where the owner investigates.</summary>
    public Uri? Link { get; init; }

    /// <summary>Gets when it was raised.</summary>
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>Gets who the host said should receive it (empty when the host names nobody; sinks then decide).</summary>
    public IReadOnlyList<CrmSyncAlertRecipient> Recipients { get; init; } = [];

    /// <summary>Gets where the alert is in its lifecycle.</summary>
    public CrmSyncAlertState State { get; init; }

    /// <summary>Gets when it was resolved or acknowledged.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Gets who acknowledged it, when a user did.</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>Gets whether it is still open (the nav badge counts it).</summary>
    public bool IsOpen => State == CrmSyncAlertState.Open;

    /// <summary>Gets whether someone acknowledged it.</summary>
    public bool Acknowledged => State == CrmSyncAlertState.Acknowledged;
}
