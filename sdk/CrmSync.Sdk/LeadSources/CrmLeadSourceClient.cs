using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// Lead-source integrations per tenant: create one with the source value the partner must send, feed it the leads
/// that arrive, complete setup, pause and resume, and report validation and sync results. Every change goes through
/// <see cref="LeadSourceStateMachine"/>, and actions by people take a <see cref="CrmImportActor"/> with an operator role.
/// </summary>
public class CrmLeadSourceClient
{
    private readonly ICrmSyncStore _store;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;

    /// <summary>Initializes the client for mocking.</summary>
    protected CrmLeadSourceClient()
    {
        _store = null!;
        _options = null!;
        _time = TimeProvider.System;
        _services = null!;
    }

    internal CrmLeadSourceClient(ICrmSyncStore store, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, IServiceProvider services)
    {
        _store = store;
        _options = options;
        _time = time;
        _services = services;
    }

    private ICrmImportStore Store => _services.GetService<ICrmImportStore>() ?? _store as ICrmImportStore
        ?? throw new InvalidOperationException($"The configured store ({_store.GetType().Name}) does not keep lead-source integrations: use a store that implements ICrmImportStore, such as UseSqlite(…).");

    /// <summary>Creates an integration in Setup Incomplete.</summary>
    /// <param name="actor">Who creates it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">The name users see (for example the partner's name).</param>
    /// <param name="expectedSourceValue">The exact source value the partner's leads must carry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration.</returns>
    public virtual async Task<LeadSourceIntegration> CreateAsync(CrmImportActor actor, string tenantId, string name, string expectedSourceValue, CancellationToken cancellationToken = default)
    {
        Demand(actor, "create lead-source integrations");
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrEmpty(expectedSourceValue);
        var now = _time.GetUtcNow();
        var integration = new LeadSourceIntegration
        {
            TenantId = tenantId,
            Id = Guid.NewGuid(),
            Name = name,
            ExpectedSourceValue = expectedSourceValue,
            Status = LeadSourceStatus.SetupIncomplete,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await Store.InsertLeadSourceAsync(integration, cancellationToken).ConfigureAwait(false);
        return integration;
    }

    /// <summary>Gets an integration.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration.</returns>
    /// <exception cref="KeyNotFoundException">The tenant has no such integration.</exception>
    public virtual async Task<LeadSourceIntegration> GetAsync(string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await Store.GetLeadSourceAsync(tenantId, id, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Lead-source integration {id} does not exist for tenant '{tenantId}'.");
    }

    /// <summary>Gets a tenant's integrations, oldest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integrations.</returns>
    public virtual Task<IReadOnlyList<LeadSourceIntegration>> GetAllAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return Store.GetLeadSourcesAsync(tenantId, cancellationToken);
    }

    /// <summary>Records a lead from the partner. During setup a lead with exactly the expected source value enables "Complete setup"; a wrong value is reported with the value received and the value expected.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="sourceValue">The lead's source value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition, with <see cref="LeadSourceTransition.Mismatch"/> set when the value was wrong.</returns>
    public virtual Task<LeadSourceTransition> ReceiveLeadAsync(string tenantId, Guid id, string? sourceValue, CancellationToken cancellationToken = default) =>
        ApplyAsync(tenantId, id, new LeadSourceEvent.LeadReceived(_time.GetUtcNow(), sourceValue), cancellationToken);

    /// <summary>"Complete setup": moves the integration to Active when a matching test lead arrived; otherwise rejected with the reason.</summary>
    /// <param name="actor">Who completes it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition.</returns>
    public virtual Task<LeadSourceTransition> CompleteSetupAsync(CrmImportActor actor, string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        Demand(actor, "complete lead-source setup");
        return ApplyAsync(tenantId, id, new LeadSourceEvent.SetupCompleted(_time.GetUtcNow(), actor.UserId), cancellationToken);
    }

    /// <summary>Pauses the integration by hand.</summary>
    /// <param name="actor">Who pauses it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition.</returns>
    public virtual Task<LeadSourceTransition> PauseAsync(CrmImportActor actor, string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        Demand(actor, "pause lead-source integrations");
        return ApplyAsync(tenantId, id, new LeadSourceEvent.Paused(_time.GetUtcNow(), actor.UserId), cancellationToken);
    }

    /// <summary>Resumes a manually paused integration (one paused for expired credentials resumes when validation passes).</summary>
    /// <param name="actor">Who resumes it; needs an operator role.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition.</returns>
    public virtual Task<LeadSourceTransition> ResumeAsync(CrmImportActor actor, string tenantId, Guid id, CancellationToken cancellationToken = default)
    {
        Demand(actor, "resume lead-source integrations");
        return ApplyAsync(tenantId, id, new LeadSourceEvent.Resumed(_time.GetUtcNow(), actor.UserId), cancellationToken);
    }

    /// <summary>Reports what the validation process found: expired credentials pause the integration; valid ones lift that pause.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="credentialsValid">Whether the credentials and permissions are valid.</param>
    /// <param name="detail">What validation found, without secrets.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition.</returns>
    public virtual Task<LeadSourceTransition> ReportValidationAsync(string tenantId, Guid id, bool credentialsValid, string? detail = null, CancellationToken cancellationToken = default)
    {
        var at = _time.GetUtcNow();
        return ApplyAsync(tenantId, id, credentialsValid ? new LeadSourceEvent.ValidationPassed(at) : new LeadSourceEvent.CredentialsExpired(at, detail), cancellationToken);
    }

    /// <summary>Reports a sync attempt: a failure moves the integration to Failed Sync and schedules the automatic retry; a success returns it to Active.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="succeeded">Whether it worked.</param>
    /// <param name="error">The error, when it failed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transition.</returns>
    public virtual Task<LeadSourceTransition> ReportSyncAsync(string tenantId, Guid id, bool succeeded, string? error = null, CancellationToken cancellationToken = default)
    {
        var at = _time.GetUtcNow();
        return ApplyAsync(tenantId, id, succeeded ? new LeadSourceEvent.SyncSucceeded(at) : new LeadSourceEvent.SyncFailed(at, SecretRedactor.Redact(error ?? "The sync failed.")), cancellationToken);
    }

    /// <summary>Gets integrations (any tenant) in Failed Sync whose automatic retry is due: the host retries them and reports the outcome.</summary>
    /// <param name="max">The most to return; defaults to 100.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integrations.</returns>
    public virtual Task<IReadOnlyList<LeadSourceIntegration>> GetDueRetriesAsync(int max = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Store.GetLeadSourcesDueForRetryAsync(_time.GetUtcNow(), max, cancellationToken);
    }

    /// <summary>
    /// Claims a due retry for one caller: when the integration is still in Failed Sync and due, its next retry moves to
    /// <paramref name="lease"/> from now (so other host instances skip it, and a crashed caller's retry comes back after it).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="id">The integration.</param>
    /// <param name="lease">How long the claim holds.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The integration when this caller claimed it; otherwise <see langword="null"/>.</returns>
    internal async Task<LeadSourceIntegration?> TryClaimRetryAsync(string tenantId, Guid id, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var claimed = false;
        var integration = await Store.UpdateLeadSourceAsync(tenantId, id, current =>
        {
            claimed = LeadSourceStateMachine.IsRetryDue(current, now);
            return claimed ? current with { NextRetryAt = now + lease } : current;
        }, cancellationToken).ConfigureAwait(false);
        return claimed ? integration : null;
    }

    private async Task<LeadSourceTransition> ApplyAsync(string tenantId, Guid id, LeadSourceEvent e, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var options = _options.CurrentValue.Import;
        LeadSourceTransition? transition = null;
        await Store.UpdateLeadSourceAsync(tenantId, id, current =>
        {
            transition = LeadSourceStateMachine.Apply(current, e, options.LeadSourceRetryDelay, options.LeadSourceMaxRetryDelay);
            return transition.Integration;
        }, cancellationToken).ConfigureAwait(false);
        return transition!;
    }

    private void Demand(CrmImportActor actor, string action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var roles = _options.CurrentValue.Import.OperatorRoles;
        if (!actor.HasAnyRole(roles))
        {
            throw new CrmAccessDeniedException(action, actor.UserId, roles.ToList());
        }
    }
}
