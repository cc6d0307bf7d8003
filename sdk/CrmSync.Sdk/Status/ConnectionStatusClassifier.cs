using System.Globalization;

namespace CrmSync.Sdk;

/// <summary>
/// The one deterministic status model: a pure function of stored facts and the clock.
/// Precedence: Revoked, Disconnected, SetupIncomplete, Paused, Error, Stale, Active.
/// </summary>
public static class ConnectionStatusClassifier
{
    /// <summary>Classifies a connection.</summary>
    /// <param name="state">The stored facts.</param>
    /// <param name="recentRuns">Recent runs, newest first (only the first <see cref="StatusRules.SuccessRateRuns"/> count).</param>
    /// <param name="now">The current time.</param>
    /// <param name="rules">The thresholds.</param>
    /// <returns>The status report.</returns>
    public static ConnectionStatusReport Classify(ConnectionState state, IReadOnlyList<SyncRunSummary> recentRuns, DateTimeOffset now, StatusRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(recentRuns);
        ArgumentNullException.ThrowIfNull(rules);

        var rate = SuccessRate(recentRuns, rules.SuccessRateRuns);
        var rateHealth = rate switch
        {
            null => ConnectionHealth.Unknown,
            var r when r >= rules.GreenSuccessRate => ConnectionHealth.Green,
            var r when r >= rules.AmberSuccessRate => ConnectionHealth.Amber,
            _ => ConnectionHealth.Red,
        };

        var (status, reason) = ClassifyStatus(state, now, rules);
        var health = status switch
        {
            ConnectionStatus.Revoked or ConnectionStatus.Error => ConnectionHealth.Red,
            ConnectionStatus.Disconnected or ConnectionStatus.SetupIncomplete => ConnectionHealth.Unknown,
            ConnectionStatus.Stale => ConnectionHealth.Amber,
            ConnectionStatus.Paused when !state.PausedByUser => ConnectionHealth.Amber,
            _ => state.LastRunOutcome switch
            {
                SyncRunOutcome.Failed or SyncRunOutcome.Revoked => ConnectionHealth.Red,
                SyncRunOutcome.Warning => ConnectionHealth.Amber,
                null => ConnectionHealth.Unknown,
                _ => ConnectionHealth.Green,
            },
        };

        var needsAttention = status is ConnectionStatus.Revoked or ConnectionStatus.Error or ConnectionStatus.Stale
            || (status == ConnectionStatus.Paused && !state.PausedByUser && state.AutoPausedUntil is null);
        return new ConnectionStatusReport(status, health, reason, rate, rateHealth, needsAttention);
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

    private static (ConnectionStatus Status, string? Reason) ClassifyStatus(ConnectionState s, DateTimeOffset now, StatusRules rules)
    {
        if (s.RevokedAt is not null)
        {
            return (ConnectionStatus.Revoked, s.RevokedReason ?? "The CRM refused the saved sign-in. Reconnect to restore syncing.");
        }

        if (s.DisconnectedAt is not null)
        {
            return (ConnectionStatus.Disconnected, "Disconnected by a user. Nothing was deleted; reconnect any time.");
        }

        if (s.ConnectedAt is null)
        {
            return (ConnectionStatus.SetupIncomplete, "Not connected yet: sign in to the CRM.");
        }

        if (s.StartingPoint == StartingPoint.NotChosen)
        {
            return (ConnectionStatus.SetupIncomplete, "Choose whether to import existing contacts or skip.");
        }

        if (s.PausedByUser)
        {
            return (ConnectionStatus.Paused, "Paused by a user.");
        }

        if (s.AutoPauseReason is not null && (s.AutoPausedUntil is null || s.AutoPausedUntil > now))
        {
            var until = s.AutoPausedUntil is { } u ? $" Resumes automatically at {u.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC." : string.Empty;
            return (ConnectionStatus.Paused, s.AutoPauseReason + until);
        }

        if (s.LastRunOutcome == SyncRunOutcome.Failed)
        {
            return (ConnectionStatus.Error, s.LastError ?? "The last sync failed; CrmSync keeps retrying.");
        }

        var reference = s.LastSuccessAt ?? s.ConnectedAt.Value;
        var quiet = now - reference;
        if (quiet > rules.StaleAfter)
        {
            return (ConnectionStatus.Stale, $"No successful sync for {FormatDuration(quiet)}.");
        }

        return (ConnectionStatus.Active, null);
    }

    private static string FormatDuration(TimeSpan span) => span.TotalHours >= 48
        ? $"{(int)span.TotalDays} days"
        : $"{(int)span.TotalHours} hours";
}
