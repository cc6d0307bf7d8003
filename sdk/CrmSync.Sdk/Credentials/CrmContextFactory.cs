using System.Collections.Concurrent;
using CrmSync.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk;

/// <summary>Builds provider contexts whose credential access refreshes one at a time per connection.</summary>
internal sealed class CrmContextFactory
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _refreshLocks = new();
    private readonly ICrmSyncStore _store;
    private readonly ICrmCredentialProtector _protector;
    private readonly CrmProviderRegistry _providers;
    private readonly IOptionsMonitor<CrmSyncOptions> _options;
    private readonly TimeProvider _time;
    private readonly CrmSyncInstruments _instruments;
    private readonly ILogger<CrmContextFactory> _logger;

    public CrmContextFactory(ICrmSyncStore store, ICrmCredentialProtector protector, CrmProviderRegistry providers, IOptionsMonitor<CrmSyncOptions> options, TimeProvider time, CrmSyncInstruments instruments, ILogger<CrmContextFactory> logger)
    {
        _store = store;
        _protector = protector;
        _providers = providers;
        _options = options;
        _time = time;
        _instruments = instruments;
        _logger = logger;
    }

    public CrmProviderContext Create(StoredConnection connection, ICrmProvider provider)
    {
        var accessor = new Accessor(this, connection, provider);
        var context = new CrmProviderContext(connection.TenantId, connection.Id, connection.Datacenter, connection.Settings, accessor);
        accessor.Context = context;
        return context;
    }

    /// <summary>Returns every secret the context's credentials held during its lifetime, so error text can be masked.</summary>
    public static async Task<IReadOnlyCollection<string>> GetKnownSecretsAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        if (context.Credentials is not Accessor accessor)
        {
            return [];
        }

        if (Volatile.Read(ref accessor.CurrentField) is null)
        {
            try
            {
                await accessor.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CrmSyncException)
            {
                // Unreadable or missing credentials have nothing to mask.
            }
        }

        lock (accessor.Seen)
        {
            return accessor.Seen.ToList();
        }
    }

    private sealed class Accessor : ICrmCredentialAccessor
    {
        private readonly CrmContextFactory _owner;
        private readonly StoredConnection _connection;
        private readonly ICrmProvider _provider;
        internal CrmCredentials? CurrentField;

        internal HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public Accessor(CrmContextFactory owner, StoredConnection connection, ICrmProvider provider)
        {
            _owner = owner;
            _connection = connection;
            _provider = provider;
        }

        public CrmProviderContext? Context { get; set; }

        public async Task<CrmCredentials> GetAsync(CancellationToken cancellationToken = default)
        {
            var current = Volatile.Read(ref CurrentField) ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
            var oauth = _owner._providers.GetOAuth(_provider.Name);
            if (oauth is not null && current.RefreshToken is not null && current.ExpiresWithin(_owner._time.GetUtcNow(), _owner._options.CurrentValue.TokenRefreshMargin))
            {
                current = await RefreshAsync(current, cancellationToken).ConfigureAwait(false);
            }

            return current;
        }

        public async Task<CrmCredentials> RefreshAsync(CrmCredentials rejected, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(rejected);
            var oauth = _owner._providers.GetOAuth(_provider.Name)
                ?? throw new CrmAuthRevokedException($"{_provider.DisplayName} rejected the saved credentials. Reconnect to restore syncing.", _provider.Name);
            var gate = _owner._refreshLocks.GetOrAdd(_connection.Id, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Another caller (or instance) may have refreshed while we waited: use theirs.
                var stored = await LoadAsync(cancellationToken).ConfigureAwait(false);
                if (!string.Equals(stored.AccessToken, rejected.AccessToken, StringComparison.Ordinal)
                    && !stored.ExpiresWithin(_owner._time.GetUtcNow(), TimeSpan.Zero))
                {
                    return stored;
                }

                var fresh = await oauth.RefreshAsync(Context!, stored, cancellationToken).ConfigureAwait(false);
                fresh = fresh with
                {
                    RefreshToken = fresh.RefreshToken ?? stored.RefreshToken,
                    InstanceUrl = fresh.InstanceUrl ?? stored.InstanceUrl,
                };
                var payload = _owner._protector.Protect(fresh);
                var now = _owner._time.GetUtcNow();
                await _owner._store.UpdateConnectionAsync(_connection.TenantId, _connection.Id, c => c with { ProtectedCredentials = payload }, cancellationToken).ConfigureAwait(false);
                await _owner._store.AppendLogAsync([new SyncLogEntry(_connection.TenantId, _connection.Id, now, SyncEventTypes.AuthRefresh, 0, SyncLogOutcome.Success)], cancellationToken).ConfigureAwait(false);
                _owner._instruments.TokenRefreshes.Add(1, new KeyValuePair<string, object?>("crmsync.provider", _provider.Name));
                Log.TokenRefreshed(_owner._logger, _connection.Id, _provider.Name);
                Remember(fresh);
                return fresh;
            }
            catch (CrmAuthRevokedException)
            {
                var now = _owner._time.GetUtcNow();
                await _owner._store.AppendLogAsync([new SyncLogEntry(_connection.TenantId, _connection.Id, now, SyncEventTypes.AuthRefresh, 0, SyncLogOutcome.Error, null, "The CRM refused to refresh the access token.")], CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }

        private void Remember(CrmCredentials credentials)
        {
            lock (Seen)
            {
                Seen.UnionWith(credentials.Secrets());
            }

            Volatile.Write(ref CurrentField, credentials);
        }

        private async Task<CrmCredentials> LoadAsync(CancellationToken cancellationToken)
        {
            var connection = await _owner._store.GetConnectionAsync(_connection.TenantId, _connection.Id, cancellationToken).ConfigureAwait(false);
            if (connection?.ProtectedCredentials is not { } payload)
            {
                throw new CrmAuthRevokedException($"{_provider.DisplayName} is not connected. Connect it to start syncing.", _provider.Name);
            }

            var credentials = _owner._protector.Unprotect(payload);
            Remember(credentials);
            return credentials;
        }
    }
}
