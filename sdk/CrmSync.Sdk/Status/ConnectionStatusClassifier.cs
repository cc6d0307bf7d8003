using System.Globalization;

namespace CrmSync.Sdk;

/// <summary>
/// The one deterministic status model: a pure function of stored facts and the clock.
/// Precedence: Revoked, Disconnected, SetupIncomplete, Paused (by user, expired credentials, daily limit, provider outage),
/// Error (failed records outstanding, last run failed), Stale, Active.
/// </summary>
public static class ConnectionStatusClassifier
{
    /// <summary>Classifies a connection.</summary>
    /// <param name="state">The stored facts.</param>
    /// <param name="recentRuns">Recent runs, newest first (only the first <see cref="StatusRules.SuccessRateRuns"/> count).</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The thresholds.</param>
    /// <returns>The status report.</returns>
    public static ConnectionStatusReport Classify(ConnectionState state, IReadOnlyList<SyncRunSummary> recentRuns, DateTimeOffset now, StatusRules rules) =>
        Classify(state, recentRuns, now, rules, null);

    /// <summary>Classifies a connection, naming its CRM in the reasons.</summary>
    /// <param name="state">The stored facts.</param>
    /// <param name="recentRuns">Recent runs, newest first (only the first <see cref="StatusRules.SuccessRateRuns"/> count).</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The thresholds.</param>
    /// <param name="crmName">The CRM's name users see (for example <c>HubSpot</c>), or <see langword="null"/> for "The CRM".</param>
    /// <returns>The status report.</returns>
    public static ConnectionStatusReport Classify(ConnectionState state, IReadOnlyList<SyncRunSummary> recentRuns, DateTimeOffset now, StatusRules rules, string? crmName)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(recentRuns);
        ArgumentNullException.ThrowIfNull(rules);

        var rate = SuccessRate(recentRuns, rules.SuccessRateRuns);
        var (status, kind, reason) = ClassifyStatus(state, now, rules, crmName ?? "The CRM");
        var syncing = status is ConnectionStatus.Active or ConnectionStatus.Error or ConnectionStatus.Stale
            || (status == ConnectionStatus.Paused && kind is StatusReasonKind.ByUser or StatusReasonKind.DailyLimit or StatusReasonKind.ProviderOutage);

        // Nothing to measure while the connection cannot sync at all (revoked, disconnected, setup incomplete): "—", never a green 100 %.
        if (!syncing)
        {
            rate = null;
        }

        var rateHealth = rate switch
        {
            null => ConnectionHealth.Unknown,
            var r when r >= rules.GreenSuccessRate => ConnectionHealth.Green,
            var r when r >= rules.AmberSuccessRate => ConnectionHealth.Amber,
            _ => ConnectionHealth.Red,
        };

        var health = status switch
        {
            ConnectionStatus.Revoked or ConnectionStatus.Error => ConnectionHealth.Red,
            ConnectionStatus.Disconnected or ConnectionStatus.SetupIncomplete => ConnectionHealth.Unknown,
            ConnectionStatus.Stale => ConnectionHealth.Amber,
            ConnectionStatus.Paused when kind != StatusReasonKind.ByUser => ConnectionHealth.Amber,
            _ => state.LastRunOutcome switch
            {
                SyncRunOutcome.Failed or SyncRunOutcome.Revoked => ConnectionHealth.Red,
                // A run that could not reach the CRM is not "fine", even before enough waits make it an outage.
                SyncRunOutcome.Warning or SyncRunOutcome.ProviderUnavailable => ConnectionHealth.Amber,
                null => ConnectionHealth.Unknown,
                _ => ConnectionHealth.Green,
            },
        };

        // The bar never reads greener than the connection: failing records, an outage or a pause colour it too.
        if (rateHealth != ConnectionHealth.Unknown && health is ConnectionHealth.Amber or ConnectionHealth.Red && rateHealth < health)
        {
            rateHealth = health;
        }

