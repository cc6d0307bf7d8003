using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.HubSpot;

/// <summary>Logs of the HubSpot provider. Ids and counts only: never tokens or field values.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Created the unique HubSpot property {Property} on {ObjectType} for connection {ConnectionId}")]
    public static partial void PropertyCreated(ILogger logger, string property, string objectType, Guid connectionId);

    [LoggerMessage(1002, LogLevel.Warning, "HubSpot rejected the credentials of connection {ConnectionId} after a refresh")]
    public static partial void CredentialsRejected(ILogger logger, Guid connectionId);

    [LoggerMessage(1003, LogLevel.Warning, "HubSpot throttled connection {ConnectionId} ({Policy}); waiting {Wait}")]
    public static partial void Throttled(ILogger logger, Guid connectionId, string policy, TimeSpan wait);

    [LoggerMessage(1004, LogLevel.Information, "Linked {Count} existing HubSpot {ObjectType} records to their external ids for connection {ConnectionId}")]
    public static partial void Adopted(ILogger logger, int count, string objectType, Guid connectionId);

    [LoggerMessage(1005, LogLevel.Warning, "HubSpot refused to create the external-id property {Property} on {ObjectType} for connection {ConnectionId} ({Category}); no records were sent")]
    public static partial void PropertyRefused(ILogger logger, string property, string objectType, Guid connectionId, string category);
}
