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
}
