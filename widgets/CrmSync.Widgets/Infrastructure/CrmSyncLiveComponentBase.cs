using CrmSync.Sdk;
using Microsoft.AspNetCore.Components;

namespace CrmSync.Widgets;

/// <summary>
/// The base of widgets that load data through <see cref="CrmSync.Sdk.CrmSyncClient"/>: they load when their parameters change,
/// reload when the SDK's <see cref="CrmSyncChangeFeed"/> announces a change of their tenant (a run, the ledger, alerts, the inbox),
/// so every widget on a page updates together, and when <see cref="CrmSyncWidgetEvents"/> reports a change in this circuit.
/// When <see cref="Polls"/>, they also reload every <see cref="CrmSyncWidgetOptions.RefreshInterval"/> on the registered
/// <see cref="System.TimeProvider"/>, as a fallback for changes made by other host instances.
/// </summary>
public abstract class CrmSyncLiveComponentBase : CrmSyncComponentBase, IDisposable
{
    private ITimer? _timer;
    private bool _disposed;
    private IDisposable? _feed;
    private string? _feedTenant;
    private bool _feedReloading;
    private bool _feedReloadAgain;

    /// <summary>Gets or sets the change notifications of this circuit.</summary>
    [Inject]
    protected CrmSyncWidgetEvents Events { get; set; } = default!;

    /// <summary>Gets whether the first load finished.</summary>
    protected bool IsLoaded { get; private set; }

    /// <summary>Gets the error of the last load, or <see langword="null"/>.</summary>
    protected string? LoadError { get; private set; }

    /// <summary>Gets whether the widget reloads on a timer as well. Defaults to <see langword="false"/>.</summary>
    protected virtual bool Polls => false;

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Loads the widget's data. Called on every parameter change, change notification and poll.</summary>
    /// <returns>A task.</returns>
    protected abstract Task LoadAsync();

    /// <summary>Returns whether a change of <paramref name="connectionId"/> concerns this widget. Defaults to every connection.</summary>
    /// <param name="connectionId">The changed connection.</param>
    /// <returns><see langword="true"/> to reload.</returns>
    protected virtual bool IsAbout(Guid connectionId) => true;

    /// <summary>Tells every widget of the circuit, this one included, that a connection changed.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <returns>A task.</returns>
    protected Task NotifyChangedAsync(Guid connectionId) => Events.NotifyConnectionChangedAsync(connectionId);

    /// <inheritdoc />
    protected override void OnInitialized()
    {
        Events.ConnectionChanged += OnConnectionChangedAsync;
        if (Polls && WidgetOptions.Value.RefreshInterval is { } interval && interval > TimeSpan.Zero)
        {
            _timer = TimeProvider.CreateTimer(_ => _ = InvokeAsync(PollAsync), null, interval, interval);
        }
    }

    /// <inheritdoc />
    protected override Task OnParametersSetAsync()
    {
        SubscribeToFeed();
        return ReloadAsync();
    }

    /// <summary>Reloads the data and records a load error instead of throwing.</summary>
    /// <returns>A task.</returns>
    protected async Task ReloadAsync()
    {
        try
        {
            await LoadAsync();
            LoadError = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LoadError = ErrorText(ex);
        }

        IsLoaded = true;
    }

    /// <summary>Releases the timer and the change subscription.</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            Events.ConnectionChanged -= OnConnectionChangedAsync;
            _feed?.Dispose();
            _timer?.Dispose();
        }
    }

    private void SubscribeToFeed()
    {
        var tenant = !string.IsNullOrWhiteSpace(TenantId) ? TenantId : CascadingTenant?.TenantId;
        if (string.Equals(tenant, _feedTenant, StringComparison.Ordinal))
        {
            return;
        }

        _feed?.Dispose();
        _feed = null;
        _feedTenant = tenant;
        if (!string.IsNullOrWhiteSpace(tenant))
        {
            _feed = Client.Changes.Subscribe(tenant, OnFeedChange);
        }
    }

    private Task OnFeedChange(CrmSyncChange change)
    {
        if (_disposed || (change.ConnectionId is { } id && !IsAbout(id)))
        {
            return Task.CompletedTask;
        }

        // Hand the reload to the renderer and return at once: the sync that published must not wait for the page.
        _ = InvokeAsync(ReloadFromFeedAsync);
        return Task.CompletedTask;
    }

    private async Task ReloadFromFeedAsync()
    {
        // A burst of changes (a run announces facts, runs and ledger) costs one reload, plus one more if changes came meanwhile.
        if (_feedReloading)
        {
            _feedReloadAgain = true;
            return;
        }

        _feedReloading = true;
        try
        {
            do
            {
                _feedReloadAgain = false;
                if (_disposed)
                {
                    return;
                }

                await ReloadAsync();
                StateHasChanged();
            }
            while (_feedReloadAgain);
        }
        finally
        {
            _feedReloading = false;
        }
    }

    private async Task PollAsync()
    {
        if (_disposed)
        {
            return;
        }

        await ReloadAsync();
        StateHasChanged();
    }

    private async Task OnConnectionChangedAsync(Guid connectionId)
    {
        if (_disposed || !IsAbout(connectionId))
        {
            return;
        }

        await InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        });
    }
}
