namespace CrmSync.Sdk;

/// <summary>The derived status of one connection.</summary>
/// <param name="Status">The status.</param>
/// <param name="Health">The health colour.</param>
/// <param name="Reason">Why, in plain language (pause reason, revocation reason, last error, failed records, stale duration); <see langword="null"/> when active.</param>
/// <param name="SuccessRate">Records synced over records attempted across recent runs, or <see langword="null"/> when nothing was attempted.</param>
/// <param name="SuccessRateHealth">The health bar colour of <paramref name="SuccessRate"/>.</param>
/// <param name="NeedsAttention">Whether the nav badge should turn red for this connection.</param>
public sealed record ConnectionStatusReport(
    ConnectionStatus Status,
    ConnectionHealth Health,
    string? Reason,
    double? SuccessRate,
    ConnectionHealth SuccessRateHealth,
    bool NeedsAttention)
{
    /// <summary>Gets why the connection has this status; widgets pick the action from it. Defaults to <see cref="StatusReasonKind.None"/>.</summary>
    public StatusReasonKind ReasonKind { get; init; }

    /// <summary>Gets the outstanding failed records in the failure ledger (0 when none).</summary>
    public int FailedRecords { get; init; }

    /// <summary>
    /// Gets when an automatic pause ends on its own (a spent daily limit resets), or <see langword="null"/>. <see cref="Reason"/> holds
    /// no dates: widgets show this time to people (relative, in their zone, exact on hover).
    /// </summary>
    public DateTimeOffset? ResumesAt { get; init; }

    /// <summary>Gets since when the CRM has not responded during an outage (<see cref="StatusReasonKind.ProviderOutage"/>), or <see langword="null"/>.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets whether the connection's CRM is in an outage past the threshold (the tenant's outage banner shows).</summary>
    public bool InOutage => ReasonKind == StatusReasonKind.ProviderOutage;
}
