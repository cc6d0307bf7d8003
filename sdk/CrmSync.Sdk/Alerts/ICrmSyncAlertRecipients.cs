namespace CrmSync.Sdk;

/// <summary>
/// Names who receives an alert: the host knows its users and roles, CrmSync does not. The sample portal returns the
/// organisation owner (note 001). Without one, alerts carry no recipients and each <see cref="ICrmSyncAlertSink"/> decides.
/// </summary>
public interface ICrmSyncAlertRecipients
{
    /// <summary>Returns who should receive <paramref name="alert"/>.</summary>
    /// <param name="alert">The alert, before it is stored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recipients; empty for nobody in particular.</returns>
    Task<IReadOnlyList<CrmSyncAlertRecipient>> GetRecipientsAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default);
}
