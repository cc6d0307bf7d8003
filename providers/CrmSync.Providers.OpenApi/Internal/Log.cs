using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.OpenApi.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "{Provider} throttled connection {ConnectionId}; waiting {Wait}.")]
    public static partial void Throttled(ILogger logger, string provider, Guid connectionId, TimeSpan wait);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "{Provider} did not confirm a create for connection {ConnectionId}; the next attempt searches before creating again.")]
    public static partial void WriteUncertain(ILogger logger, string provider, Guid connectionId);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information, Message = "{Provider} issued a new app token (client credentials).")]
    public static partial void AppTokenIssued(ILogger logger, string provider);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Information, Message = "{Provider} answered 412 to an update of connection {ConnectionId}; re-reading the record and retrying once.")]
    public static partial void StaleETag(ILogger logger, string provider, Guid connectionId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Information, Message = "{Provider} already held a contact with the same email or phone for connection {ConnectionId}; CrmSync updated it instead of creating a second one.")]
    public static partial void Adopted(ILogger logger, string provider, Guid connectionId);
}
