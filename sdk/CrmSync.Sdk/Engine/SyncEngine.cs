using System.Diagnostics;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// Drains the outbox of leased connections in provider-sized batches and turns what happens into
/// record outcomes, runs, log entries, status facts and alerts.
/// </summary>
internal sealed class SyncEngine
{
    private readonly ICrmSyncStore _store;
    private readonly CrmProviderRegistry _providers;
    private readonly CrmContextFactory _contexts;
    private readonly AlertDispatcher _alerts;
    private readonly CrmSyncChangeFeed _changes;
    private readonly ICrmSyncProgressObserver[] _observers;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly CrmSyncInstruments _instruments;
    private readonly ILogger<SyncEngine> _logger;
    private readonly string _incarnation = Guid.NewGuid().ToString("N");
    private int _leasesTakenBack;

    public SyncEngine(
        ICrmSyncStore store,
        CrmProviderRegistry providers,
        CrmContextFactory contexts,
        AlertDispatcher alerts,
        CrmSyncChangeFeed changes,
        IEnumerable<ICrmSyncProgressObserver> observers,
        IOptionsMonitor<CrmSyncOptions> options,
        TimeProvider time,
        CrmSyncInstruments instruments,
        ILogger<SyncEngine> logger)
    {
        _store = store;
        _providers = providers;
        _contexts = contexts;
        _alerts = alerts;
        _changes = changes;
        _observers = observers.ToArray();
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;
    }

