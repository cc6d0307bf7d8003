using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>
/// Everything a host app and the widgets do with CrmSync: connect, accept changes, sync now, retry,
/// test contact, disconnect, and read status, the sync log and the last 24 hours. Every call is tenant scoped.
/// </summary>
public partial class CrmSyncClient
{
    private const string TestContactSourceId = "crmsync-test-contact";
    private readonly ICrmSyncStore _store;
    private readonly CrmProviderRegistry _providers;
    private readonly SyncEngine _engine;
    private readonly ICrmCredentialProtector _protector;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly CrmSyncInstruments _instruments;
    private readonly IServiceProvider _services;
    private readonly ILogger<CrmSyncClient> _logger;

    /// <summary>Initializes the client for mocking.</summary>
    protected CrmSyncClient()
    {
        _store = null!;
        _providers = null!;
        _engine = null!;
        _protector = null!;
        _options = null!;
        _time = TimeProvider.System;
        _instruments = null!;
        _services = null!;
        _logger = null!;
    }

    internal CrmSyncClient(ICrmSyncStore store, CrmProviderRegistry providers, SyncEngine engine, ICrmCredentialProtector protector, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, CrmSyncInstruments instruments, IServiceProvider services, ILogger<CrmSyncClient> logger)
    {
        _store = store;
        _providers = providers;
        _engine = engine;
        _protector = protector;
        _options = options;
        _time = time;
        _instruments = instruments;
        _services = services;
        _logger = logger;
    }

    /// <summary>Gets the change feed every change this client (and the engine) makes is announced on; widgets subscribe to it.</summary>
    public virtual CrmSyncChangeFeed Changes { get; init; } = new();

    /// <summary>Gets the registered providers.</summary>
    public virtual IReadOnlyList<ICrmProvider> Providers => _providers.All.OrderBy(p => p.DisplayName, StringComparer.Ordinal).ToList();

    /// <summary>Creates a connection that is not signed in yet (status SetupIncomplete), for example to pick a Zoho datacenter before sign-in.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="datacenter">The datacenter, for CRMs with several.</param>
    /// <param name="settings">Initial settings; defaults apply when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> CreateConnectionAsync(string tenantId, string provider, string? datacenter = null, ConnectionSettings? settings = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        var crm = _providers.Get(provider);
        ValidateDatacenter(crm, datacenter);
        settings ??= _options.CurrentValue.DefaultConnectionSettings ?? new ConnectionSettings();
        ValidateSettings(settings);
        var connection = new StoredConnection
        {
            TenantId = tenantId,
            Id = Guid.NewGuid(),
            Provider = crm.Name,
            Datacenter = datacenter,
            Settings = settings,
            CreatedAt = _time.GetUtcNow(),
        };
        await _store.InsertConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
        Changed(connection, CrmSyncChangeKinds.Connections | CrmSyncChangeKinds.Facts);
        return await ToViewAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores credentials on a connection and marks it connected (also the Reconnect path: clears revocation and disconnection).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="credentials">The credentials; encrypted before they are stored.</param>
    /// <param name="accountLabel">The account to show on the card.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> SetCredentialsAsync(string tenantId, Guid connectionId, CrmCredentials credentials, string? accountLabel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.AccessToken is null && credentials.ApiKey is null)
        {
            throw new CrmValidationException("Credentials", [new("Credentials", "Credentials need an access token or an API key.")]);
        }

