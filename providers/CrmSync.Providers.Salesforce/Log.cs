using Microsoft.Extensions.Logging;

namespace CrmSync.Providers.Salesforce;

/// <summary>Logs of the Salesforce provider. Ids and counts only: never tokens or field values.</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Warning, "Salesforce rejected the session of connection {ConnectionId} after a refresh")]
    public static partial void CredentialsRejected(ILogger logger, Guid connectionId);

    [LoggerMessage(2002, LogLevel.Warning, "Salesforce refused a request of connection {ConnectionId} with REQUEST_LIMIT_EXCEEDED (daily: {Daily}); waiting {Wait}")]
    public static partial void Throttled(ILogger logger, Guid connectionId, bool daily, TimeSpan wait);

    [LoggerMessage(2003, LogLevel.Information, "Created the external-id field {Field} on {SObject} for connection {ConnectionId} and granted field-level security to permission set {PermissionSetId}")]
    public static partial void ExternalIdFieldCreated(ILogger logger, string field, string sObject, Guid connectionId, string permissionSetId);

    [LoggerMessage(2004, LogLevel.Warning, "Salesforce refused to set up the external-id field {Field} on {SObject} for connection {ConnectionId} ({Step}: HTTP {Status} {ErrorCode})")]
    public static partial void ExternalIdFieldRefused(ILogger logger, string field, string sObject, Guid connectionId, string step, int status, string? errorCode);
}
