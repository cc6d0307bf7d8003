using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.Pipedrive.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Created the Pipedrive person field '{FieldName}' ({FieldCode}) for connection {ConnectionId}.")]
    public static partial void ExternalIdFieldCreated(ILogger logger, string fieldName, string fieldCode, Guid connectionId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Pipedrive throttled connection {ConnectionId} ({Policy}); waiting {Wait}.")]
    public static partial void Throttled(ILogger logger, Guid connectionId, string policy, TimeSpan wait);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Pipedrive answered with its HTML block page for connection {ConnectionId} after repeated 429s; pausing for {Wait}.")]
    public static partial void Blocked(ILogger logger, Guid connectionId, TimeSpan wait);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "A Pipedrive write for connection {ConnectionId} got no answer; the record is checked before it is created again.")]
    public static partial void WriteUncertain(ILogger logger, Guid connectionId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Pipedrive refused to refresh the access token of a connection: {Reason}")]
    public static partial void RefreshRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Pipedrive refused to create the person field '{FieldName}' for connection {ConnectionId} ({Code}); no persons were sent.")]
    public static partial void ExternalIdFieldRefused(ILogger logger, string fieldName, Guid connectionId, string code);
}
