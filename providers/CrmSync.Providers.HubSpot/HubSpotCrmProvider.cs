using System.Collections.Concurrent;
using System.Globalization;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace CrmSync.Providers.HubSpot;

/// <summary>
/// The HubSpot CRM provider: batch upserts contacts (100 per call) by a unique external-id property it creates when
/// missing, writes emails, calls and meetings associated to their contact, and turns HubSpot's 207 partial failures,
/// 429 limits (burst and daily) and 401s into CrmSync outcomes. Register it with <c>builder.AddHubSpot(…)</c>.
/// </summary>
public sealed partial class HubSpotCrmProvider : ICrmProvider, ICrmOAuthProvider
{
    /// <summary>The provider name stored on connections.</summary>
    public const string ProviderName = "hubspot";

    /// <summary>The name users see.</summary>
    public const string ProviderDisplayName = "HubSpot";

    /// <summary>The key of <see cref="ConnectionSettings.ProviderSettings"/> that may hold the portal (hub) id for deep links.</summary>
    public const string PortalIdSetting = "hubspot.portalId";

    internal const string HubIdProperty = "hub_id";

    private readonly CrmApiClientFactory<IHubSpotApi> _clients;
    private readonly IOptionsMonitor<HubSpotOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HubSpotCrmProvider> _logger;
    private readonly ConcurrentDictionary<(Guid Connection, string ObjectType, string Property), Task> _ensuredProperties = new();
    private readonly ConcurrentDictionary<Guid, string> _portalIds = new();
    private readonly ConcurrentDictionary<Guid, TimeZoneInfo> _accountTimeZones = new();
    private readonly CrmRequestBudget _searchBudget;

