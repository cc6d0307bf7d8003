namespace CrmSync.Sdk;

/// <summary>
/// Retries the sync of a lead-source integration in Failed Sync once its automatic retry is due: the hosted scheduler
/// calls it on its tick and reports the outcome through the state machine (returning = the sync worked and the
/// integration is Active again; throwing = it failed again and the next retry waits twice as long). Register with
/// <c>builder.AddLeadSourceRetryHandler&lt;T&gt;()</c>; without one, hosts call <see cref="CrmLeadSourceClient.GetDueRetriesAsync"/> themselves.
/// </summary>
public interface ICrmLeadSourceRetryHandler
{
    /// <summary>Syncs the integration again.</summary>
    /// <param name="integration">The integration whose retry is due.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task; it faults when the sync failed.</returns>
    Task RetryAsync(LeadSourceIntegration integration, CancellationToken cancellationToken = default);
}
