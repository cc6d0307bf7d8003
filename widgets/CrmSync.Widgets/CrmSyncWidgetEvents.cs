namespace CrmSync.Widgets;

/// <summary>
/// Tells the widgets of one circuit (one DI scope) that a connection changed: a run finished, records were re-queued,
/// settings were saved or the connection was connected or disconnected. Widgets that show that connection reload.
/// Hosts may raise it too, for example after their own <c>SyncNowAsync</c> call.
/// </summary>
public sealed class CrmSyncWidgetEvents
{
    /// <summary>Raised after a connection changed; the argument is the connection id.</summary>
    public event Func<Guid, Task>? ConnectionChanged;

    /// <summary>Tells every listening widget that <paramref name="connectionId"/> changed.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <returns>A task that completes when every widget has reloaded.</returns>
    public async Task NotifyConnectionChangedAsync(Guid connectionId)
    {
        var handlers = ConnectionChanged;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<Guid, Task>>())
        {
            await handler(connectionId);
        }
    }
}
