namespace CrmSync.Sdk;

/// <summary>What a "Sync now" (or scheduled) run did.</summary>
public sealed record SyncRunResult
{
    /// <summary>Gets whether the run happened (false when another run holds the connection, or the connection cannot sync).</summary>
    public bool Ran { get; init; }

    /// <summary>Gets how it ended, when it ran.</summary>
    public SyncRunOutcome? Outcome { get; init; }

    /// <summary>Gets records synced.</summary>
    public int Synced { get; init; }

    /// <summary>Gets records skipped.</summary>
    public int Skipped { get; init; }

    /// <summary>Gets records failed.</summary>
    public int Failed { get; init; }

    /// <summary>Gets how long until the CRM accepts requests again, after a throttle or outage.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a plain-language message (the CRM's rate-limit rejection, the error, or why it did not run).</summary>
    public string? Message { get; init; }

    internal static SyncRunResult NotRun(string message) => new() { Ran = false, Message = message };
}
