using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace CrmSync.Sdk.Http;

/// <summary>
/// Replaces the default <c>IHttpClientFactory</c> request logging on every provider client (see
/// <see cref="Microsoft.Extensions.DependencyInjection.CrmProviderRegistration.UseHeaderFreeLogging"/>). The default logger
/// redacts header values in its message text but hands the raw values (an API key header, a bearer token) to structured
/// logging sinks at Trace level; this one logs method, path (no query: it carries emails and phone numbers), status and
/// time, and no header.
/// </summary>
internal sealed partial class HeaderFreeHttpLogger(ILogger logger, string provider) : IHttpClientLogger
{
    /// <summary>The logger category of provider HTTP requests.</summary>
    public const string Category = "CrmSync.Http";

    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        RequestEnded(logger, provider, request.Method.Method, request.RequestUri?.AbsolutePath ?? string.Empty, (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        RequestFailed(logger, provider, request.Method.Method, request.RequestUri?.AbsolutePath ?? string.Empty, exception.GetType().Name, elapsed.TotalMilliseconds);

    [LoggerMessage(EventId = 9110, Level = LogLevel.Debug, Message = "{Provider} {Method} {Path} answered {Status} in {ElapsedMilliseconds:0.0} ms.")]
    private static partial void RequestEnded(ILogger logger, string provider, string method, string path, int status, double elapsedMilliseconds);

    [LoggerMessage(EventId = 9111, Level = LogLevel.Debug, Message = "{Provider} {Method} {Path} failed ({Error}) after {ElapsedMilliseconds:0.0} ms.")]
    private static partial void RequestFailed(ILogger logger, string provider, string method, string path, string error, double elapsedMilliseconds);
}
