using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// The fetch direction (Connect → Import → Confirm): preview and run imports from a CRM into the tenant's import inbox,
/// then approve or reject what arrived. Only approved items reach the host, through its <see cref="ICrmImportSink"/>.
/// Every call is tenant scoped, and the calls people make take a <see cref="CrmImportActor"/> whose roles are checked
/// against <see cref="CrmImportOptions"/>: a member cannot approve through this API.
/// </summary>
public partial class CrmImportClient
{
    private readonly ICrmSyncStore _store;

    /// <summary>Gets the change feed inbox changes are announced on.</summary>
    public virtual CrmSyncChangeFeed Changes { get; init; } = new();
    private readonly CrmProviderRegistry _providers;
    private readonly CrmContextFactory _contexts;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ILogger<CrmImportClient> _logger;

    /// <summary>Initializes the client for mocking.</summary>
    protected CrmImportClient()
    {
        _store = null!;
        _providers = null!;
        _contexts = null!;
        _options = null!;
        _time = TimeProvider.System;
        _services = null!;
        _logger = null!;
    }

    internal CrmImportClient(ICrmSyncStore store, CrmProviderRegistry providers, CrmContextFactory contexts, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, IServiceProvider services, ILogger<CrmImportClient> logger)
    {
        _store = store;
        _providers = providers;
        _contexts = contexts;
        _options = options;
        _time = time;
        _services = services;
        _logger = logger;
    }

    private ICrmImportStore Imports => _services.GetService<ICrmImportStore>() ?? _store as ICrmImportStore
        ?? throw new InvalidOperationException($"The configured store ({_store.GetType().Name}) does not keep imports: use a store that implements ICrmImportStore, such as UseSqlite(…).");

    private CrmImportOptions ImportOptions => _options.CurrentValue.Import;