        var payload = _protector.Protect(credentials);
        var now = _time.GetUtcNow();
        var updated = await UpdateAsync(tenantId, connectionId, c => c with
        {
            ProtectedCredentials = payload,
            AccountLabel = accountLabel ?? c.AccountLabel,
            State = c.State with
            {
                ConnectedAt = c.State.ConnectedAt ?? now,
                RevokedAt = null,
                RevokedReason = null,
                RevocationAlertSent = false,
                DisconnectedAt = null,
                AutoPauseReason = null,
                AutoPauseKind = StatusReasonKind.None,
                AutoPausedUntil = null,
                LastRunOutcome = c.State.LastRunOutcome == SyncRunOutcome.Revoked ? null : c.State.LastRunOutcome,
                LastError = c.State.LastRunOutcome == SyncRunOutcome.Revoked ? null : c.State.LastError,
                NextSyncAt = now,
            },
        }, cancellationToken).ConfigureAwait(false);
        // Signing in again is the recovery of a revoked or expired sign-in: its alerts are resolved.
        await _store.ResolveAlertsAsync(tenantId, connectionId, now, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.Connected, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Alerts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a connection and stores its credentials in one call (API-key CRMs, or tokens obtained elsewhere).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="provider">The provider name.</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="accountLabel">The account to show.</param>
    /// <param name="datacenter">The datacenter.</param>
    /// <param name="settings">Initial settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> ConnectAsync(string tenantId, string provider, CrmCredentials credentials, string? accountLabel = null, string? datacenter = null, ConnectionSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var created = await CreateConnectionAsync(tenantId, provider, datacenter, settings, cancellationToken).ConfigureAwait(false);
        return await SetCredentialsAsync(tenantId, created.Id, credentials, accountLabel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a connection.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="KeyNotFoundException">The tenant has no such connection.</exception>
    public virtual async Task<CrmConnection> GetConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return await ToViewAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets every connection of a tenant.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connections, oldest first.</returns>
    public virtual async Task<IReadOnlyList<CrmConnection>> GetConnectionsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var stored = await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var result = new List<CrmConnection>(stored.Count);
        foreach (var c in stored)
        {
            result.Add(await ToViewAsync(c, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>Changes settings. The field mapping and schedule are validated before anything is saved.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="CrmValidationException">The new settings are invalid; nothing was saved.</exception>
    public virtual async Task<CrmConnection> UpdateSettingsAsync(string tenantId, Guid connectionId, Func<ConnectionSettings, ConnectionSettings> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var current = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var next = update(current.Settings);
        ValidateSettings(next);
        var mappingChanged = !ReferenceEquals(next.Mapping, current.Settings.Mapping);
        var now = _time.GetUtcNow();
        var updated = await UpdateAsync(tenantId, connectionId, c => c with
        {
            Settings = next,
            State = mappingChanged ? c.State with { MappingReviewedAt = now } : c.State,
        }, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.SettingsChanged, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates and saves the field mapping, and ticks "Review your field mapping".</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="mapping">The mapping.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    /// <remarks>
    /// When the provider lists its fields (<see cref="ICrmFieldCatalog"/>) and the connection is signed in, the mapping is
    /// also checked against the CRM's fields: an unknown or read-only field, or a fixed value of the wrong type, is refused
    /// now instead of failing the next sync; a field named by its label is saved under its API name. When the CRM cannot be
    /// asked (not responding, throttled), the mapping is saved with the checks CrmSync can make alone.
    /// </remarks>
    /// <exception cref="CrmValidationException">The mapping is invalid; the error names each bad entry and nothing was saved.</exception>
    public virtual async Task<CrmConnection> SaveFieldMappingAsync(string tenantId, Guid connectionId, FieldMapping mapping, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var checkedMapping = await CheckMappingAgainstCrmAsync(tenantId, connectionId, mapping, cancellationToken).ConfigureAwait(false);
        return await UpdateSettingsAsync(tenantId, connectionId, s => s with { Mapping = checkedMapping }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the field mapping as reviewed without changing it.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> MarkMappingReviewedAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var wasReviewed = false;
        var updated = await UpdateAsync(tenantId, connectionId, c =>
        {
            wasReviewed = c.State.MappingReviewedAt is not null;
            return c with { State = c.State with { MappingReviewedAt = c.State.MappingReviewedAt ?? now } };
        }, cancellationToken).ConfigureAwait(false);

        // Announce only a real change: pages reload on the feed and mark the mapping reviewed again, which must not loop.
        if (!wasReviewed)
        {
            Changed(updated, CrmSyncChangeKinds.Facts);
        }

        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the one-time starting-point choice. Importing queues every existing host contact.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="startingPoint">Import existing or skip.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many existing contacts were queued.</returns>
    public virtual async Task<int> ChooseStartingPointAsync(string tenantId, Guid connectionId, StartingPoint startingPoint, CancellationToken cancellationToken = default)
    {
        if (startingPoint == StartingPoint.NotChosen)
        {
            throw new CrmValidationException("Starting point", [new("StartingPoint", "Choose ImportExisting or Skip.")]);
        }

        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        if (stored.State.ConnectedAt is null)
        {
            throw new CrmValidationException("Starting point", [new("Connection", "Connect the CRM before choosing a starting point.")]);
        }

        var chosen = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { StartingPoint = startingPoint } }, cancellationToken).ConfigureAwait(false);
        Changed(chosen, CrmSyncChangeKinds.Facts);
        return startingPoint == StartingPoint.ImportExisting
            ? await ResyncExistingAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            : 0;
    }

    /// <summary>Re-pushes every existing host contact ("Resync existing contacts"; also runs the import after a skip).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many contacts were queued.</returns>
    /// <exception cref="InvalidOperationException">An import is still running, or the host registered no <see cref="IHostRecordSource"/>.</exception>
    public virtual async Task<int> ResyncExistingAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var source = _services.GetService<IHostRecordSource>()
            ?? throw new InvalidOperationException("Importing existing contacts needs an IHostRecordSource: register one with builder.AddHostRecordSource<T>().");
        if (await _store.CountPendingAsync(connectionId, OutboxOrigin.Import, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new InvalidOperationException("An import of existing contacts is still running for this connection; wait for it to finish.");
        }

        var runId = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var queued = 0;
        var batch = new List<OutboxItem>(1000);
        await foreach (var change in source.GetExistingContactsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            ValidateChange(change);
            batch.Add(ToItem(stored, change, OutboxOrigin.Import, $"import:{runId}:{change.ObjectType}:{change.SourceId}"));
            if (batch.Count == batch.Capacity)
            {
                queued += await _store.EnqueueAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            queued += await _store.EnqueueAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var resynced = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { NextSyncAt = _time.GetUtcNow() } }, cancellationToken).ConfigureAwait(false);
        Changed(resynced, CrmSyncChangeKinds.Ledger | CrmSyncChangeKinds.Facts);
        return queued;
    }

    /// <summary>Accepts one change into the durable outbox. When this returns, the change is stored and will be pushed.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was accepted.</returns>
    public virtual Task<EnqueueResult> EnqueueAsync(string tenantId, CrmChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return EnqueueAsync(tenantId, [change], cancellationToken);
    }

    /// <summary>Accepts changes into the durable outbox in one transaction, one item per change and send-enabled connection.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was accepted.</returns>
    /// <exception cref="CrmValidationException">A change is invalid; nothing was accepted.</exception>
    public virtual async Task<EnqueueResult> EnqueueAsync(string tenantId, IReadOnlyCollection<CrmChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            ValidateChange(change);
        }

        var connections = (await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false))
            .Where(c => (c.Settings.Direction & SyncDirection.Send) != 0)
            .ToList();
        var items = new List<OutboxItem>(changes.Count * Math.Max(1, connections.Count));
        var notRouted = 0;
        foreach (var change in changes)
        {
            var routed = false;
            foreach (var connection in connections)
            {
                if ((change.ConnectionId is { } target && target != connection.Id) || !connection.Settings.Toggles.IsEnabled(change.ObjectType))
                {
                    continue;
                }

                items.Add(ToItem(connection, change, OutboxOrigin.Change, change.IdempotencyKey ?? DefaultIdempotencyKey(change)));
                routed = true;
            }

            if (!routed)
            {
                notRouted++;
            }
        }

        var accepted = items.Count == 0 ? 0 : await _store.EnqueueAsync(items, cancellationToken).ConfigureAwait(false);
        if (accepted > 0)
        {
            _instruments.Enqueued.Add(accepted);
        }

        Log.Enqueued(_logger, accepted, tenantId, items.Count - accepted);
        foreach (var connectionId in items.Select(i => i.ConnectionId).Distinct())
        {
            Changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Ledger);
        }

        return new EnqueueResult(accepted, items.Count - accepted, notRouted);
    }

    /// <summary>Runs a sync of one connection now, outside the schedule ("Sync now", "Try resync", "Retry").</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run did, including the CRM's rate-limit rejection when it happens.</returns>
    public virtual async Task<SyncRunResult> SyncNowAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return await _engine.RunConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs every due connection once (what the hosted scheduler does on each tick).</summary>
    /// <param name="cancellationToken">Cancels the runs.</param>
    /// <returns>How many connections ran.</returns>
    public virtual Task<int> RunDueSyncsAsync(CancellationToken cancellationToken = default) => _engine.RunDueAsync(cancellationToken);

    /// <summary>
    /// Re-queues every failed record of a connection for the next run ("Retry failed records"). The connection stays in
    /// Error until a run actually syncs them: re-queuing proves nothing.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were re-queued.</returns>
    public virtual async Task<int> RetryFailedRecordsAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var count = await _store.RequeueFailedAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        await _store.AppendLogAsync([new SyncLogEntry(tenantId, connectionId, _time.GetUtcNow(), SyncEventTypes.RetryRequested, count, SyncLogOutcome.Success)], cancellationToken).ConfigureAwait(false);
        if (count > 0 && stored.IsSchedulable())
        {
            await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { NextSyncAt = _time.GetUtcNow() } }, cancellationToken).ConfigureAwait(false);
        }

        Changed(stored, CrmSyncChangeKinds.Ledger | CrmSyncChangeKinds.Runs);
        return count;
    }

    /// <summary>
    /// "Try resync" and "Retry": re-queues the failure ledger's records, then runs a sync now. The result says how many
    /// records were re-queued and what the run did; the status turns Active only when the records really synced.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were re-queued, and the run.</returns>
    public virtual async Task<ResyncResult> TryResyncAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var requeued = await RetryFailedRecordsAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var run = await _engine.RunConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        return new ResyncResult(requeued, run);
    }

