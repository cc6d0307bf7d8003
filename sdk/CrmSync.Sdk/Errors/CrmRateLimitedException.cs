namespace CrmSync.Sdk;

/// <summary>The CRM throttled the request. A wait, not a failure: the engine retries after <see cref="RetryAfter"/>.</summary>
public sealed class CrmRateLimitedException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="retryAfter">How long to wait, when the CRM says.</param>
    /// <param name="isDailyLimit">Whether the daily quota is spent (the connection pauses until it resets).</param>
    /// <param name="policyName">The CRM's name for the limit that was hit.</param>
    public CrmRateLimitedException(string message, string? provider, TimeSpan? retryAfter, bool isDailyLimit = false, string? policyName = null)
        : base(message, provider)
    {
        RetryAfter = retryAfter;
        IsDailyLimit = isDailyLimit;
        PolicyName = policyName;
    }

    /// <summary>Gets how long to wait, when known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets whether the daily quota is spent.</summary>
    public bool IsDailyLimit { get; }

    /// <summary>Gets the CRM's name for the limit (for example <c>DAILY</c> or <c>TEN_SECONDLY_ROLLING</c>).</summary>
    public string? PolicyName { get; }

    /// <summary>
    /// Gets when the limit resets, when known (a spent daily quota). The message stays free of dates; show this time to people in
    /// their own zone and words.
    /// </summary>
    public DateTimeOffset? ResetsAt { get; init; }
}