    /// <summary>Returns whether <paramref name="actor"/> may preview and run imports.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public virtual bool CanRunImports(CrmImportActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.HasAnyRole(ImportOptions.OperatorRoles);
    }

    /// <summary>Returns whether <paramref name="actor"/> may approve or reject inbox items.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public virtual bool CanApprove(CrmImportActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.HasAnyRole(ImportOptions.ApproverRoles);
    }

    /// <summary>Counts what an import would read and shows the first few records, before the user confirms.</summary>
    /// <param name="actor">Who asks; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection; it must fetch (<see cref="SyncDirection.Fetch"/>).</param>
    /// <param name="filter">The filter.</param>
    /// <param name="incremental">Whether to read only what changed since the last completed import of the same filter. Defaults to <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The preview.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not run imports.</exception>
    /// <exception cref="CrmValidationException">The connection is send-only or cannot fetch, or the filter is invalid.</exception>
    public virtual async Task<CrmImportPreview> PreviewImportAsync(CrmImportActor actor, string tenantId, Guid connectionId, CrmFetchFilter filter, bool incremental = true, CancellationToken cancellationToken = default)
    {
        DemandOperator(actor, "preview imports");
        var (connection, provider, fetch) = await LoadFetchableAsync(tenantId, connectionId, filter, cancellationToken).ConfigureAwait(false);
        var since = incremental ? await Imports.GetHighWaterMarkAsync(tenantId, connectionId, filter.GetScopeKey(), cancellationToken).ConfigureAwait(false) : null;
        var effective = filter with { ModifiedSince = Later(filter.ModifiedSince, since) };
        var context = _contexts.Create(connection, provider);
        var count = await fetch.CountAsync(context, effective, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CrmFetchedRecord> sample = [];
        var sampleSize = Math.Min(ImportOptions.PreviewSampleSize, Math.Max(1, fetch.FetchCapabilities.MaxPageSize));
        if (sampleSize > 0 && count.Total > 0)
        {
            sample = (await fetch.FetchPageAsync(context, new CrmFetchRequest(effective, null, sampleSize), cancellationToken).ConfigureAwait(false)).Records;
        }

        return new CrmImportPreview(connectionId, effective, count.Total, count.IsExact && fetch.FetchCapabilities.ExactCounts, since, sample);
    }

    /// <summary>
    /// Runs an import (the user confirmed the preview): reads the CRM page by page into the inbox. Returns when every
    /// page is stored (<see cref="CrmImportRunStatus.Completed"/>), when the CRM asks for a wait longer than
    /// <see cref="CrmImportOptions.MaxInlineRetryWait"/> (<see cref="CrmImportRunStatus.Waiting"/>: the run keeps its cursor and
    /// resumes at the same page), or when the CRM refuses (<see cref="CrmImportRunStatus.Failed"/>).
    /// </summary>
    /// <param name="actor">Who runs it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection; it must fetch.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="incremental">Whether to read only what changed since the last completed import of the same filter. Defaults to <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the run; it stays resumable from its last stored page.</param>
    /// <returns>The run.</returns>
    /// <exception cref="CrmAccessDeniedException">The actor may not run imports.</exception>
    /// <exception cref="CrmValidationException">The connection is send-only or cannot fetch, or the filter is invalid.</exception>
    public virtual async Task<CrmImportRun> StartImportAsync(CrmImportActor actor, string tenantId, Guid connectionId, CrmFetchFilter filter, bool incremental = true, CancellationToken cancellationToken = default)
    {
        DemandOperator(actor, "run imports");
        var (connection, provider, fetch) = await LoadFetchableAsync(tenantId, connectionId, filter, cancellationToken).ConfigureAwait(false);
        var scope = filter.GetScopeKey();
        var since = incremental ? await Imports.GetHighWaterMarkAsync(tenantId, connectionId, scope, cancellationToken).ConfigureAwait(false) : null;
        var run = new CrmImportRun
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            ConnectionId = connectionId,
            Filter = filter,
            ScopeKey = scope,
            Incremental = incremental,
            EffectiveModifiedSince = Later(filter.ModifiedSince, since),
            Status = CrmImportRunStatus.Running,
            StartedBy = actor.UserId,
            StartedAt = _time.GetUtcNow(),
        };
        await Imports.InsertImportRunAsync(run, cancellationToken).ConfigureAwait(false);
        var result = await ContinueAsync(run, connection, provider, fetch, cancellationToken).ConfigureAwait(false);
        Changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Inbox | CrmSyncChangeKinds.Runs);
        return result;
    }

    /// <summary>Resumes a waiting (or interrupted) run at the page it stopped at. Completed and failed runs are returned as they are, and so is a run whose wait is not over.</summary>
    /// <param name="actor">Who resumes it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run.</returns>
    /// <exception cref="KeyNotFoundException">The tenant has no such run.</exception>
    public virtual async Task<CrmImportRun> ResumeImportAsync(CrmImportActor actor, string tenantId, Guid runId, CancellationToken cancellationToken = default)
    {
        DemandOperator(actor, "run imports");
        var run = (await ResumeCoreAsync(tenantId, runId, dueOnly: false, cancellationToken).ConfigureAwait(false))!;
        Changes.Publish(tenantId, run.ConnectionId, CrmSyncChangeKinds.Inbox | CrmSyncChangeKinds.Runs);
        return run;
    }

    /// <summary>
    /// Resumes every waiting run whose wait is over, across tenants. The hosted scheduler calls it on every tick; each run
    /// is claimed atomically, so host instances sharing a store never resume the same run twice, and a run that cannot
    /// resume is logged without stopping the others.
    /// </summary>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>How many runs this call resumed.</returns>
    public virtual async Task<int> ResumeDueImportsAsync(CancellationToken cancellationToken = default)
    {
        var due = await Imports.GetDueImportRunsAsync(_time.GetUtcNow(), 50, cancellationToken).ConfigureAwait(false);
        var resumed = 0;
        foreach (var (tenantId, runId) in due)
        {
            try
            {
                if (await ResumeCoreAsync(tenantId, runId, dueOnly: true, cancellationToken).ConfigureAwait(false) is not null)
                {
                    resumed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One run that cannot resume (its store row or connection is in trouble) must not hold back the others.
                Log.ImportResumeFailed(_logger, runId, tenantId, ex);
            }
        }

        return resumed;
    }

    /// <summary>Gets an import run.</summary>
    /// <param name="actor">Who asks; needs an operator or approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run.</returns>
    /// <exception cref="KeyNotFoundException">The tenant has no such run.</exception>
    public virtual async Task<CrmImportRun> GetImportRunAsync(CrmImportActor actor, string tenantId, Guid runId, CancellationToken cancellationToken = default)
    {
        DemandReader(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await Imports.GetImportRunAsync(tenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");
    }

    /// <summary>Gets a connection's import runs, newest first.</summary>
    /// <param name="actor">Who asks; needs an operator or approver role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="limit">How many; defaults to 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs.</returns>
    /// <exception cref="KeyNotFoundException">The tenant has no such connection.</exception>
    public virtual async Task<IReadOnlyList<CrmImportRun>> GetImportRunsAsync(CrmImportActor actor, string tenantId, Guid connectionId, int limit = 20, CancellationToken cancellationToken = default)
    {
        DemandReader(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _ = await _store.GetConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
        return await Imports.GetImportRunsAsync(tenantId, connectionId, limit, cancellationToken).ConfigureAwait(false);
    }

    internal static string? WhyCannotFetch(StoredConnection connection, ICrmProvider provider, DateTimeOffset now)
    {
        var s = connection.State;
        if ((connection.Settings.Direction & SyncDirection.Fetch) == 0)
        {
            return "This connection is send-only: it never reads from the CRM. Turn on fetch in its settings to import.";
        }

        if (provider is not ICrmFetchProvider)
        {
            return $"{provider.DisplayName} cannot import records.";
        }

        if (s.RevokedAt is not null)
        {
            return s.RevokedReason ?? "The CRM refused the saved sign-in. Reconnect to import.";
        }

        if (s.DisconnectedAt is not null)
        {
            return "The CRM is disconnected. Reconnect to import.";
        }

        if (s.ConnectedAt is null || connection.ProtectedCredentials is null)
        {
            return "The CRM is not connected yet.";
        }

        if (s.PausedByUser)
        {
            return "Syncing is paused. Resume it to import.";
        }

        if (s.AutoPauseReason is not null && (s.AutoPausedUntil is null || s.AutoPausedUntil > now))
        {
            return s.AutoPauseReason;
        }

        return null;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static bool CanResume(CrmImportRun run, DateTimeOffset now, bool dueOnly) =>
        dueOnly ? run.Status == CrmImportRunStatus.Waiting && !(run.ResumeAt > now)
            : run.Status is not (CrmImportRunStatus.Completed or CrmImportRunStatus.Failed) && !(run.ResumeAt > now);

    /// <summary>Resumes a run, or returns it unchanged when it may not resume now.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="dueOnly">Whether only a waiting run whose wait is over may resume (the scheduler); otherwise an interrupted running run may too.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run; on the <paramref name="dueOnly"/> path <see langword="null"/> when another caller resumed it first or it is not due (never otherwise).</returns>
    private async Task<CrmImportRun?> ResumeCoreAsync(string tenantId, Guid runId, bool dueOnly, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var run = await Imports.GetImportRunAsync(tenantId, runId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Import run {runId} does not exist for tenant '{tenantId}'.");
        if (!CanResume(run, _time.GetUtcNow(), dueOnly))
        {
            return dueOnly ? null : run;
        }

        var connection = await _store.GetConnectionAsync(tenantId, run.ConnectionId, cancellationToken).ConfigureAwait(false);
        if (connection is null && !dueOnly)
        {
            throw new KeyNotFoundException($"Connection {run.ConnectionId} does not exist for tenant '{tenantId}'.");
        }

        var provider = connection is null ? null : _providers.Get(connection.Provider);
        var blocked = connection is null ? "The connection no longer exists." : WhyCannotFetch(connection, provider!, _time.GetUtcNow());
        if (blocked is not null)
        {
            return await FinishAsync(run, CrmImportRunStatus.Failed, blocked, cancellationToken).ConfigureAwait(false);
        }

        // Claim the run atomically (the store locks its row): when several host instances run the scheduler, or a user
        // resumes while the scheduler does, exactly one of them reads the next page.
        var claimed = false;
        run = await Imports.UpdateImportRunAsync(tenantId, runId, r =>
        {
            claimed = CanResume(r, _time.GetUtcNow(), dueOnly);
            return claimed ? r with { Status = CrmImportRunStatus.Running, ResumeAt = null } : r;
        }, cancellationToken).ConfigureAwait(false);
        if (!claimed)
        {
            return dueOnly ? null : run;
        }

        return await ContinueAsync(run, connection!, provider!, (ICrmFetchProvider)provider!, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CrmImportRun> ContinueAsync(CrmImportRun run, StoredConnection connection, ICrmProvider provider, ICrmFetchProvider fetch, CancellationToken cancellationToken)
    {
        var options = ImportOptions;
        var context = _contexts.Create(connection, provider);
        var filter = run.Filter with { ModifiedSince = run.EffectiveModifiedSince };
        var pageSize = Math.Min(options.PageSize, Math.Max(1, fetch.FetchCapabilities.MaxPageSize));
        var inlineWaits = 0;
        while (true)
        {
            CrmFetchPage? page = null;
            (TimeSpan Wait, string Message)? pause = null;
            try
            {
                page = await fetch.FetchPageAsync(context, new CrmFetchRequest(filter, run.Cursor, pageSize), cancellationToken).ConfigureAwait(false);
                inlineWaits = 0;
            }
            catch (CrmRateLimitedException ex)
            {
                pause = (ex.RetryAfter ?? _options.CurrentValue.DefaultRetryDelay, $"{provider.DisplayName} rejected the request because of its rate limit: {ex.Message}");
            }
            catch (CrmProviderUnavailableException ex)
            {
                pause = (ex.RetryAfter ?? _options.CurrentValue.DefaultRetryDelay, $"{provider.DisplayName} is not responding: {ex.Message}");
            }
            catch (CrmAuthRevokedException ex)
            {
                var reason = await RedactAsync(context, ex.Reason).ConfigureAwait(false);
                var now = _time.GetUtcNow();
                await _store.UpdateConnectionAsync(run.TenantId, run.ConnectionId, c => c with
                {
                    State = ex.CredentialsExpired
                        ? c.State with
                        {
                            AutoPauseReason = $"Expired credentials: {provider.DisplayName} refused to renew the sign-in. Reconnect to resume syncing.",
                            AutoPauseKind = StatusReasonKind.ExpiredCredentials,
                            AutoPausedUntil = null,
                            LastError = reason,
                        }
                        : c.State with { RevokedAt = c.State.RevokedAt ?? now, RevokedReason = reason, LastError = reason },
                }, CancellationToken.None).ConfigureAwait(false);
                Changes.Publish(run.TenantId, run.ConnectionId, CrmSyncChangeKinds.Facts);
                return await FinishAsync(run, CrmImportRunStatus.Failed, reason, CancellationToken.None).ConfigureAwait(false);
            }
            catch (CrmCredentialsUnreadableException ex)
            {
                return await FinishAsync(run, CrmImportRunStatus.Failed, ex.Message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (CrmSyncException ex)
            {
                return await FinishAsync(run, CrmImportRunStatus.Failed, await RedactAsync(context, ex.Message).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
            }

            if (pause is { } p)
            {
                // A wait, not a failure: the cursor did not move, so the same page is asked for again after it.
                var message = await RedactAsync(context, p.Message).ConfigureAwait(false);
                Log.ImportWaiting(_logger, run.Id, provider.Name, p.Wait);
                if (p.Wait <= options.MaxInlineRetryWait && inlineWaits < options.MaxInlineRetries)
                {
                    inlineWaits++;
                    run = await Imports.UpdateImportRunAsync(run.TenantId, run.Id, r => r with { Waits = r.Waits + 1, Error = message }, cancellationToken).ConfigureAwait(false);
                    await Task.Delay(p.Wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var resumeAt = _time.GetUtcNow() + p.Wait;
                run = await Imports.UpdateImportRunAsync(run.TenantId, run.Id, r => r with { Status = CrmImportRunStatus.Waiting, ResumeAt = resumeAt, Waits = r.Waits + 1, Error = message }, CancellationToken.None).ConfigureAwait(false);
                await _store.AppendLogAsync([new SyncLogEntry(run.TenantId, run.ConnectionId, _time.GetUtcNow(), SyncEventTypes.RateLimited, (int)Math.Min(int.MaxValue, run.Fetched), SyncLogOutcome.Warning, null, message)], CancellationToken.None).ConfigureAwait(false);
                return run;
            }

            if (page!.NextCursor is not null && page.NextCursor == run.Cursor)
            {
                return await FinishAsync(run, CrmImportRunStatus.Failed, $"{provider.DisplayName} returned the same page cursor twice; the import stopped instead of reading the same page forever.", CancellationToken.None).ConfigureAwait(false);
            }

            (run, _) = await Imports.SaveImportPageAsync(run.TenantId, run.Id, page.Records, page.NextCursor, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (page.NextCursor is null)
            {
                return await FinishAsync(run, CrmImportRunStatus.Completed, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<CrmImportRun> FinishAsync(CrmImportRun run, CrmImportRunStatus status, string? error, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var finished = await Imports.UpdateImportRunAsync(run.TenantId, run.Id, r => r with
        {
            Status = status,
            FinishedAt = now,
            ResumeAt = null,
            Error = error,
            Cursor = status == CrmImportRunStatus.Completed ? null : r.Cursor,
        }, cancellationToken).ConfigureAwait(false);
        var outcome = status == CrmImportRunStatus.Completed ? SyncLogOutcome.Success : SyncLogOutcome.Error;
        await _store.AppendLogAsync([new SyncLogEntry(run.TenantId, run.ConnectionId, now, SyncEventTypes.CrmImport, (int)Math.Min(int.MaxValue, finished.Fetched), outcome, null, error)], cancellationToken).ConfigureAwait(false);
        Log.ImportFinished(_logger, run.Id, status, finished.Fetched, finished.Added, finished.Updated, finished.PreviouslyRejected);
        return finished;
    }

    private static async Task<string> RedactAsync(CrmProviderContext context, string message) =>
        SecretRedactor.Redact(message, await CrmContextFactory.GetKnownSecretsAsync(context, CancellationToken.None).ConfigureAwait(false));

    private async Task<(StoredConnection Connection, ICrmProvider Provider, ICrmFetchProvider Fetch)> LoadFetchableAsync(string tenantId, Guid connectionId, CrmFetchFilter filter, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(filter);
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            throw new CrmValidationException("Import filter", errors);
        }

        var connection = await _store.GetConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
        var provider = _providers.Get(connection.Provider);
        var blocked = WhyCannotFetch(connection, provider, _time.GetUtcNow());
        if (blocked is not null)
        {
            throw new CrmValidationException("Import", [new("Connection", blocked)]);
        }

        var fetch = (ICrmFetchProvider)provider;
        if (!fetch.FetchCapabilities.Objects.Contains(filter.ObjectType))
        {
            throw new CrmValidationException("Import filter", [new("ObjectType", $"{provider.DisplayName} cannot import {filter.ObjectType} records.")]);
        }

        return (connection, provider, fetch);
    }

    private void DemandOperator(CrmImportActor actor, string action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanRunImports(actor))
        {
            throw new CrmAccessDeniedException(action, actor.UserId, ImportOptions.OperatorRoles.ToList());
        }
    }

    private void DemandApprover(CrmImportActor actor, string action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanApprove(actor))
        {
            throw new CrmAccessDeniedException(action, actor.UserId, ImportOptions.ApproverRoles.ToList());
        }
    }

    private void DemandReader(CrmImportActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!CanApprove(actor) && !CanRunImports(actor))
        {
            throw new CrmAccessDeniedException("read the import inbox", actor.UserId, ImportOptions.ApproverRoles.Concat(ImportOptions.OperatorRoles).Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        }
    }
}
