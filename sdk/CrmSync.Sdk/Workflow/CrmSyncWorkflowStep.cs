using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// The <c>crm_sync</c> step for hosts with their own workflow engine: checks that the tenant has a CRM integration that is
/// configured and active, renders the step's <c>syncFields</c> templates against the lead, pushes the lead through the
/// durable outbox right away, and writes the lead's timeline: pending, then success with the CRM's name or failure with the
/// reason, on every path (no integration, expired or revoked sign-in, paused, CRM outage or rate limit, record rejected).
/// A lead that waits for an outage or a rate limit stays in the outbox; the run that finally pushes it adds its final event.
/// </summary>
public class CrmSyncWorkflowStep
{
    /// <summary>The step type name workflow definitions use.</summary>
    public const string StepType = "crm_sync";

    private readonly ICrmSyncStore _store;
    private readonly CrmProviderRegistry _providers;
    private readonly SyncEngine _engine;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CrmSyncWorkflowStep> _logger;

    /// <summary>Initializes the step for mocking.</summary>
    protected CrmSyncWorkflowStep()
    {
        _store = null!;
        _providers = null!;
        _engine = null!;
        _options = null!;
        _time = TimeProvider.System;
        _logger = null!;
    }

    internal CrmSyncWorkflowStep(ICrmSyncStore store, CrmProviderRegistry providers, SyncEngine engine, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, ILogger<CrmSyncWorkflowStep> logger)
    {
        _store = store;
        _providers = providers;
        _engine = engine;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step for one lead. Never throws for a CRM problem: the result and the timeline say what happened.</summary>
    /// <param name="request">The tenant, the lead and the <c>syncFields</c>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What happened, with the lead's timeline.</returns>
    /// <exception cref="CrmValidationException">The request itself is malformed (no tenant or lead id); nothing was recorded.</exception>
    public virtual async Task<CrmSyncStepResult> RunAsync(CrmSyncStepRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.TenantId) || string.IsNullOrWhiteSpace(request.LeadId) || request.Lead is null || request.SyncFields is null)
        {
            throw new CrmValidationException("crm_sync step", [new("Request", "The crm_sync step needs a tenant id, a lead id, the lead's values and its syncFields (empty is fine).")]);
        }