        var needsAttention = status is ConnectionStatus.Revoked or ConnectionStatus.Error or ConnectionStatus.Stale
            || kind == StatusReasonKind.ExpiredCredentials;
        return new ConnectionStatusReport(status, health, reason, rate, rateHealth, needsAttention)
        {
            ReasonKind = kind,
            FailedRecords = Math.Max(0, state.FailedRecords),
            ResumesAt = status == ConnectionStatus.Paused && kind is StatusReasonKind.DailyLimit or StatusReasonKind.ExpiredCredentials ? state.AutoPausedUntil : null,
            Since = kind == StatusReasonKind.ProviderOutage ? state.OutageStartedAt : null,
        };
    }

    /// <summary>Returns whether the facts show the connection's CRM in an outage: enough waits in a row, or long enough since the first.</summary>
    /// <param name="state">The stored facts.</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The thresholds.</param>
    /// <returns><see langword="true"/> during an outage.</returns>
    public static bool IsInOutage(ConnectionState state, DateTimeOffset now, StatusRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        return state.OutageStartedAt is { } start && (state.OutageWaits >= rules.OutageAfterWaits || now - start >= rules.OutageAfter);
    }

    /// <summary>Computes the success rate of the most recent runs.</summary>
    /// <param name="recentRuns">Runs, newest first.</param>
    /// <param name="take">How many runs count.</param>
    /// <returns>Synced records over attempted records, or <see langword="null"/> when nothing was attempted.</returns>
    public static double? SuccessRate(IReadOnlyList<SyncRunSummary> recentRuns, int take)
    {
        ArgumentNullException.ThrowIfNull(recentRuns);
        long synced = 0, attempted = 0;
        for (var i = 0; i < recentRuns.Count && i < take; i++)
        {
            synced += recentRuns[i].Synced;
            attempted += recentRuns[i].Synced + recentRuns[i].Failed;
        }

        return attempted == 0 ? null : (double)synced / attempted;
    }

    private static (ConnectionStatus Status, StatusReasonKind Kind, string? Reason) ClassifyStatus(ConnectionState s, DateTimeOffset now, StatusRules rules, string crm)
    {
        if (s.RevokedAt is not null)
        {
            return (ConnectionStatus.Revoked, StatusReasonKind.AccessRevoked, s.RevokedReason ?? "The CRM refused the saved sign-in. Reconnect to restore syncing.");
        }

        if (s.DisconnectedAt is not null)
        {
            return (ConnectionStatus.Disconnected, StatusReasonKind.DisconnectedByUser, "Disconnected by a user. Nothing was deleted; reconnect any time.");
        }

        if (s.ConnectedAt is null)
        {
            return (ConnectionStatus.SetupIncomplete, StatusReasonKind.NotConnected, "Not connected yet: sign in to the CRM.");
        }

        if (s.StartingPoint == StartingPoint.NotChosen)
        {
            return (ConnectionStatus.SetupIncomplete, StatusReasonKind.StartingPointNotChosen, "Choose whether to import existing contacts or skip.");
        }

        if (s.PausedByUser)
        {
            return (ConnectionStatus.Paused, StatusReasonKind.ByUser, "Paused by a user. Resume to restart syncing.");
        }

        if (s.AutoPauseReason is not null && (s.AutoPausedUntil is null || s.AutoPausedUntil > now))
        {
            var kind = s.AutoPauseKind is StatusReasonKind.ExpiredCredentials or StatusReasonKind.DailyLimit
                ? s.AutoPauseKind
                : s.AutoPausedUntil is null ? StatusReasonKind.ExpiredCredentials : StatusReasonKind.DailyLimit;
            return (ConnectionStatus.Paused, kind, s.AutoPauseReason);
        }

        if (IsInOutage(s, now, rules))
        {
            return (ConnectionStatus.Paused, StatusReasonKind.ProviderOutage, $"{crm} is not responding; CrmSync retries automatically.");
        }

        if (s.FailedRecords > 0)
        {
            var problem = s.FailedRecordsProblem is { Length: > 0 } p ? CrmProblemCatalog.Explain(new CrmProblemType(p)).Title : null;
            var records = s.FailedRecords == 1 ? "1 record" : $"{s.FailedRecords.ToString(CultureInfo.InvariantCulture)} records";
            var reason = problem is null
                ? $"{records} failed to sync. Fix the cause, then retry the failed records."
                : $"{records} failed to sync: {problem}. Fix the cause, then retry the failed records.";
            return (ConnectionStatus.Error, StatusReasonKind.FailedRecords, reason);
        }

        if (s.LastRunOutcome == SyncRunOutcome.Failed)
        {
            return (ConnectionStatus.Error, StatusReasonKind.SyncFailed, s.LastError ?? "The last sync failed; CrmSync keeps retrying.");
        }

        var reference = s.LastSuccessAt ?? s.ConnectedAt.Value;
        var quiet = now - reference;
        if (quiet > rules.StaleAfter)
        {
            return (ConnectionStatus.Stale, StatusReasonKind.NoRecentSync, $"No successful sync for {FormatDuration(quiet)}.");
        }

        return (ConnectionStatus.Active, StatusReasonKind.None, null);
    }

    private static string FormatDuration(TimeSpan span) => span.TotalHours >= 48
        ? $"{(int)span.TotalDays} days"
        : $"{(int)span.TotalHours} hours";
}
