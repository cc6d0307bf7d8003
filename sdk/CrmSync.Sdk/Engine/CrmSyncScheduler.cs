using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>Runs due connections on a <see cref="TimeProvider"/> timer and purges old history once a day.</summary>
internal sealed class CrmSyncScheduler : BackgroundService
{
    private readonly SyncEngine _engine;
    private readonly ICrmSyncStore _store;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CrmSyncScheduler> _logger;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public CrmSyncScheduler(SyncEngine engine, ICrmSyncStore store, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, ILogger<CrmSyncScheduler> logger)
    {
        _engine = engine;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            if (options.EnableScheduler)
            {
                await TickAsync(options, stoppingToken).ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(options.SchedulerPollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task TickAsync(CrmSyncOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (now - _lastPurge > TimeSpan.FromDays(1))
            {
                _lastPurge = now;
                await _store.PurgeAsync(now - options.Retention, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad tick must not stop the scheduler; the next tick tries again.
            Log.SchedulerTickFailed(_logger, ex);
        }
    }
}

/// <summary>Creates or migrates the store's schema when the host starts.</summary>
internal sealed class CrmSyncStoreInitializer(ICrmSyncStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
