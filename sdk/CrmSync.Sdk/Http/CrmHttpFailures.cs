using System.Net.Sockets;

namespace CrmSync.Sdk.Http;

/// <summary>
/// Maps transport failures and HTTP statuses to the CrmSync exceptions the engine understands, without secrets:
/// outages and timeouts become <see cref="CrmProviderUnavailableException"/> (a wait, not a failure).
/// </summary>
public static class CrmHttpFailures
{
    private const int MaxBodyLength = 500;

    /// <summary>Returns whether an HTTP status means the CRM is failing or overloaded and the request may succeed later (408, 500, 502, 503, 504 and 520–524).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns><see langword="true"/> for transient statuses.</returns>
    public static bool IsTransientStatus(int status) => status is 408 or 500 or 502 or 503 or 504 or (>= 520 and <= 524);

    /// <summary>
    /// Returns whether <paramref name="exception"/> is a transport failure: a dropped or refused connection
    /// (<see cref="HttpRequestException"/>, <see cref="IOException"/>, <see cref="SocketException"/>), a timeout
    /// (<see cref="TimeoutException"/>, Polly's <c>TimeoutRejectedException</c>, or a <see cref="TaskCanceledException"/>
    /// that <paramref name="cancellationToken"/> did not cause) or an open circuit (Polly's <c>BrokenCircuitException</c>).
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token: a cancellation it requested is not a transport failure.</param>
    /// <returns><see langword="true"/> when the CRM could not be reached.</returns>
    public static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException
            || exception.GetType().FullName is "Polly.Timeout.TimeoutRejectedException" or "Polly.CircuitBreaker.BrokenCircuitException" or "Polly.CircuitBreaker.IsolatedCircuitException";
    }

    /// <summary>Builds the exception for a CRM that could not be reached.</summary>
    /// <param name="exception">The transport failure (see <see cref="IsTransportFailure"/>).</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="displayName">The CRM name users see.</param>
    /// <returns>The exception to throw.</returns>
    public static CrmProviderUnavailableException Unavailable(Exception exception, string provider, string displayName)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var what = exception switch
        {
            TimeoutException or OperationCanceledException => $"{displayName} did not answer in time",
            _ when exception.GetType().Name == "TimeoutRejectedException" => $"{displayName} did not answer in time",
            _ when exception.GetType().Name.EndsWith("CircuitException", StringComparison.Ordinal) => $"{displayName} is failing; requests are paused for a moment",
            _ => $"The connection to {displayName} failed",
        };
        return new CrmProviderUnavailableException($"{what}.", provider, innerException: exception);
    }

    /// <summary>Builds the exception for a transient HTTP status (see <see cref="IsTransientStatus"/>).</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="displayName">The CRM name users see.</param>
    /// <param name="retryAfter">The CRM's <c>Retry-After</c>, when sent.</param>
    /// <returns>The exception to throw.</returns>
    public static CrmProviderUnavailableException Unavailable(int status, string provider, string displayName, TimeSpan? retryAfter = null) =>
        new($"{displayName} answered HTTP {status}: it is failing or overloaded.", provider, status, retryAfter);

    /// <summary>Prepares a CRM response body for a message: masks credentials, collapses whitespace and truncates.</summary>
    /// <param name="body">The body.</param>
    /// <param name="secrets">Secret values to mask wherever they appear (see <see cref="CrmCredentials.Secrets"/>).</param>
    /// <returns>Text safe to log or show.</returns>
    public static string DescribeBody(string? body, IEnumerable<string?>? secrets = null)
    {
        var text = secrets is null ? SecretRedactor.Redact(body) : SecretRedactor.Redact(body, secrets);
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= MaxBodyLength ? text : string.Concat(text.AsSpan(0, MaxBodyLength), "…");
    }
}
