namespace CrmSync.Sdk;

/// <summary>Why an alert was raised.</summary>
public enum CrmSyncAlertKind
{
    /// <summary>N runs in a row failed.</summary>
    ConsecutiveFailures = 0,

    /// <summary>The CRM revoked the credentials.</summary>
    Revoked = 1,
}

/// <summary>An alert for the organisation owner: once per episode, reset by a success or a reconnect.</summary>
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

    /// <summary>Gets the link to the connection page, when configured.</summary>
    public Uri? Link { get; init; }

    /// <summary>Gets when it was raised.</summary>
    public DateTimeOffset RaisedAt { get; init; }

    /// <summary>Gets whether someone acknowledged it.</summary>
    public bool Acknowledged { get; init; }
}
