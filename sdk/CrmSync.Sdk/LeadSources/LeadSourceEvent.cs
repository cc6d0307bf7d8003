namespace CrmSync.Sdk;

/// <summary>Something that happened to a lead-source integration; input of <see cref="LeadSourceStateMachine.Apply"/>.</summary>
/// <param name="At">When it happened.</param>
public abstract record LeadSourceEvent(DateTimeOffset At)
{
    /// <summary>A lead arrived from the partner.</summary>
    /// <param name="At">When.</param>
    /// <param name="SourceValue">The lead's source value.</param>
    public sealed record LeadReceived(DateTimeOffset At, string? SourceValue) : LeadSourceEvent(At);

    /// <summary>A user pressed "Complete setup".</summary>
    /// <param name="At">When.</param>
    /// <param name="By">Who.</param>
    public sealed record SetupCompleted(DateTimeOffset At, string By) : LeadSourceEvent(At);

    /// <summary>A user paused the integration.</summary>
    /// <param name="At">When.</param>
    /// <param name="By">Who.</param>
    public sealed record Paused(DateTimeOffset At, string By) : LeadSourceEvent(At);

    /// <summary>A user resumed a manually paused integration.</summary>
    /// <param name="At">When.</param>
    /// <param name="By">Who.</param>
    public sealed record Resumed(DateTimeOffset At, string By) : LeadSourceEvent(At);

    /// <summary>The validation process found the credentials expired.</summary>
    /// <param name="At">When.</param>
    /// <param name="Detail">What validation found, without secrets.</param>
    public sealed record CredentialsExpired(DateTimeOffset At, string? Detail) : LeadSourceEvent(At);

    /// <summary>The validation process found the credentials and permissions valid.</summary>
    /// <param name="At">When.</param>
    public sealed record ValidationPassed(DateTimeOffset At) : LeadSourceEvent(At);

    /// <summary>A sync attempt failed.</summary>
    /// <param name="At">When.</param>
    /// <param name="Error">The error, without secrets.</param>
    public sealed record SyncFailed(DateTimeOffset At, string Error) : LeadSourceEvent(At);

    /// <summary>A sync attempt succeeded.</summary>
    /// <param name="At">When.</param>
    public sealed record SyncSucceeded(DateTimeOffset At) : LeadSourceEvent(At);
}

/// <summary>The outcome of applying an event.</summary>
/// <param name="Integration">The integration after the event (unchanged when rejected).</param>
/// <param name="Accepted">Whether the event was allowed in the current status.</param>
/// <param name="Rejection">Why not, when rejected.</param>
/// <param name="Mismatch">The wrong source value report, when the event was a lead with one.</param>
public sealed record LeadSourceTransition(LeadSourceIntegration Integration, bool Accepted, string? Rejection, LeadSourceMismatch? Mismatch);