    /// <summary>Runs every due connection once, up to <see cref="CrmSyncOptions.MaxConcurrentRuns"/> at a time, starting them in due order.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        await TakeBackLeasesAsync(cancellationToken).ConfigureAwait(false);
        var due = await _store.GetDueConnectionsAsync(_time.GetUtcNow(), options.MaxConnectionsPerTick, cancellationToken).ConfigureAwait(false);
        var ran = 0;
        using var slots = new SemaphoreSlim(options.MaxConcurrentRuns, options.MaxConcurrentRuns);
        var runs = new List<Task>(due.Count);
        foreach (var (tenantId, connectionId) in due)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            runs.Add(RunInSlotAsync(tenantId, connectionId));
        }

        await Task.WhenAll(runs).ConfigureAwait(false);
        return ran;

        async Task RunInSlotAsync(string tenantId, Guid connectionId)
        {
            try
            {
                if ((await RunConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)).Ran)
                {
                    Interlocked.Increment(ref ran);
                }
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// Starts up to <paramref name="max"/> due connections without waiting for them (the hosted scheduler's dispatch: a
    /// slow run holds its slot while the others come and go). Each returned task completes when its run ends and never faults.
    /// </summary>
    public async Task<IReadOnlyList<Task>> StartDueAsync(int max, CancellationToken cancellationToken)
    {
        await TakeBackLeasesAsync(cancellationToken).ConfigureAwait(false);
        var due = await _store.GetDueConnectionsAsync(_time.GetUtcNow(), max, cancellationToken).ConfigureAwait(false);
        return due.Select(d => Task.Run(() => RunGuardedAsync(d.TenantId, d.ConnectionId, cancellationToken), CancellationToken.None)).ToList();
    }

    /// <summary>Leases and runs one connection, renewing the lease while the run works.</summary>
    public async Task<SyncRunResult> RunConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken)
    {
        var duration = _options.CurrentValue.LeaseDuration;
        var lease = new SyncLease(_options.CurrentValue.InstanceId, _incarnation, Guid.NewGuid().ToString("N"));
        var now = _time.GetUtcNow();
        if (!await _store.TryAcquireLeaseAsync(connectionId, lease, now, now + duration, cancellationToken).ConfigureAwait(false))
        {
            return SyncRunResult.NotRun("A sync of this connection is already running.");
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopHeartbeat = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(connectionId, lease.Token, duration, lost, stopHeartbeat.Token);
        try
        {
            return await RunLeasedAsync(tenantId, connectionId, new RunLease(lease.Token, duration, lost), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            await _store.ReleaseLeaseAsync(connectionId, lease.Token, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Pushes specific items right away through the same batch path (the test contact, the workflow step); the tally holds each
    /// item's outcome and the CRM's answer. The items are held (<see cref="OutboxItem.HeldUntil"/>) so no run sends them meanwhile;
    /// whatever did not get pushed is released to the next run.
    /// </summary>
    public async Task<RunTally> PushItemsAsync(StoredConnection connection, IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        var provider = _providers.Get(connection.Provider);
        var context = _contexts.Create(connection, provider);
        var tally = new RunTally { Items = new() };
        try
        {
            await ProcessItemsAsync(connection, provider, context, items, tally, null, cancellationToken).ConfigureAwait(false);
        }
        catch (CrmSyncException ex)
        {
            // This error reaches the host (the test contact button shows it, the workflow step writes it to the timeline and the
            // sync log): mask the connection's secrets in it first, as a run does with its error.
            var masked = SecretRedactor.Redact(ex, await CrmContextFactory.GetKnownSecretsAsync(context, CancellationToken.None).ConfigureAwait(false));
            if (ReferenceEquals(masked, ex))
            {
                throw;
            }

            throw masked;
        }
        finally
        {
            await _store.ReleaseHoldsAsync(connection.Id, [.. items.Select(i => i.Id)], CancellationToken.None).ConfigureAwait(false);
        }

        return tally;
    }

    internal static string? WhyNotSyncable(StoredConnection connection, DateTimeOffset now)
    {
        var s = connection.State;
        if (s.RevokedAt is not null)
        {
            return s.RevokedReason ?? "The CRM refused the saved sign-in. Reconnect to resume.";
        }

        if (s.DisconnectedAt is not null)
        {
            return "The CRM is disconnected. Reconnect to resume syncing.";
        }

        if (s.ConnectedAt is null || connection.ProtectedCredentials is null)
        {
            return "The CRM is not connected yet.";
        }

        if (s.StartingPoint == StartingPoint.NotChosen)
        {
            return "Choose whether to import existing contacts or skip before syncing starts.";
        }

        if (s.PausedByUser)
        {
            return "Syncing is paused.";
        }

        if (s.AutoPauseReason is not null && (s.AutoPausedUntil is null || s.AutoPausedUntil > now))
        {
            return s.AutoPauseReason;
        }

        if ((connection.Settings.Direction & SyncDirection.Send) == 0)
        {
            return "This connection only fetches from the CRM; it never writes to it.";
        }

        return null;
    }

    private async Task RunGuardedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken)
    {
        try
        {
            await RunConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.RunCrashed(_logger, connectionId, tenantId, ex);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping; the run's lease lapses or is taken back when the instance restarts.
        }
    }

    /// <summary>Once per process: frees the leases an earlier process of this instance left, so its connections are due again at once.</summary>
    private async Task TakeBackLeasesAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _leasesTakenBack) == 1)
        {
            return;
        }

        var instanceId = _options.CurrentValue.InstanceId;
        var count = await _store.ReleaseStaleLeasesAsync(instanceId, _incarnation, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _leasesTakenBack, 1);
        if (count > 0)
        {
            Log.LeasesTakenBack(_logger, instanceId, count);
        }
    }

    /// <summary>Renews the lease every third of its duration while the run works; when the run lost it, cancels the run.</summary>
    private async Task HeartbeatAsync(Guid connectionId, string leaseToken, TimeSpan duration, CancellationTokenSource lost, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await Task.Delay(duration / 3, _time, stop).ConfigureAwait(false);
                if (!await _store.RenewLeaseAsync(connectionId, leaseToken, _time.GetUtcNow() + duration, stop).ConfigureAwait(false))
                {
                    Log.LeaseLost(_logger, connectionId);
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store hiccup: the lease still has two thirds of its time; the next beat tries again.
                Log.LeaseRenewFailed(_logger, connectionId, ex);
            }
        }
    }

    private async Task<SyncRunResult> RunLeasedAsync(string tenantId, Guid connectionId, RunLease lease, CancellationToken hostStopping)
    {
        var cancellationToken = lease.Lost.Token;
        var options = _options.CurrentValue;
        var connection = await _store.GetConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
        var startedAt = _time.GetUtcNow();
        var blocked = WhyNotSyncable(connection, startedAt);
        if (blocked is not null)
        {
            await _store.UpdateConnectionAsync(tenantId, connectionId, c => c with { State = c.State with { NextSyncAt = startedAt + c.Settings.ScheduleInterval } }, cancellationToken).ConfigureAwait(false);
            return SyncRunResult.NotRun(blocked);
        }

        // Recorded before the first batch: if this process dies, the next run shows this one as interrupted with what it had done.
        await _store.StartRunAsync(tenantId, connectionId, lease.Token, startedAt, cancellationToken).ConfigureAwait(false);
        var provider = _providers.Get(connection.Provider);
        using var activity = CrmSyncInstruments.ActivitySource.StartActivity("crmsync.sync.run");
        activity?.SetTag("crmsync.provider", provider.Name);
        activity?.SetTag("crmsync.connection_id", connectionId);
        var context = _contexts.Create(connection, provider);
        var tally = new RunTally();
        SyncRunOutcome? abort = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        CrmRateLimitedException? rateLimit = null;
        var morePending = false;
        var credentialsExpired = false;
        try
        {
            while (tally.Attempted < options.MaxRecordsPerRun)
            {
                var items = await _store.ClaimPendingAsync(connectionId, lease.Token, options.OutboxReadSize, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (items.Count == 0)
                {
                    break;
                }

                await ProcessItemsAsync(connection, provider, context, items, tally, lease, cancellationToken).ConfigureAwait(false);
            }

            morePending = tally.Attempted >= options.MaxRecordsPerRun;
        }
        catch (Exception ex) when (ex is CrmSyncLeaseLostException || (ex is OperationCanceledException && lease.Lost.IsCancellationRequested && !hostStopping.IsCancellationRequested))
        {
            // Another run holds the connection now: stop, and leave the facts, history and alerts to it.
            Log.LeaseLost(_logger, connectionId);
            return new SyncRunResult
            {
                Ran = true,
                Outcome = SyncRunOutcome.Interrupted,
                Synced = tally.Synced,
                Skipped = tally.Skipped,
                Failed = tally.Failed,
                Message = "This sync lost its lease to another run and stopped before its next batch; the other run records the rest.",
            };
        }
        catch (CrmRateLimitedException ex)
        {
            abort = SyncRunOutcome.RateLimited;
            rateLimit = ex;
            retryAfter = ex.RetryAfter ?? options.DefaultRetryDelay;
            error = SecretRedactor.Redact(ex.Message);
            _instruments.Waits.Add(1, new("crmsync.provider", provider.Name), new("error.type", ex.IsDailyLimit ? "daily_limit" : "rate_limit"));
            Log.RateLimited(_logger, connectionId, provider.Name, retryAfter.Value);
        }
        catch (CrmProviderUnavailableException ex)
        {
            abort = SyncRunOutcome.ProviderUnavailable;
            retryAfter = ex.RetryAfter ?? options.DefaultRetryDelay;
            error = SecretRedactor.Redact(ex.Message);
            _instruments.Waits.Add(1, new("crmsync.provider", provider.Name), new("error.type", "unavailable"));
        }
        catch (CrmAuthRevokedException ex)
        {
            abort = SyncRunOutcome.Revoked;
            credentialsExpired = ex.CredentialsExpired;
            error = SecretRedactor.Redact(ex.Reason);
        }
        catch (CrmCredentialsUnreadableException ex)
        {
            abort = SyncRunOutcome.Revoked;
            error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Anything else fails the run; the items stay pending and are retried by the next run.
            abort = SyncRunOutcome.Failed;
            error = SecretRedactor.Redact(ex is CrmSyncException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }

        if (error is not null)
        {
            error = SecretRedactor.Redact(error, await CrmContextFactory.GetKnownSecretsAsync(context, CancellationToken.None).ConfigureAwait(false));
        }

        // Logged only now, after the connection's own secrets were masked.
        switch (abort)
        {
            case SyncRunOutcome.ProviderUnavailable:
                Log.ProviderUnavailable(_logger, connectionId, provider.Name, error!);
                break;
            case SyncRunOutcome.Revoked:
                Log.Revoked(_logger, connectionId, provider.Name, error!);
                break;
            case SyncRunOutcome.Failed:
                Log.RunFailed(_logger, connectionId, provider.Name, error!);
                break;
        }

        var finishedAt = _time.GetUtcNow();
        var outcome = abort ?? (tally.Failed > 0 && tally.Synced == 0
            ? SyncRunOutcome.Failed
            : tally.Failed > 0 || tally.Skipped > 0 ? SyncRunOutcome.Warning : SyncRunOutcome.Success);
        error ??= tally.FirstError;

        await RecordRunAsync(connection, provider, tally, outcome, error, startedAt, finishedAt, lease.Token, cancellationToken).ConfigureAwait(false);
        var ledger = await _store.GetFailedCountsAsync(connectionId, cancellationToken).ConfigureAwait(false);
        var run = new RunFacts(outcome, error, rateLimit, retryAfter, morePending, abort is not null, credentialsExpired, ledger);
        var updated = await UpdateFactsAsync(connection, run, finishedAt, cancellationToken).ConfigureAwait(false);
        _changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Runs | CrmSyncChangeKinds.Ledger);
        await RaiseAlertsAsync(updated, provider, outcome, finishedAt, cancellationToken).ConfigureAwait(false);

        _instruments.Runs.Add(1, new("crmsync.provider", provider.Name), new("crmsync.outcome", outcome.ToString()));
        _instruments.RunDuration.Record((finishedAt - startedAt).TotalSeconds, new KeyValuePair<string, object?>("crmsync.provider", provider.Name));
        activity?.SetTag("crmsync.outcome", outcome.ToString());
        if (outcome == SyncRunOutcome.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        Log.RunFinished(_logger, connectionId, provider.Name, outcome, tally.Synced, tally.Skipped, tally.Failed);
        return new SyncRunResult
        {
            Ran = true,
            Outcome = outcome,
            Synced = tally.Synced,
            Skipped = tally.Skipped,
            Failed = tally.Failed,
            RetryAfter = retryAfter,
            Message = outcome switch
            {
                SyncRunOutcome.RateLimited => $"{provider.DisplayName} rejected the request because of its rate limit: {error} CrmSync retries automatically.",
                SyncRunOutcome.ProviderUnavailable => $"{provider.DisplayName} is not responding ({error}). CrmSync retries automatically.",
                SyncRunOutcome.Success => tally.Attempted == 0 ? "Nothing to sync." : $"{tally.Synced} records synced.",
                _ => error,
            },
        };
    }

    private async Task ProcessItemsAsync(StoredConnection connection, ICrmProvider provider, CrmProviderContext context, IReadOnlyList<OutboxItem> items, RunTally tally, RunLease? lease, CancellationToken cancellationToken)
    {
        var batchSize = Math.Max(1, provider.Capabilities.MaxBatchSize);
        var parallel = Math.Max(1, provider.Capabilities.MaxConcurrentBatches);
        var start = 0;
        while (start < items.Count)
        {
            // Items arrive grouped by type (contacts first): finish one type before the next, since activities need their contacts.
            var type = items[start].ObjectType;
            var end = start;
            while (end < items.Count && items[end].ObjectType == type)
            {
                end++;
            }

            var chunks = Chunk(items, start, end, batchSize);
            if (parallel == 1 || chunks.Count == 1)
            {
                foreach (var chunk in chunks)
                {
                    await ProcessChunkAsync(connection, provider, context, chunk, tally, lease, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                // Overlapping batches keep a CRM with a generous rate limit busy; its request budget still paces every call.
                using var gate = new SemaphoreSlim(parallel, parallel);
                await Task.WhenAll(chunks.Select(async chunk =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await ProcessChunkAsync(connection, provider, context, chunk, tally, lease, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                })).ConfigureAwait(false);
            }

            start = end;
        }
    }

    /// <summary>Splits items of one type into batches, keeping every item of one record in the same batch so concurrent batches never write the same record.</summary>
    private static List<List<OutboxItem>> Chunk(IReadOnlyList<OutboxItem> items, int start, int end, int batchSize)
    {
        var byRecord = new Dictionary<string, List<OutboxItem>>(StringComparer.Ordinal);
        var order = new List<List<OutboxItem>>();
        for (var i = start; i < end; i++)
        {
            if (!byRecord.TryGetValue(items[i].ExternalId, out var group))
            {
                group = [];
                byRecord[items[i].ExternalId] = group;
                order.Add(group);
            }

            group.Add(items[i]);
        }

        var chunks = new List<List<OutboxItem>>();
        var current = new List<OutboxItem>();
        var records = 0;
        foreach (var group in order)
        {
            if (records == batchSize)
            {
                chunks.Add(current);
                current = [];
                records = 0;
            }

            current.AddRange(group);
            records++;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }

    private async Task ProcessChunkAsync(StoredConnection connection, ICrmProvider provider, CrmProviderContext context, IReadOnlyList<OutboxItem> items, RunTally tally, RunLease? lease, CancellationToken cancellationToken)
    {
        if (lease is not null && !await _store.RenewLeaseAsync(connection.Id, lease.Token, _time.GetUtcNow() + lease.Duration, cancellationToken).ConfigureAwait(false))
        {
            // Checked before every batch: a run that lost its lease sends nothing more.
            throw new CrmSyncLeaseLostException(connection.Id);
        }

        const int start = 0;
        var end = items.Count;
        var settings = connection.Settings;
        var now = _time.GetUtcNow();
        var type = items[start].ObjectType;
        var outcomes = new List<OutboxOutcome>(end - start);
        var toWrite = new List<OutboxItem>(end - start);
        var isActivity = type is CrmObjectType.Email or CrmObjectType.Call or CrmObjectType.Meeting;

        IReadOnlyDictionary<string, string> contactIds = new Dictionary<string, string>();
        if (isActivity)
        {
            var contactKeys = new HashSet<string>(StringComparer.Ordinal);
            for (var i = start; i < end; i++)
            {
                if (items[i].ContactExternalId is { } c)
                {
                    contactKeys.Add(c);
                }
            }

            contactIds = await _store.GetCrmIdsAsync(connection.Id, CrmObjectType.Contact, contactKeys, cancellationToken).ConfigureAwait(false);
        }

        // Later items for the same record supersede earlier ones in the same batch: one write per record.
        var latest = new Dictionary<string, OutboxItem>(StringComparer.Ordinal);
        for (var i = start; i < end; i++)
        {
            var item = items[i];
            if (!settings.Toggles.IsEnabled(type))
            {
                outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Skipped, null, CrmProblemType.TurnedOff, $"{type} sync is turned off.", now));
            }
            else if (!provider.Capabilities.SupportedObjects.Contains(type))
            {
                outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Skipped, null, CrmProblemType.NotSupported, $"{provider.DisplayName} does not accept {type} records.", now));
            }
            else if (isActivity && (item.ContactExternalId is null || !contactIds.ContainsKey(item.ContactExternalId)))
            {
                outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Skipped, null, CrmProblemType.ContactNotSynced,
                    $"Its contact '{item.ContactExternalId}' is not synced to {provider.DisplayName}.", now));
            }
            else
            {
                latest[item.ExternalId] = item;
                toWrite.Add(item);
            }
        }

        if (latest.Count > 0)
        {
            var known = await _store.GetCrmIdsAsync(connection.Id, type, latest.Keys, cancellationToken).ConfigureAwait(false);
            var writes = new List<CrmRecordWrite>(latest.Count);
            foreach (var item in latest.Values)
            {
                var knownId = known.GetValueOrDefault(item.ExternalId);
                var (hostFields, direct) = CrmFieldNames.SplitDirect(item.Fields);
                writes.Add(new CrmRecordWrite
                {
                    ObjectType = type,
                    ExternalId = item.ExternalId,
                    ExternalIdField = settings.Mapping.ExternalIdField,
                    Fields = hostFields,
                    MappedFields = type is CrmObjectType.Contact or CrmObjectType.Lead ? WithDirect(settings.Mapping.Apply(hostFields), direct) : new Dictionary<string, string?>(),
                    OwnerIdOnCreate = knownId is null ? settings.DefaultOwnerId : null,
                    KnownCrmId = knownId,
                    ContactCrmId = item.ContactExternalId is { } c ? contactIds.GetValueOrDefault(c) : null,
                });
            }

            await NotifyAsync(connection, provider, toWrite, RecordSyncStage.Pending, null, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<CrmRecordResult> results;
            using (var activity = CrmSyncInstruments.ActivitySource.StartActivity("crmsync.provider.upsert"))
            {
                activity?.SetTag("crmsync.provider", provider.Name);
                activity?.SetTag("crmsync.object_type", type.ToString());
                activity?.SetTag("crmsync.batch_size", writes.Count);
                results = await provider.UpsertAsync(context, writes, cancellationToken).ConfigureAwait(false);
            }

            var byId = new Dictionary<string, CrmRecordResult>(results.Count, StringComparer.Ordinal);
            foreach (var r in results)
            {
                byId[r.ExternalId] = r;
            }

            now = _time.GetUtcNow();
            IReadOnlyCollection<string>? secrets = null;
            foreach (var item in toWrite)
            {
                if (!byId.TryGetValue(item.ExternalId, out var result))
                {
                    outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Failed, null, CrmProblemType.Unknown, $"{provider.DisplayName} returned no result for this record.", now));
                }
                else if (result.Succeeded && result.CrmRecordId is not null)
                {
                    outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Synced, result.CrmRecordId, null, null, now));
                    tally.Items?.TryAdd(item.Id, (outcomes[^1], result));
                }
                else
                {
                    secrets ??= await CrmContextFactory.GetKnownSecretsAsync(context, cancellationToken).ConfigureAwait(false);
                    outcomes.Add(new(item.Id, type, item.ExternalId, OutboxItemState.Failed, null, result.ProblemType ?? CrmProblemType.Unknown,
                        SecretRedactor.Redact(result.Error ?? "The CRM rejected this record.", secrets), now));
                }
            }
        }

        // Under a lease the store refuses the whole write once another run holds the connection; only recorded outcomes count.
        outcomes = [.. await _store.CompleteAsync(connection.Id, outcomes, lease?.Token, cancellationToken).ConfigureAwait(false)];
        var origin = items[start].Origin;
        foreach (var o in outcomes)
        {
            tally.Add(o, origin);
            tally.Items?.TryAdd(o.ItemId, (o, null));
        }

        await AppendWorkflowTimelineAsync(connection, provider, items, outcomes, cancellationToken).ConfigureAwait(false);

        if (_observers.Length > 0)
        {
            foreach (var o in outcomes)
            {
                var stage = o.State switch
                {
                    OutboxItemState.Synced => RecordSyncStage.Succeeded,
                    OutboxItemState.Skipped => RecordSyncStage.Skipped,
                    _ => RecordSyncStage.Failed,
                };
                await NotifyOneAsync(new RecordSyncProgress(connection.TenantId, connection.Id, provider.Name, o.ObjectType, o.ExternalId, stage, o.ProcessedAt, o.CrmRecordId, o.Error), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var group in outcomes.GroupBy(o => o.State))
        {
            _instruments.Records.Add(group.Count(), new("crmsync.provider", provider.Name), new("crmsync.outcome", group.Key.ToString().ToLowerInvariant()));
        }
    }

    private static IReadOnlyDictionary<string, string?> WithDirect(IReadOnlyDictionary<string, string?> mapped, IReadOnlyDictionary<string, string?>? direct)
    {
        if (direct is null)
        {
            return mapped;
        }

        // The workflow step's syncFields name CRM fields directly; they win over the connection's mapping.
        var merged = new Dictionary<string, string?>(mapped, StringComparer.Ordinal);
        foreach (var (field, value) in direct)
        {
            merged[field] = value;
        }

        return merged;
    }

    /// <summary>Writes the final stage of leads pushed by the workflow step to their timelines, whichever run pushes them.</summary>
    private async Task AppendWorkflowTimelineAsync(StoredConnection connection, ICrmProvider provider, IReadOnlyList<OutboxItem> items, List<OutboxOutcome> outcomes, CancellationToken cancellationToken)
    {
        List<CrmTimelineEvent>? events = null;
        var workflow = items.Where(i => i.Origin == OutboxOrigin.Workflow).Select(i => i.Id).ToHashSet();
        if (workflow.Count == 0)
        {
            return;
        }

        foreach (var o in outcomes.Where(o => workflow.Contains(o.ItemId)))
        {
            events ??= [];
            events.Add(o.State == OutboxItemState.Synced
                ? new CrmTimelineEvent(connection.TenantId, o.ExternalId, o.ProcessedAt, CrmTimelineStage.Succeeded, provider.DisplayName, connection.Id, o.CrmRecordId)
                : new CrmTimelineEvent(connection.TenantId, o.ExternalId, o.ProcessedAt, CrmTimelineStage.Failed, provider.DisplayName, connection.Id, null,
                    o.Error ?? $"{provider.DisplayName} did not take the record."));
        }

        if (events is not null)
        {
            await _store.AppendTimelineAsync(events, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task NotifyAsync(StoredConnection connection, ICrmProvider provider, List<OutboxItem> items, RecordSyncStage stage, string? reason, CancellationToken cancellationToken)
    {
        if (_observers.Length == 0)
        {
            return;
        }

        var at = _time.GetUtcNow();
        foreach (var item in items)
        {
            await NotifyOneAsync(new RecordSyncProgress(connection.TenantId, connection.Id, provider.Name, item.ObjectType, item.ExternalId, stage, at, null, reason), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task NotifyOneAsync(RecordSyncProgress progress, CancellationToken cancellationToken)
    {
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnProgressAsync(progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ObserverFailed(_logger, observer.GetType().Name, ex);
            }
        }
    }

    private async Task RecordRunAsync(StoredConnection connection, ICrmProvider provider, RunTally tally, SyncRunOutcome outcome, string? error, DateTimeOffset startedAt, DateTimeOffset finishedAt, string leaseToken, CancellationToken cancellationToken)
    {
        var entries = new List<SyncLogEntry>();
        foreach (var (eventType, group) in tally.Groups)
        {
            var groupOutcome = group.Failed > 0 && group.Synced == 0 ? SyncLogOutcome.Error
                : group.Failed > 0 || group.Skipped > 0 ? SyncLogOutcome.Warning : SyncLogOutcome.Success;
            entries.Add(new SyncLogEntry(connection.TenantId, connection.Id, finishedAt, eventType, group.Synced + group.Skipped + group.Failed, groupOutcome,
                group.Synced + group.Skipped + group.Failed == 1 ? group.LastCrmId : null, group.FirstError));
        }

        var waitOrFailure = outcome switch
        {
            SyncRunOutcome.RateLimited => (SyncEventTypes.RateLimited, SyncLogOutcome.Warning),
            SyncRunOutcome.ProviderUnavailable => (SyncEventTypes.ProviderOutage, SyncLogOutcome.Warning),
            SyncRunOutcome.Revoked => (SyncEventTypes.AuthRevoked, SyncLogOutcome.Error),
            SyncRunOutcome.Failed when tally.Attempted == 0 || tally.Groups.Count == 0 => (SyncEventTypes.SyncFailed, SyncLogOutcome.Error),
            _ => ((string, SyncLogOutcome)?)null,
        };
        if (waitOrFailure is { } w)
        {
            var pending = await _store.CountPendingAsync(connection.Id, null, cancellationToken).ConfigureAwait(false);
            entries.Add(new SyncLogEntry(connection.TenantId, connection.Id, finishedAt, w.Item1, pending, w.Item2, null, error));
        }

        if (entries.Count > 0)
        {
            await _store.AppendLogAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        // Runs with nothing to do are not history: they would drown the success rate in empty rows.
        var keep = tally.Attempted > 0 || outcome is not SyncRunOutcome.Success;
        await _store.FinishRunAsync(connection.TenantId, new SyncRunSummary(connection.Id, startedAt, finishedAt, outcome, tally.Synced, tally.Skipped, tally.Failed, error), leaseToken, keep, cancellationToken).ConfigureAwait(false);
    }

    private Task<StoredConnection> UpdateFactsAsync(StoredConnection connection, RunFacts run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = _providers.Get(connection.Provider);
        var ledgerFailed = run.Ledger.Values.Sum();
        var topProblem = run.Ledger.Where(p => p.Value > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault();
        return _store.UpdateConnectionAsync(connection.TenantId, connection.Id, c =>
        {
            var s = c.State with { LastRunAt = now, LastRunOutcome = run.Outcome };
            var next = now + c.Settings.ScheduleInterval;

            // The failure ledger is a fact the status reads. Re-queued records ("Retry") count as failed until a run that got
            // through the whole queue proves otherwise: a run cut short by a wait may not have reached them yet.
            var failedRecords = run.Aborted || run.MorePending ? Math.Max(s.FailedRecords, ledgerFailed) : ledgerFailed;
            s = s with
            {
                FailedRecords = failedRecords,
                FailedRecordsProblem = failedRecords == 0 ? null : topProblem ?? s.FailedRecordsProblem,
            };

            // Any answer from the CRM other than "not responding" ends the connection's outage streak.
            if (run.Outcome != SyncRunOutcome.ProviderUnavailable)
            {
                s = s with { OutageStartedAt = null, OutageWaits = 0, OutageAlertSent = false };
            }

            switch (run.Outcome)
            {
                case SyncRunOutcome.Success:
                case SyncRunOutcome.Warning:
                    s = s with
                    {
                        LastSuccessAt = now,
                        LastError = run.Outcome == SyncRunOutcome.Warning ? run.Error : failedRecords > 0 ? s.LastError : null,
                        LastOutageAt = null,
                        AutoPauseReason = s.AutoPausedUntil is not null ? null : s.AutoPauseReason,
                        AutoPauseKind = s.AutoPausedUntil is not null ? StatusReasonKind.None : s.AutoPauseKind,
                        AutoPausedUntil = null,
                    };

                    // A run with nothing to send proves nothing while rejected records are still outstanding: the failure
                    // count and the alert episode end only when the ledger is empty.
                    if (failedRecords == 0)
                    {
                        s = s with { ConsecutiveFailures = 0, FailureAlertSent = false };
                    }

                    if (run.MorePending)
                    {
                        next = now;
                    }

                    break;
                case SyncRunOutcome.Failed:
                    s = s with { ConsecutiveFailures = s.ConsecutiveFailures + 1, LastError = run.Error };
                    break;
                case SyncRunOutcome.RateLimited:
                    next = now + (run.RetryAfter ?? TimeSpan.Zero);
                    if (run.RateLimit?.IsDailyLimit == true)
                    {
                        s = s with
                        {
                            AutoPauseReason = $"{provider.DisplayName} daily API limit reached; syncing resumes when it resets.",
                            AutoPauseKind = StatusReasonKind.DailyLimit,
                            AutoPausedUntil = next,
                        };
                    }

                    break;
                case SyncRunOutcome.ProviderUnavailable:
                    s = s with { LastOutageAt = now, OutageStartedAt = s.OutageStartedAt ?? now, OutageWaits = s.OutageWaits + 1 };
                    next = now + (run.RetryAfter ?? TimeSpan.Zero);
                    break;
                case SyncRunOutcome.Revoked when run.CredentialsExpired:
                    s = s with
                    {
                        AutoPauseReason = $"Expired credentials: {provider.DisplayName} refused to renew the sign-in. Reconnect to resume syncing.",
                        AutoPauseKind = StatusReasonKind.ExpiredCredentials,
                        AutoPausedUntil = null,
                        LastError = run.Error,
                    };
                    break;
                case SyncRunOutcome.Revoked:
                    s = s with { RevokedAt = s.RevokedAt ?? now, RevokedReason = run.Error, LastError = run.Error };
                    break;
            }

            return c with { State = s with { NextSyncAt = next } };
        }, cancellationToken);
    }

    private async Task RaiseAlertsAsync(StoredConnection connection, ICrmProvider provider, SyncRunOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var s = connection.State;
        var options = _options.CurrentValue;
        switch (outcome)
        {
            case SyncRunOutcome.Failed when s.ConsecutiveFailures >= options.AlertAfterConsecutiveFailures && !s.FailureAlertSent:
                await _alerts.RaiseAsync(connection, provider, CrmSyncAlertKind.ConsecutiveFailures, cancellationToken).ConfigureAwait(false);
                break;
            case SyncRunOutcome.Revoked when !s.RevocationAlertSent:
                var kind = s.RevokedAt is null && s.AutoPauseKind == StatusReasonKind.ExpiredCredentials ? CrmSyncAlertKind.ExpiredCredentials : CrmSyncAlertKind.Revoked;
                await _alerts.RaiseAsync(connection, provider, kind, cancellationToken).ConfigureAwait(false);
                break;
            case SyncRunOutcome.ProviderUnavailable when s.OutageStartedAt is { } start && now - start >= options.Status.OutageAlertAfter && !s.OutageAlertSent:
                await _alerts.RaiseAsync(connection, provider, CrmSyncAlertKind.ProviderOutage, cancellationToken).ConfigureAwait(false);
                break;
            case SyncRunOutcome.Success or SyncRunOutcome.Warning when s.FailedRecords == 0:
                await _alerts.ResolveAsync(connection.TenantId, connection.Id, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The lease a run holds: its fencing token, how long each renewal lasts, and the signal that it was lost.</summary>
    private sealed record RunLease(string Token, TimeSpan Duration, CancellationTokenSource Lost);

    /// <summary>What one run found, for the stored facts.</summary>
    private sealed record RunFacts(
        SyncRunOutcome Outcome,
        string? Error,
        CrmRateLimitedException? RateLimit,
        TimeSpan? RetryAfter,
        bool MorePending,
        bool Aborted,
        bool CredentialsExpired,
        IReadOnlyDictionary<string, int> Ledger);
}