        var connections = await _store.GetConnectionsAsync(request.TenantId, cancellationToken).ConfigureAwait(false);
        var candidates = connections
            .Where(c => _providers.TryGet(c.Provider, out _))
            .Where(c => request.Provider is null || string.Equals(c.Provider, request.Provider, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var now = _time.GetUtcNow();
        var connection = candidates.FirstOrDefault(c => SyncEngine.WhyNotSyncable(c, now) is null)
            ?? candidates.FirstOrDefault(c => (c.Settings.Direction & SyncDirection.Send) != 0 && c.State.DisconnectedAt is null)
            ?? candidates.FirstOrDefault();
        var provider = connection is null ? null : _providers.Get(connection.Provider);
        await AppendAsync(request, CrmTimelineStage.Pending, provider, connection, null, null, cancellationToken).ConfigureAwait(false);

        if (connection is null || provider is null)
        {
            var which = request.Provider is null ? "No CRM integration is configured" : $"No {request.Provider} integration is configured";
            return await FailAsync(request, null, null, $"{which} for this workspace. Connect a CRM in Settings → Integrations, then run the step again.", cancellationToken).ConfigureAwait(false);
        }

        if (SyncEngine.WhyNotSyncable(connection, now) is { } inactive)
        {
            var reason = connection.State.RevokedAt is not null
                ? $"{provider.DisplayName} refused the saved sign-in (it expired or was revoked): {Sentence(inactive)}{ReconnectHint(provider, inactive)}"
                : $"{provider.DisplayName} is not active: {Sentence(inactive)}";
            return await FailAsync(request, provider, connection, reason, cancellationToken).ConfigureAwait(false);
        }

        if (RenderSyncFields(request, out var fields) is { } templateError)
        {
            return await FailAsync(request, provider, connection, templateError, cancellationToken).ConfigureAwait(false);
        }

        var key = $"workflow:{request.LeadId}:{Guid.NewGuid():N}";
        await _store.EnqueueAsync([new OutboxItem
        {
            TenantId = connection.TenantId,
            ConnectionId = connection.Id,
            ObjectType = CrmObjectType.Lead,
            ExternalId = request.LeadId,
            IdempotencyKey = key,
            Fields = fields,
            Origin = OutboxOrigin.Workflow,
            EnqueuedAt = now,

            // Held for this push: a scheduled run must not send the same lead at the same time.
            HeldUntil = now + _options.CurrentValue.LeaseDuration,
        }], cancellationToken).ConfigureAwait(false);
        var item = await _store.GetOutboxItemAsync(connection.Id, key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The lead was accepted but the outbox has no item '{key}'.");

        try
        {
            var tally = await _engine.PushItemsAsync(connection, [item], cancellationToken).ConfigureAwait(false);
            var (outcome, _) = tally.Items!.GetValueOrDefault(item.Id);
            var timeline = await GetTimelineAsync(request.TenantId, request.LeadId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return outcome?.State == OutboxItemState.Synced
                ? new CrmSyncStepResult(true, provider.DisplayName, connection.Id, outcome.CrmRecordId, null, timeline)
                : new CrmSyncStepResult(false, provider.DisplayName, connection.Id, null, outcome?.Error ?? tally.FirstError ?? $"{provider.DisplayName} did not take the lead.", timeline);
        }
        catch (CrmSyncException ex)
        {
            // The push did not happen; the lead stays in the outbox and a later run adds its final event.
            var reason = ex switch
            {
                CrmAuthRevokedException revoked => $"{provider.DisplayName} refused the saved sign-in (it expired or was revoked): {Sentence(revoked.Reason)}{ReconnectHint(provider, revoked.Reason)} The lead is sent once {provider.DisplayName} is reconnected.",
                CrmRateLimitedException => $"{provider.DisplayName} rate limit reached: {Sentence(ex.Message)} The lead waits in the queue and is sent automatically.",
                CrmProviderUnavailableException => $"{provider.DisplayName} is not responding: {Sentence(ex.Message)} The lead waits in the queue and is sent automatically when {provider.DisplayName} is back.",
                _ => $"{provider.DisplayName} rejected the lead: {Sentence(ex.Message)}",
            };
            Log.WorkflowStepFailed(_logger, connection.Id, provider.Name, ex.GetType().Name);
            return await FailAsync(request, provider, connection, SecretRedactor.Redact(reason), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gets a host record's CRM timeline (the step's pending, success and failure events), oldest first.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="recordId">The host record id (the lead id).</param>
    /// <param name="limit">How many of the newest events. Defaults to 50.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events, oldest first.</returns>
    public virtual Task<IReadOnlyList<CrmTimelineEvent>> GetTimelineAsync(string tenantId, string recordId, int limit = 50, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(recordId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _store.GetTimelineAsync(tenantId, recordId, limit, cancellationToken);
    }

    private static string Sentence(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed[^1] is '.' or '!' or '?' ? trimmed : trimmed + ".";
    }

    private static string ReconnectHint(ICrmProvider provider, string reason) =>
        reason.Contains("Reconnect", StringComparison.OrdinalIgnoreCase) ? string.Empty : $" Reconnect {provider.DisplayName} in Settings → Integrations.";

    /// <summary>Renders the syncFields; returns why they cannot be rendered, or <see langword="null"/>.</summary>
    private static string? RenderSyncFields(CrmSyncStepRequest request, out Dictionary<string, string?> fields)
    {
        fields = new Dictionary<string, string?>(request.Lead, StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (crmField, template) in request.SyncFields)
        {
            if (string.IsNullOrWhiteSpace(crmField) || !FieldTemplate.IsFieldName(crmField))
            {
                errors.Add($"syncFields entry '{crmField}' is not a CRM field name");
                continue;
            }

            if (!FieldTemplate.TryParse(template ?? string.Empty, out var placeholders, out var error))
            {
                errors.Add($"syncFields '{crmField}' has a malformed template: {error}");
                continue;
            }

            var unknown = placeholders.Where(p => !request.Lead.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                errors.Add($"syncFields '{crmField}' uses {string.Join(", ", unknown.Select(u => $"{{{{{u}}}}}"))}, which the lead does not have (it has {string.Join(", ", request.Lead.Keys.Order(StringComparer.Ordinal))})");
                continue;
            }

            fields[CrmFieldNames.DirectPrefix + crmField] = FieldTemplate.Render(template ?? string.Empty, request.Lead);
        }

        return errors.Count == 0 ? null : "The step's field mapping is wrong, so nothing was sent: " + string.Join("; ", errors) + ".";
    }

    private async Task<CrmSyncStepResult> FailAsync(CrmSyncStepRequest request, ICrmProvider? provider, StoredConnection? connection, string reason, CancellationToken cancellationToken)
    {
        await AppendAsync(request, CrmTimelineStage.Failed, provider, connection, null, reason, cancellationToken).ConfigureAwait(false);
        var timeline = await GetTimelineAsync(request.TenantId, request.LeadId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CrmSyncStepResult(false, provider?.DisplayName, connection?.Id, null, reason, timeline);
    }

    private Task AppendAsync(CrmSyncStepRequest request, CrmTimelineStage stage, ICrmProvider? provider, StoredConnection? connection, string? crmId, string? reason, CancellationToken cancellationToken) =>
        _store.AppendTimelineAsync([new CrmTimelineEvent(request.TenantId, request.LeadId, _time.GetUtcNow(), stage, provider?.DisplayName, connection?.Id, crmId, reason)], cancellationToken);
}