    /// <summary>
    /// Pushes one clearly labelled test contact through the real sync path. Every click updates the same CRM record.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the push.</param>
    /// <returns>The CRM record id, whether it was created, the elapsed time and a deep link.</returns>
    /// <exception cref="CrmSyncException">The CRM rejected the test contact; the message says why.</exception>
    public virtual async Task<TestContactResult> SendTestContactAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        if (stored.State.ConnectedAt is null || stored.State.RevokedAt is not null || stored.State.DisconnectedAt is not null)
        {
            throw new CrmValidationException("Test contact", [new("Connection", "Connect the CRM before sending a test contact.")]);
        }

        var provider = _providers.Get(stored.Provider);
        if ((stored.Settings.Direction & SyncDirection.Send) == 0)
        {
            throw new CrmValidationException("Test contact", [new("Direction",
                $"This connection only reads from {provider.DisplayName} and never writes to it, so it sends no test contact. Turn on sending to {provider.DisplayName} in the connection settings first.")]);
        }

        var started = _time.GetTimestamp();
        var product = _options.CurrentValue.ProductName;
        var fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = product,
            [CrmFieldNames.LastName] = "Sync Test",
            [CrmFieldNames.Name] = $"{product} Sync Test",
            [CrmFieldNames.Email] = $"sync-test+{connectionId:N}@example.com",
            [CrmFieldNames.Company] = $"{product} (test record, safe to delete)",
        };
        var key = $"test:{Guid.NewGuid():N}";
        // Held for this push: a scheduled run must not send the same contact at the same time (a CRM written by search-then-create
        // would get it twice).
        var held = ToItem(stored, new CrmChange(CrmObjectType.Contact, TestContactSourceId, fields), OutboxOrigin.TestContact, key) with { HeldUntil = _time.GetUtcNow() + _options.CurrentValue.LeaseDuration };
        await _store.EnqueueAsync([held], cancellationToken).ConfigureAwait(false);

        // Its own item, by key: however many records wait in the outbox (a large import), the test contact goes now.
        var item = await _store.GetOutboxItemAsync(connectionId, key, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The test contact was accepted but the outbox has no item '{key}'.");

        RunTally tally;
        try
        {
            tally = await _engine.PushItemsAsync(stored, [item], cancellationToken).ConfigureAwait(false);
        }
        catch (CrmSyncException ex)
        {
            await LogAsync(stored, SyncEventTypes.TestContact, SyncLogOutcome.Error, SecretRedactor.Redact(ex.Message), cancellationToken).ConfigureAwait(false);
            throw;
        }

        var elapsed = _time.GetElapsedTime(started);
        if (tally.Items?.TryGetValue(item.Id, out var pushed) != true || pushed.Outcome.State != OutboxItemState.Synced || pushed.Outcome.CrmRecordId is null || pushed.Answer is null)
        {
            var outcome = tally.Items?.GetValueOrDefault(item.Id).Outcome;
            var reason = outcome?.Error ?? tally.FirstError ?? $"{provider.DisplayName} returned no answer for it.";
            await LogAsync(stored, SyncEventTypes.TestContact, SyncLogOutcome.Error, reason, cancellationToken).ConfigureAwait(false);
            throw new CrmRequestFailedException($"{provider.DisplayName} rejected the test contact: {reason}", provider.Name, null, outcome?.ProblemType ?? CrmProblemType.Unknown);
        }

        var crmId = pushed.Outcome.CrmRecordId;
        var now = _time.GetUtcNow();
        await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { TestContactSentAt = now } }, cancellationToken).ConfigureAwait(false);
        await _store.AppendLogAsync([new SyncLogEntry(tenantId, connectionId, now, SyncEventTypes.TestContact, 1, SyncLogOutcome.Success, crmId)], cancellationToken).ConfigureAwait(false);
        Changed(stored, CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Ledger | CrmSyncChangeKinds.Runs);
        var context = new CrmProviderContext(tenantId, connectionId, stored.Datacenter, stored.Settings, NoCredentials.Instance);

        // Created or updated is what the CRM answered: after the record was deleted in the CRM, the next click creates it again.
        return new TestContactResult(crmId, pushed.Answer.Created, elapsed, provider.Capabilities.RecordDeepLinks ? provider.GetRecordLink(context, CrmObjectType.Contact, crmId) : null);
    }

    /// <summary>Pauses syncing of a connection (status Paused, "by a user"). Changes keep being accepted and sync after Resume.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> PauseAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var updated = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { PausedByUser = true } }, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.Paused, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resumes a paused connection (also clears an automatic pause such as expired credentials once fixed) and schedules a run now.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> ResumeAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var updated = await UpdateAsync(tenantId, connectionId, c => c with
        {
            State = c.State with { PausedByUser = false, AutoPauseReason = null, AutoPauseKind = StatusReasonKind.None, AutoPausedUntil = null, NextSyncAt = _time.GetUtcNow() },
        }, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.Resumed, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a connection created by mistake, with its local history (outbox, sync log, runs, alerts, import inbox).
    /// Never touches the CRM: records already synced stay there. Use <see cref="DisconnectAsync"/> to stop syncing but keep the history.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it was deleted; <see langword="false"/> when the tenant has no such connection.</returns>
    public virtual async Task<bool> DeleteConnectionAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var deleted = await _store.DeleteConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            Log.ConnectionDeleted(_logger, connectionId, tenantId);
            Changes.Publish(tenantId, connectionId, CrmSyncChangeKinds.Connections | CrmSyncChangeKinds.Facts | CrmSyncChangeKinds.Alerts);
        }

        return deleted;
    }

    /// <summary>Stops syncing a connection. Deletes nothing: not the host's data, not the CRM's records, not the outbox. Reconnect resumes.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> DisconnectAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var updated = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { DisconnectedAt = c.State.DisconnectedAt ?? now } }, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.Disconnected, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disconnects every connection of a tenant. Deletes nothing.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many connections were disconnected.</returns>
    public virtual async Task<int> DisconnectAllAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var all = await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var c in all.Where(c => c.State.DisconnectedAt is null))
        {
            await DisconnectAsync(tenantId, c.Id, cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    /// <summary>Reconnects a disconnected connection with its stored credentials. Revoked connections need new credentials (<see cref="SetCredentialsAsync"/> or OAuth sign-in).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> ReconnectAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        if (stored.State.RevokedAt is not null || stored.ProtectedCredentials is null)
        {
            throw new CrmValidationException("Reconnect", [new("Credentials", "The CRM refused the saved sign-in; sign in again to reconnect.")]);
        }

        var updated = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { DisconnectedAt = null, NextSyncAt = _time.GetUtcNow() } }, cancellationToken).ConfigureAwait(false);
        await LogAsync(updated, SyncEventTypes.Connected, SyncLogOutcome.Success, null, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hides the setup checklist of a connection for good.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    public virtual async Task<CrmConnection> DismissSetupChecklistAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var updated = await UpdateAsync(tenantId, connectionId, c => c with { State = c.State with { ChecklistDismissed = true } }, cancellationToken).ConfigureAwait(false);
        Changed(updated, CrmSyncChangeKinds.Facts);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists the CRM's users for the record-owner picker.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The users; empty when the CRM cannot list them.</returns>
    public virtual async Task<IReadOnlyList<CrmUser>> GetCrmUsersAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var provider = _providers.Get(stored.Provider);
        if (!provider.Capabilities.CanListUsers)
        {
            return [];
        }

        var context = _services.GetRequiredService<CrmContextFactory>().Create(stored, provider);
        return await provider.GetUsersAsync(context, cancellationToken).ConfigureAwait(false);
    }

    private static string DefaultIdempotencyKey(CrmChange change)
    {
        var builder = new StringBuilder();
        foreach (var pair in change.Fields.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            builder.Append(pair.Key).Append('\u001f').Append(pair.Value).Append('\u001e');
        }

        builder.Append(change.ContactSourceId);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())), 0, 12);
        return $"{change.ObjectType}:{change.SourceId}:{hash}";
    }

    private static void ValidateChange(CrmChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.ObjectType is CrmObjectType.Email or CrmObjectType.Call or CrmObjectType.Meeting && string.IsNullOrWhiteSpace(change.ContactSourceId))
        {
            throw new CrmValidationException("Change", [new("ContactSourceId", $"{change.ObjectType} '{change.SourceId}' has no ContactSourceId: activities must name the contact they belong to.")]);
        }

        if (!Enum.IsDefined(change.ObjectType))
        {
            throw new CrmValidationException("Change", [new("ObjectType", $"Change '{change.SourceId}' has unknown object type {(int)change.ObjectType}.")]);
        }
    }

    private OutboxItem ToItem(StoredConnection connection, CrmChange change, OutboxOrigin origin, string idempotencyKey) => new()
    {
        TenantId = connection.TenantId,
        ConnectionId = connection.Id,
        ObjectType = change.ObjectType,
        ExternalId = change.SourceId,
        ContactExternalId = change.ContactSourceId,
        IdempotencyKey = idempotencyKey,
        Fields = change.Fields,
        Origin = origin,
        EnqueuedAt = _time.GetUtcNow(),
    };

    private static void ValidateDatacenter(ICrmProvider provider, string? datacenter)
    {
        var datacenters = provider.Capabilities.Datacenters;
        if (datacenters.Count == 0)
        {
            return;
        }

        if (datacenter is null || !datacenters.Any(d => string.Equals(d.Id, datacenter, StringComparison.OrdinalIgnoreCase)))
        {
            throw new CrmValidationException("Datacenter", [new("Datacenter", $"{provider.DisplayName} needs a datacenter: one of {string.Join(", ", datacenters.Select(d => $"'{d.Id}' ({d.DisplayName})"))}; got '{datacenter}'.")]);
        }
    }

    private void ValidateSettings(ConnectionSettings settings)
    {
        var errors = new List<CrmValidationError>();
        if (settings.ScheduleInterval < TimeSpan.FromMinutes(1) || settings.ScheduleInterval > TimeSpan.FromHours(24))
        {
            errors.Add(new("ScheduleInterval", $"Schedule interval {settings.ScheduleInterval} must be between 1 minute and 24 hours."));
        }

        if (settings.Direction == SyncDirection.None)
        {
            errors.Add(new("Direction", "Direction must be Send, Fetch or Both."));
        }

        if (settings.Toggles is null)
        {
            errors.Add(new("Toggles", "Toggles must be set."));
        }

        if (settings.Mapping is null)
        {
            errors.Add(new("Mapping", "Mapping must be set (use FieldMapping.Empty)."));
        }
        else
        {
            errors.AddRange(FieldMappingValidator.Validate(settings.Mapping, _options.CurrentValue.KnownSourceFields?.ToList()));
        }

        if (errors.Count > 0)
        {
            throw new CrmValidationException(settings.Mapping is not null && errors.All(e => e.Path.StartsWith("Entries", StringComparison.Ordinal) || e.Path == "ExternalIdField") ? "Field mapping" : "Settings", errors);
        }
    }

    private async Task<StoredConnection> LoadAsync(string tenantId, Guid connectionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return await _store.GetConnectionAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"Connection {connectionId} does not exist for tenant '{tenantId}'.");
    }

    private Task<StoredConnection> UpdateAsync(string tenantId, Guid connectionId, Func<StoredConnection, StoredConnection> update, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        return _store.UpdateConnectionAsync(tenantId, connectionId, update, cancellationToken);
    }

    private void Changed(StoredConnection connection, CrmSyncChangeKinds kinds) => Changes.Publish(connection.TenantId, connection.Id, kinds);

    private Task LogAsync(StoredConnection connection, string eventType, SyncLogOutcome outcome, string? error, CancellationToken cancellationToken) =>
        _store.AppendLogAsync([new SyncLogEntry(connection.TenantId, connection.Id, _time.GetUtcNow(), eventType, 0, outcome, null, error)], cancellationToken);

    private async Task<CrmConnection> ToViewAsync(StoredConnection stored, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var runs = await _store.GetRecentRunsAsync(stored.Id, options.Status.SuccessRateRuns, cancellationToken).ConfigureAwait(false);
        var provider = _providers.TryGet(stored.Provider, out var p) ? p : null;
        return new CrmConnection
        {
            TenantId = stored.TenantId,
            Id = stored.Id,
            Provider = stored.Provider,
            ProviderDisplayName = provider?.DisplayName ?? stored.Provider,
            AccountLabel = stored.AccountLabel,
            Datacenter = stored.Datacenter,
            HasCredentials = stored.ProtectedCredentials is not null,
            Settings = stored.Settings,
            State = stored.State,
            Status = ConnectionStatusClassifier.Classify(stored.State, runs, _time.GetUtcNow(), options.Status, provider?.DisplayName),
            Capabilities = provider is null ? new CrmProviderCapabilities() : provider.Capabilities with { CanFetch = provider is ICrmFetchProvider },
            ImportRunning = await _store.CountPendingAsync(stored.Id, OutboxOrigin.Import, cancellationToken).ConfigureAwait(false) > 0,
            CreatedAt = stored.CreatedAt,
        };
    }

    private sealed class NoCredentials : ICrmCredentialAccessor
    {
        public static readonly NoCredentials Instance = new();

        public Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException("Deep links are built without credentials.");

        public Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default) => GetAsync(cancellationToken);
    }
}
