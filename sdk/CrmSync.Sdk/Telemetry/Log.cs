using Microsoft.Extensions.Logging;

namespace CrmSync.Sdk;

/// <summary>Every log CrmSync writes. Messages carry ids and counts, never credentials or field values.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Sync run of connection {ConnectionId} ({Provider}) finished {Outcome}: {Synced} synced, {Skipped} skipped, {Failed} failed")]
    public static partial void RunFinished(ILogger logger, Guid connectionId, string provider, SyncRunOutcome outcome, int synced, int skipped, int failed);

    [LoggerMessage(2, LogLevel.Warning, "Connection {ConnectionId} ({Provider}) was throttled; retrying after {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, Guid connectionId, string provider, TimeSpan retryAfter);

    [LoggerMessage(3, LogLevel.Warning, "Connection {ConnectionId} ({Provider}) could not reach the CRM: {Error}")]
    public static partial void ProviderUnavailable(ILogger logger, Guid connectionId, string provider, string error);

    [LoggerMessage(4, LogLevel.Warning, "Connection {ConnectionId} ({Provider}) was revoked by the CRM: {Reason}")]
    public static partial void Revoked(ILogger logger, Guid connectionId, string provider, string reason);

    [LoggerMessage(5, LogLevel.Error, "Sync run of connection {ConnectionId} ({Provider}) failed: {Error}")]
    public static partial void RunFailed(ILogger logger, Guid connectionId, string provider, string error);

    [LoggerMessage(6, LogLevel.Warning, "Alert for tenant {TenantId}: {CrmName} raised {Kind} ({Failures} consecutive failed runs)")]
    public static partial void AlertRaised(ILogger logger, string tenantId, string crmName, CrmSyncAlertKind kind, int failures);

    [LoggerMessage(7, LogLevel.Error, "Alert sink {Sink} failed to deliver an alert")]
    public static partial void AlertSinkFailed(ILogger logger, string sink, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "Scheduler tick failed")]
    public static partial void SchedulerTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Access token of connection {ConnectionId} ({Provider}) refreshed")]
    public static partial void TokenRefreshed(ILogger logger, Guid connectionId, string provider);

    [LoggerMessage(10, LogLevel.Error, "Progress observer {Observer} failed")]
    public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "Accepted {Count} changes for tenant {TenantId} ({Duplicates} duplicates ignored)")]
    public static partial void Enqueued(ILogger logger, int count, string tenantId, int duplicates);

    [LoggerMessage(12, LogLevel.Warning, "Import run {RunId} ({Provider}) waits {Wait} before asking for the same page again")]
    public static partial void ImportWaiting(ILogger logger, Guid runId, string provider, TimeSpan wait);

    [LoggerMessage(13, LogLevel.Information, "Import run {RunId} finished {Status}: {Fetched} fetched, {Added} added, {Updated} updated, {Rejected} previously rejected")]
    public static partial void ImportFinished(ILogger logger, Guid runId, CrmImportRunStatus status, long fetched, long added, long updated, long rejected);

    [LoggerMessage(14, LogLevel.Error, "Import sink {Sink} failed to take {Count} approved records of tenant {TenantId}")]
    public static partial void ImportSinkFailed(ILogger logger, string sink, int count, string tenantId, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "Import run {RunId} of tenant {TenantId} could not be resumed")]
    public static partial void ImportResumeFailed(ILogger logger, Guid runId, string tenantId, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Scheduler resumed {Count} waiting import runs")]
    public static partial void ImportsResumed(ILogger logger, int count);

    [LoggerMessage(17, LogLevel.Error, "Scheduler could not resume waiting import runs")]
    public static partial void ImportResumeTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(18, LogLevel.Information, "Scheduler delivered {Count} approved import items of tenant {TenantId} that were waiting for delivery")]
    public static partial void ImportDeliveryRetried(ILogger logger, int count, string tenantId);

    [LoggerMessage(19, LogLevel.Warning, "Scheduler retry of approved import items of tenant {TenantId} failed; the next tick tries again: {Error}")]
    public static partial void ImportDeliveryRetryFailed(ILogger logger, string tenantId, string error);

    [LoggerMessage(20, LogLevel.Error, "Scheduler could not retry deliveries of approved import items")]
    public static partial void ImportDeliveryTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "Scheduler retried lead-source integration {IntegrationId} of tenant {TenantId}: {Outcome}")]
    public static partial void LeadSourceRetried(ILogger logger, Guid integrationId, string tenantId, string outcome);

    [LoggerMessage(22, LogLevel.Error, "Scheduler could not retry lead-source integrations")]
    public static partial void LeadSourceRetryTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(40, LogLevel.Warning, "Run of connection {ConnectionId} lost its lease to another run; it stopped and its late writes were refused")]
    public static partial void LeaseLost(ILogger logger, Guid connectionId);

    [LoggerMessage(41, LogLevel.Warning, "Renewing the lease of connection {ConnectionId} failed; the next heartbeat tries again")]
    public static partial void LeaseRenewFailed(ILogger logger, Guid connectionId, Exception exception);

    [LoggerMessage(42, LogLevel.Information, "Instance {InstanceId} took back {Count} leases its previous process left")]
    public static partial void LeasesTakenBack(ILogger logger, string instanceId, int count);

    [LoggerMessage(43, LogLevel.Error, "Run of connection {ConnectionId} of tenant {TenantId} stopped with an unexpected error")]
    public static partial void RunCrashed(ILogger logger, Guid connectionId, string tenantId, Exception exception);

    [LoggerMessage(61, LogLevel.Error, "A change feed handler failed")]
    public static partial void ChangeHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(62, LogLevel.Error, "Alert recipients could not be resolved; the alert is stored without recipients")]
    public static partial void AlertRecipientsFailed(ILogger logger, Exception exception);

    [LoggerMessage(63, LogLevel.Information, "Connection {ConnectionId} of tenant {TenantId} was deleted with its local history; nothing in the CRM was touched")]
    public static partial void ConnectionDeleted(ILogger logger, Guid connectionId, string tenantId);

    [LoggerMessage(60, LogLevel.Warning, "crm_sync workflow step could not push to connection {ConnectionId} ({Provider}): {ErrorType}; the lead stays queued")]
    public static partial void WorkflowStepFailed(ILogger logger, Guid connectionId, string provider, string errorType);

    [LoggerMessage(64, LogLevel.Warning, "The field mapping of connection {ConnectionId} was saved without checking {Provider}'s fields: {ErrorType}")]
    public static partial void FieldCatalogUnavailable(ILogger logger, Guid connectionId, string provider, string errorType);
}
