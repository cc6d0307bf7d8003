namespace CrmSync.Sdk;

/// <summary>
/// The lead-source integration lifecycle as one pure function: Setup Incomplete (with its tracker) → Active once a test
/// lead with exactly the expected source value arrived and a user completed setup; Paused manually or automatically on
/// expired credentials; Failed Sync with automatic retry (doubling delay) until a sync succeeds.
/// </summary>
public static class LeadSourceStateMachine
{
    /// <summary>Applies one event. Never throws for a disallowed event: the result says why it was rejected.</summary>
    /// <param name="integration">The current state.</param>
    /// <param name="e">The event.</param>
    /// <param name="retryDelay">The first automatic retry delay; doubles per failure.</param>
    /// <param name="maxRetryDelay">The longest retry delay.</param>
    /// <returns>The transition.</returns>
    public static LeadSourceTransition Apply(LeadSourceIntegration integration, LeadSourceEvent e, TimeSpan retryDelay, TimeSpan maxRetryDelay)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentNullException.ThrowIfNull(e);
        var s = integration;
        return (s.Status, e) switch
        {
            (_, LeadSourceEvent.LeadReceived lead) => Receive(s, lead),

            (LeadSourceStatus.SetupIncomplete, LeadSourceEvent.SetupCompleted done) when s.Setup.TestLeadMatched =>
                Accept(s with { Status = LeadSourceStatus.Active, Setup = s.Setup with { CompletedAt = done.At, CompletedBy = done.By } }, e),
            (LeadSourceStatus.SetupIncomplete, LeadSourceEvent.SetupCompleted) =>
                Reject(s, $"Setup cannot be completed until a test lead arrives with exactly the source value '{s.ExpectedSourceValue}'."),
            (_, LeadSourceEvent.SetupCompleted) => Reject(s, "Setup is already complete."),

            (LeadSourceStatus.SetupIncomplete, _) => Reject(s, "Complete setup first."),

            (LeadSourceStatus.Active or LeadSourceStatus.FailedSync, LeadSourceEvent.Paused) =>
                Accept(s with { Status = LeadSourceStatus.Paused, PauseReason = LeadSourcePauseReason.Manual, NextRetryAt = null }, e),
            (LeadSourceStatus.Paused, LeadSourceEvent.Paused) => Reject(s, "The integration is already paused."),

            (LeadSourceStatus.Paused, LeadSourceEvent.Resumed) when s.PauseReason == LeadSourcePauseReason.Manual =>
                Accept(Unpaused(s, e.At), e),
            (LeadSourceStatus.Paused, LeadSourceEvent.Resumed) =>
                Reject(s, "The credentials expired: renew them; the integration resumes when validation passes."),
            (_, LeadSourceEvent.Resumed) => Reject(s, "The integration is not paused."),

            (_, LeadSourceEvent.CredentialsExpired expired) =>
                Accept(s with { Status = LeadSourceStatus.Paused, PauseReason = LeadSourcePauseReason.ExpiredCredentials, NextRetryAt = null, LastError = expired.Detail ?? "Expired credentials." }, e),

            (LeadSourceStatus.Paused, LeadSourceEvent.ValidationPassed) when s.PauseReason == LeadSourcePauseReason.ExpiredCredentials =>
                Accept(Unpaused(s, e.At) with { LastError = null }, e),
            (_, LeadSourceEvent.ValidationPassed) => Accept(s, e),

            (LeadSourceStatus.Paused, LeadSourceEvent.SyncFailed or LeadSourceEvent.SyncSucceeded) =>
                Reject(s, "A paused integration does not sync."),

            (_, LeadSourceEvent.SyncFailed failed) => Accept(s with
            {
                Status = LeadSourceStatus.FailedSync,
                FailedAttempts = s.FailedAttempts + 1,
                LastError = failed.Error,
                NextRetryAt = failed.At + RetryDelay(s.FailedAttempts + 1, retryDelay, maxRetryDelay),
            }, e),

            (_, LeadSourceEvent.SyncSucceeded ok) => Accept(s with
            {
                Status = LeadSourceStatus.Active,
                FailedAttempts = 0,
                LastError = null,
                NextRetryAt = null,
                LastSyncAt = ok.At,
            }, e),

            _ => Reject(s, $"{e.GetType().Name} is not allowed while {s.Status}."),
        };
    }

    /// <summary>The automatic retry delay after <paramref name="failedAttempts"/> failures in a row: base, 2×, 4×… capped.</summary>
    /// <param name="failedAttempts">Failures in a row (1 after the first).</param>
    /// <param name="retryDelay">The base delay.</param>
    /// <param name="maxRetryDelay">The cap.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan RetryDelay(int failedAttempts, TimeSpan retryDelay, TimeSpan maxRetryDelay)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 30);
        var ticks = Math.Min((double)retryDelay.Ticks * Math.Pow(2, exponent), maxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Returns whether a Failed Sync integration is due for its automatic retry.</summary>
    /// <param name="integration">The integration.</param>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when due.</returns>
    public static bool IsRetryDue(LeadSourceIntegration integration, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return integration.Status == LeadSourceStatus.FailedSync && integration.NextRetryAt is { } at && at <= now;
    }

    private static LeadSourceTransition Receive(LeadSourceIntegration s, LeadSourceEvent.LeadReceived lead)
    {
        var matches = string.Equals(lead.SourceValue, s.ExpectedSourceValue, StringComparison.Ordinal);
        var mismatch = matches ? null : new LeadSourceMismatch(lead.SourceValue, s.ExpectedSourceValue, lead.At);
        var next = s with { LeadsReceived = s.LeadsReceived + 1, LastMismatch = mismatch ?? s.LastMismatch, UpdatedAt = lead.At };
        if (s.Status == LeadSourceStatus.SetupIncomplete)
        {
            next = next with
            {
                Setup = next.Setup with
                {
                    LastReceivedSourceValue = lead.SourceValue,
                    LeadsReceivedDuringSetup = next.Setup.LeadsReceivedDuringSetup + 1,
                    TestLeadReceivedAt = next.Setup.TestLeadReceivedAt ?? (matches ? lead.At : null),
                },
            };
        }

        return new LeadSourceTransition(next, true, null, mismatch);
    }

    // Failures from before the pause are not forgotten: the integration goes back to Failed Sync and retries at once.
    private static LeadSourceIntegration Unpaused(LeadSourceIntegration s, DateTimeOffset at) => s with
    {
        Status = s.FailedAttempts > 0 ? LeadSourceStatus.FailedSync : LeadSourceStatus.Active,
        PauseReason = null,
        NextRetryAt = s.FailedAttempts > 0 ? at : null,
    };

    private static LeadSourceTransition Accept(LeadSourceIntegration next, LeadSourceEvent e) => new(next with { UpdatedAt = e.At }, true, null, null);

    private static LeadSourceTransition Reject(LeadSourceIntegration s, string why) => new(s, false, why, null);
}
