using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// Runs due connections concurrently (up to <see cref="CrmSyncOptions.MaxConcurrentRuns"/>, in due order) on a <see cref="TimeProvider"/> timer and purges old history once a day. With an import store,
/// each tick also resumes import runs whose rate-limit wait is over and retries delivering approved import items that
/// have not reached the host's <see cref="ICrmImportSink"/> (after a sink failure, or newer versions fetched later), and
/// with an <see cref="ICrmLeadSourceRetryHandler"/> it retries lead-source integrations whose automatic retry is due.
/// Every part is guarded on its own: one failure is logged and never stops the rest of the tick or the next one.
/// </summary>
internal sealed class CrmSyncScheduler : BackgroundService
{
    private const int MaxDeliveryTenantsPerTick = 100;

    private readonly SyncEngine _engine;
    private readonly ICrmSyncStore _store;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CrmSyncScheduler> _logger;
    private readonly IServiceProvider _services;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public CrmSyncScheduler(SyncEngine engine, ICrmSyncStore store, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, ILogger<CrmSyncScheduler> logger, IServiceProvider services)
    {
        _engine = engine;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _services = services;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs are dispatched, not awaited as a batch: each due connection takes a slot (up to MaxConcurrentRuns, in due
        // order) and frees it when it ends, so a slow or throttled CRM holds one slot and delays no other tenant.
        var running = new List<Task>();
        var lastHousekeeping = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            if (options.EnableScheduler)
            {
                running.RemoveAll(t => t.IsCompleted);
                var free = Math.Min(options.MaxConcurrentRuns - running.Count, options.MaxConnectionsPerTick);
                if (free > 0)
                {
                    try
                    {
                        running.AddRange(await _engine.StartDueAsync(free, stoppingToken).ConfigureAwait(false));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Log.SchedulerTickFailed(_logger, ex);
                    }
                }

                var now = _time.GetUtcNow();
                if (now - lastHousekeeping >= options.SchedulerPollInterval)
                {
                    lastHousekeeping = now;
                    await HousekeepingAsync(options, stoppingToken).ConfigureAwait(false);
                }
            }

            // Wake at the next poll, or as soon as a run ends and frees a slot that due work may be waiting for.
            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny([Task.Delay(options.SchedulerPollInterval, _time, wake.Token), .. running]).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
        }

        // Each run task ends on its own (a stopping host cancels it) and never faults.
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>One pass of everything the scheduler does, awaiting the runs it starts (tests and hosts driving the scheduler by hand).</summary>
    internal async Task TickAsync(CrmSyncOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad tick must not stop the scheduler; the next tick tries again.
            Log.SchedulerTickFailed(_logger, ex);
        }

        await HousekeepingAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task HousekeepingAsync(CrmSyncOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetUtcNow();
            if (now - _lastPurge > TimeSpan.FromDays(1))
            {
                _lastPurge = now;
                await _store.PurgeAsync(now - options.Retention, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SchedulerTickFailed(_logger, ex);
        }

        var imports = _services.GetService<ICrmImportStore>() ?? _store as ICrmImportStore;
        if (imports is null)
        {
            return;
        }

        var client = _services.GetRequiredService<CrmImportClient>();
        await ResumeDueImportsAsync(client, cancellationToken).ConfigureAwait(false);
        await RetryDeliveriesAsync(client, imports, options, cancellationToken).ConfigureAwait(false);
        await RetryLeadSourcesAsync(options, cancellationToken).ConfigureAwait(false);
    }

    private async Task RetryLeadSourcesAsync(CrmSyncOptions options, CancellationToken cancellationToken)
    {
        if (_services.GetService<ICrmLeadSourceRetryHandler>() is not { } handler)
        {
            return;
        }

        var leadSources = _services.GetRequiredService<CrmLeadSourceClient>();
        IReadOnlyList<LeadSourceIntegration> due;
        try
        {
            due = await leadSources.GetDueRetriesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LeadSourceRetryTickFailed(_logger, ex);
            return;
        }

        foreach (var candidate in due)
        {
            try
            {
                // The claim holds for a lease, so another instance's tick skips it and a crashed retry comes back later.
                var integration = await leadSources.TryClaimRetryAsync(candidate.TenantId, candidate.Id, options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                if (integration is null)
                {
                    continue;
                }

                string? error = null;
                try
                {
                    await handler.RetryAsync(integration, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = $"{ex.GetType().Name}: {ex.Message}";
                }

                var transition = await leadSources.ReportSyncAsync(integration.TenantId, integration.Id, succeeded: error is null, error, cancellationToken).ConfigureAwait(false);
                Log.LeadSourceRetried(_logger, integration.Id, integration.TenantId, error is null ? "synced" : $"failed again, next retry at {transition.Integration.NextRetryAt:O}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeadSourceRetryTickFailed(_logger, ex);
            }
        }
    }

    private async Task ResumeDueImportsAsync(CrmImportClient client, CancellationToken cancellationToken)
    {
        try
        {
            var resumed = await client.ResumeDueImportsAsync(cancellationToken).ConfigureAwait(false);
            if (resumed > 0)
            {
                Log.ImportsResumed(_logger, resumed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ImportResumeTickFailed(_logger, ex);
        }
    }

    private async Task RetryDeliveriesAsync(CrmImportClient client, ICrmImportStore imports, CrmSyncOptions options, CancellationToken cancellationToken)
    {
        if (_services.GetService<ICrmImportSink>() is null)
        {
            return;
        }

        IReadOnlyList<string> tenants;
        try
        {
            // Only items that settled a while ago: a delivery that a user's approval is making right now is left to it.
            tenants = await imports.GetTenantsAwaitingDeliveryAsync(_time.GetUtcNow() - options.Import.DeliveryRetryDelay, MaxDeliveryTenantsPerTick, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ImportDeliveryTickFailed(_logger, ex);
            return;
        }

        foreach (var tenantId in tenants)
        {
            try
            {
                var result = await client.DeliverApprovedAsync(tenantId, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (result.Delivered > 0)
                {
                    Log.ImportDeliveryRetried(_logger, result.Delivered, tenantId);
                }

                if (result.DeliveryError is { } error)
                {
                    Log.ImportDeliveryRetryFailed(_logger, tenantId, error);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ImportDeliveryRetryFailed(_logger, tenantId, SecretRedactor.Redact($"{ex.GetType().Name}: {ex.Message}"));
            }
        }
    }
}

/// <summary>Creates or migrates the store's schema when the host starts.</summary>
internal sealed class CrmSyncStoreInitializer(ICrmSyncStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
