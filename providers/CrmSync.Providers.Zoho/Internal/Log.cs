using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.Zoho.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Zoho CRM throttled connection {ConnectionId} ({Code}); waiting {Wait}.")]
    public static partial void Throttled(ILogger logger, Guid connectionId, string code, TimeSpan wait);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "A Zoho CRM write for connection {ConnectionId} got no answer; its {Count} records are checked before they are created again.")]
    public static partial void WriteUncertain(ILogger logger, Guid connectionId, int count);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Zoho Accounts refused to refresh a token: {Error}")]
    public static partial void RefreshRefused(ILogger logger, string error);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Information, Message = "Created the external-id field {ApiName} on Zoho CRM {Module} for connection {ConnectionId}.")]
    public static partial void ExternalIdFieldCreated(ILogger logger, string apiName, string module, Guid connectionId);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Zoho CRM refused to create the external-id field on {Module} for connection {ConnectionId} ({Code}); an admin must create it.")]
    public static partial void ExternalIdFieldRefused(ILogger logger, string module, Guid connectionId, string code);
}
