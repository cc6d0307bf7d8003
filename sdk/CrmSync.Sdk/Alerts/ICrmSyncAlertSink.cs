namespace CrmSync.Sdk;

/// <summary>Delivers alerts (email, in-app notification…). Implemented by the host; every registered sink receives every alert.</summary>
public interface ICrmSyncAlertSink
{
    /// <summary>Delivers an alert. Alerts are already stored for the nav badge before sinks run.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="cancellationToken">Cancels delivery.</param>
    /// <returns>A task that completes when delivered.</returns>
    Task SendAsync(CrmSyncAlert alert, CancellationToken cancellationToken = default);
}
