namespace CrmSync.Sdk;

/// <summary>The CRM is unreachable or failing (5xx, timeouts, dropped connections). A wait, not a failure.</summary>
public sealed class CrmProviderUnavailableException : CrmSyncException
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The message, without secrets.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="status">The HTTP status, when a response arrived.</param>
    /// <param name="retryAfter">How long to wait, when the CRM says.</param>
    /// <param name="innerException">The cause.</param>
    public CrmProviderUnavailableException(string message, string? provider, int? status = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, provider, innerException)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP status, when a response arrived.</summary>
    public int? Status { get; }

    /// <summary>Gets how long to wait, when known.</summary>
    public TimeSpan? RetryAfter { get; }
}