    internal HubSpotCrmProvider(CrmApiClientFactory<IHubSpotApi> clients, CrmRequestBudget budget, IOptionsMonitor<HubSpotOptions> options, TimeProvider time, ILogger<HubSpotCrmProvider> logger)
    {
        _clients = clients;
        RequestBudget = budget;
        _options = options;
        _time = time;
        _logger = logger;
        _searchBudget = new CrmRequestBudget(ProviderName, ProviderDisplayName, new CrmRequestBudgetOptions
        {
            BurstLimit = options.CurrentValue.SearchRequestsPerSecond,
            BurstWindow = TimeSpan.FromSeconds(1),
            MaxWait = options.CurrentValue.RequestBudget.MaxWait,
        }, time);
    }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DisplayName => ProviderDisplayName;

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; } = new()
    {
        MaxBatchSize = 100,

        // Two batches in flight keep the burst window busy while one waits on the network; the budget still paces calls.
        MaxConcurrentBatches = 2,
        NativeUpsert = true,
        CanListUsers = true,
        RecordDeepLinks = true,
        OAuth = true,
        CanFetch = true,
    };

    /// <summary>Gets the per-connection request budget the provider keeps under HubSpot's limits.</summary>
    public CrmRequestBudget RequestBudget { get; }

    private HubSpotOptions Options => _options.CurrentValue;

    /// <summary>Gets a client for one call, from <see cref="IHttpClientFactory"/>.</summary>
    private IHubSpotApi Api => _clients.Create();

    private HubSpotPaths Paths => new(Options.ApiVersion);

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = new List<CrmUser>();
        string? after = null;
        var (first, second) = Paths.Owners;
        do
        {
            var cursor = after;
            var page = await SendAsync(context, (token, ct) => Api.GetOwnersAsync(first, second, 100, cursor, false, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(page);
            foreach (var owner in page.Content?.Results ?? [])
            {
                if (owner.Archived)
                {
                    continue;
                }

                var name = string.Join(' ', new[] { owner.FirstName, owner.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
                users.Add(new CrmUser(owner.Id, name.Length > 0 ? name : owner.Email ?? owner.Id, owner.Email));
            }

            after = page.Content?.Paging?.Next?.After;
        }
        while (!string.IsNullOrEmpty(after));

        return users;
    }

    /// <inheritdoc />
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(crmRecordId);
        var portal = _portalIds.GetValueOrDefault(context.ConnectionId) ?? context.Settings.ProviderSettings.GetValueOrDefault(PortalIdSetting);
        if (string.IsNullOrWhiteSpace(portal))
        {
            return null;
        }

        var typeId = objectType switch
        {
            CrmObjectType.Email => "0-49",
            CrmObjectType.Call => "0-48",
            CrmObjectType.Meeting => "0-47",
            _ => "0-1",
        };
        return new Uri(Options.AppBaseAddress, $"contacts/{Uri.EscapeDataString(portal)}/record/{typeId}/{Uri.EscapeDataString(crmRecordId)}");
    }

    /// <summary>Sends one search once the connection's search budget (<see cref="HubSpotOptions.SearchRequestsPerSecond"/>) has room.</summary>
    private async Task<IApiResponse<HubSpotSearchResponse>> SearchAsync(CrmProviderContext context, string objectType, HubSpotSearchRequest body, CancellationToken cancellationToken)
    {
        var (first, second) = Paths.Objects;
        using var lease = await _searchBudget.AcquireAsync(context.ConnectionId, cancellationToken).ConfigureAwait(false);
        return await SendAsync(context, (token, ct) => Api.SearchAsync(first, second, objectType, body, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one call with the connection's token through <see cref="CrmProviderCall"/>: refreshes once on a 401, maps transport failures, and turns a 401 that survived the refresh into a revocation.</summary>
    private Task<IApiResponse<T>> SendAsync<T>(CrmProviderContext context, Func<string, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken) =>
        CrmProviderCall.SendAsync(
            context,
            this,
            async (credentials, ct) =>
            {
                Remember(context.ConnectionId, credentials);
                var token = credentials.AccessToken ?? throw new CrmAuthRevokedException("HubSpot is connected without an access token. Reconnect HubSpot.", Name);
                if (credentials.RefreshToken is null && !_accountTimeZones.ContainsKey(context.ConnectionId))
                {
                    // A static (private-app) token has a daily limit that resets at midnight in the account's time zone.
                    await LoadAccountTimeZoneAsync(context.ConnectionId, token, ct).ConfigureAwait(false);
                }

                return await call(token, ct).ConfigureAwait(false);
            },
            r => r.StatusCode == System.Net.HttpStatusCode.Unauthorized,
            (r, _) =>
            {
                if (r.StatusCode != System.Net.HttpStatusCode.Unauthorized)
                {
                    return null;
                }

                Log.CredentialsRejected(_logger, context.ConnectionId);
                return new CrmAuthRevokedException("HubSpot no longer accepts the saved sign-in (the app was uninstalled or its access was revoked). Reconnect HubSpot to resume syncing.", Name);
            },
            cancellationToken);

    /// <summary>
    /// Reads the account's time zone (<c>/account-info/v3/details</c>) once per connection and gives it to the request budget,
    /// so a private app's daily limit resets at midnight there. A zone this machine does not know falls back to the reported
    /// UTC offset; an answer without either keeps the configured zone. A throttled or failed answer is asked again on the next call.
    /// </summary>
    private async Task LoadAccountTimeZoneAsync(Guid connectionId, string token, CancellationToken cancellationToken)
    {
        using var response = await CrmProviderCall.SendOAuthAsync(this, ct => Api.GetAccountDetailsAsync(Paths.AccountInfo, token, connectionId, ct), cancellationToken).ConfigureAwait(false);
        if (StatusOf(response) == 429 || CrmHttpFailures.IsTransientStatus(StatusOf(response)))
        {
            return;
        }

        var details = response.IsSuccessStatusCode ? response.Content : null;
        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(details?.TimeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(details.TimeZone, out var found))
        {
            zone = found;
        }
        else if (details?.UtcOffsetMilliseconds is { } offset)
        {
            var span = TimeSpan.FromMilliseconds(offset);
            var name = details.TimeZone ?? "HubSpot account";
            zone = TimeZoneInfo.CreateCustomTimeZone($"HubSpot {span}", span, name, name);
        }

        if (zone is not null)
        {
            RequestBudget.SetDailyResetTimeZone(connectionId, zone);
        }

        _accountTimeZones[connectionId] = zone ?? Options.RequestBudget.DailyResetTimeZone;
    }

    private void Remember(Guid connectionId, CrmCredentials credentials)
    {
        if (credentials.Properties.TryGetValue(HubIdProperty, out var hubId) && !string.IsNullOrEmpty(hubId))
        {
            _portalIds[connectionId] = hubId;
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
