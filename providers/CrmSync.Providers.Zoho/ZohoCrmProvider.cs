using System.Net;
using System.Text.Json;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Refit;

namespace CrmSync.Providers.Zoho;

/// <summary>
/// The Zoho CRM provider: upsert of up to 100 leads or contacts per call by a unique external-id field
/// (<c>duplicate_check_fields</c>), notes, calls and meetings linked to the record, per-record outcomes, users for the
/// owner picker, deep links, and OAuth per datacenter. Register it with <c>builder.AddZoho(…)</c>.
/// </summary>
/// <remarks>
/// Each connection lives in one datacenter, picked before sign-in (<see cref="CrmProviderCapabilities.Datacenters"/>);
/// its sign-in, token refresh, API calls and deep links all go to that region. Requests carry
/// <c>Authorization: Zoho-oauthtoken …</c>; CrmSync refreshes the token shortly before it expires, one refresh at a time.
/// </remarks>
public sealed partial class ZohoCrmProvider : ICrmProvider, ICrmOAuthProvider
{
    /// <summary>The provider name stored on connections.</summary>
    public const string ProviderName = "zoho";

    /// <summary>The name users see.</summary>
    public const string ProviderDisplayName = "Zoho CRM";

    /// <summary>The provider setting (<see cref="ConnectionSettings.ProviderSettings"/>) that picks the contact module: <c>Contacts</c> or <c>Leads</c>.</summary>
    public const string ModuleSetting = "module";

    private const int MaxRecordsPerCall = 100;
    private const string RefMarkerPrefix = "crmsync-ref:";
    private readonly CrmApiClientFactory<IZohoApi> _clients;
    private readonly CrmApiClientFactory<IZohoAccountsApi> _accountsClients;
    private readonly ZohoOptions _options;
    private readonly CrmRequestBudget _budget;
    private readonly CrmUnconfirmedWrites _unconfirmed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal ZohoCrmProvider(CrmApiClientFactory<IZohoApi> clients, CrmApiClientFactory<IZohoAccountsApi> accountsClients, ZohoOptions options, CrmRequestBudget budget, CrmUnconfirmedWrites unconfirmed, TimeProvider time, ILogger<ZohoCrmProvider> logger)
    {
        _clients = clients;
        _accountsClients = accountsClients;
        _options = options;
        _budget = budget;
        _unconfirmed = unconfirmed;
        _time = time;
        _logger = logger;
        var order = ZohoOptions.DefaultDataCenterIds.ToList();
        Capabilities = new CrmProviderCapabilities
        {
            MaxBatchSize = MaxRecordsPerCall,
            NativeUpsert = true,
            CanListUsers = true,
            RecordDeepLinks = true,
            OAuth = true,
            CanFetch = true,
            Datacenters = options.DataCenters
                .OrderBy(d => order.IndexOf(d.Key.ToLowerInvariant()) is var i && i >= 0 ? i : int.MaxValue)
                .ThenBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new CrmDatacenter(d.Key, d.Value.DisplayName))
                .ToList(),
        };
    }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DisplayName => ProviderDisplayName;

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; }

    /// <summary>Gets the per-connection request budget (optional rate limit and API credits), for diagnostics and tests.</summary>
    public CrmRequestBudget RequestBudget => _budget;

    /// <summary>Gets a client for one call, from <see cref="IHttpClientFactory"/>.</summary>
    private IZohoApi Api => _clients.Create();

    /// <summary>Returns whether <paramref name="module"/> is a module CrmSync writes people to (<c>Contacts</c> or <c>Leads</c>).</summary>
    /// <param name="module">The module API name.</param>
    /// <returns><see langword="true"/> for Contacts and Leads.</returns>
    public static bool IsPersonModule(string? module) =>
        string.Equals(module, "Contacts", StringComparison.OrdinalIgnoreCase) || string.Equals(module, "Leads", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the endpoints of a datacenter; <see langword="null"/> means <see cref="ZohoOptions.DefaultDataCenter"/>.</summary>
    /// <param name="datacenter">The datacenter id stored on the connection.</param>
    /// <returns>The endpoints.</returns>
    /// <exception cref="CrmRequestFailedException">The datacenter is not configured.</exception>
    public ZohoDataCenterEndpoints GetDataCenter(string? datacenter)
    {
        var id = string.IsNullOrWhiteSpace(datacenter) ? _options.DefaultDataCenter : datacenter;
        return _options.DataCenters.TryGetValue(id, out var endpoints)
            ? endpoints
            : throw new CrmRequestFailedException(
                $"Zoho datacenter '{id}' is not configured. Known: {string.Join(", ", _options.DataCenters.Keys)}.", Name, null, CrmProblemType.InvalidValue);
    }

    /// <summary>Gets the token endpoint of a datacenter (<c>{accounts}/oauth/v2/token</c>).</summary>
    /// <param name="datacenter">The datacenter id.</param>
    /// <returns>The URL.</returns>
    public Uri GetTokenUri(string? datacenter) => Append(GetDataCenter(datacenter).AccountsBaseAddress, "/oauth/v2/token");

    /// <summary>Gets the API base of a connection: the <c>api_domain</c> Zoho returned with its tokens, else its datacenter's API domain.</summary>
    /// <param name="datacenter">The datacenter id.</param>
    /// <param name="credentials">The connection's credentials, when known.</param>
    /// <returns>The URL that <c>/crm/v8/…</c> is appended to.</returns>
    public Uri GetApiBaseUri(string? datacenter, CrmCredentials? credentials = null) =>
        credentials?.InstanceUrl is { Length: > 0 } domain && Uri.TryCreate(domain, UriKind.Absolute, out var apiDomain)
            ? apiDomain
            : GetDataCenter(datacenter).ApiBaseAddress;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        if (records.Count > MaxRecordsPerCall)
        {
            throw new CrmRequestFailedException($"Zoho CRM accepts at most {MaxRecordsPerCall} records per call; got {records.Count}.", Name, null, CrmProblemType.InvalidValue);
        }

        var type = records[0].ObjectType;
        if (records.Any(r => r.ObjectType != type))
        {
            throw new CrmRequestFailedException("One call must hold records of one type.", Name, null, CrmProblemType.InvalidValue);
        }

        var results = type is CrmObjectType.Contact or CrmObjectType.Lead
            ? await UpsertPeopleAsync(context, records, cancellationToken).ConfigureAwait(false)
            : await UpsertActivitiesAsync(context, records, cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            _unconfirmed.Confirm(context.ConnectionId, record.ObjectType, record.ExternalId);
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var users = new List<CrmUser>();
        for (var page = 1; page <= 50; page++)
        {
            var current = page;
            var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetUsersAsync("ActiveUsers", current, 200, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    break;
                }

                EnsureSuccess(response, "list users");
                foreach (var user in response.Content!.Users ?? [])
                {
                    if (user.Id is { Length: > 0 } id)
                    {
                        users.Add(new CrmUser(id, user.FullName ?? user.Email ?? id, user.Email));
                    }
                }

                if (response.Content.Info?.MoreRecords != true)
                {
                    break;
                }
            }
        }

        return users;
    }

    /// <inheritdoc />
    /// <remarks>Links open the connection's own datacenter: <c>https://crm.zoho.{tld}/crm/tab/{Module}/{id}</c>. Notes (emails) have no page of their own.</remarks>
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(crmRecordId);
        var module = objectType switch
        {
            CrmObjectType.Contact or CrmObjectType.Lead => PersonModule(context, objectType),
            CrmObjectType.Call => "Calls",
            CrmObjectType.Meeting => "Events",
            _ => null,
        };
        return module is null ? null : Append(GetDataCenter(context.Datacenter).AppBaseAddress, $"/crm/tab/{module}/{Uri.EscapeDataString(crmRecordId)}");
    }

    private static Uri Append(Uri root, string path) => new(root.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);

    private string PersonModule(CrmProviderContext context, CrmObjectType type)
    {
        if (type == CrmObjectType.Lead)
        {
            return "Leads";
        }

        var configured = context.Settings.ProviderSettings.TryGetValue(ModuleSetting, out var module) && IsPersonModule(module) ? module : _options.ContactModule;
        return string.Equals(configured, "Leads", StringComparison.OrdinalIgnoreCase) ? "Leads" : "Contacts";
    }

    /// <summary>
    /// Sends one request with the connection's token through <see cref="CrmProviderCall"/>: refreshes once when Zoho says the
    /// token is invalid, turns throttling, outages and transport failures into CrmSync exceptions, and returns any other answer.
    /// </summary>
    /// <param name="context">The connection.</param>
    /// <param name="call">The request.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <param name="passScopeMismatch">Whether 401 <c>OAUTH_SCOPE_MISMATCH</c> is returned to the caller instead of meaning "reconnect".</param>
    private Task<IApiResponse<T>> SendAsync<T>(CrmProviderContext context, Func<IZohoApi, string, Uri, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken, bool passScopeMismatch = false)
    {
        var api = Api;
        return CrmProviderCall.SendAsync(
            context,
            this,
            (credentials, ct) => call(api, AuthorizationOf(credentials), GetApiBaseUri(context.Datacenter, credentials), ct),
            r => r.StatusCode == HttpStatusCode.Unauthorized && ErrorCode(r) is null or "INVALID_TOKEN" or "AUTHENTICATION_FAILURE",
            (response, _) => passScopeMismatch && response.StatusCode == HttpStatusCode.Unauthorized && ErrorCode(response) == "OAUTH_SCOPE_MISMATCH" ? null : Failure(context, response),
            cancellationToken);
    }

    /// <summary>Maps a whole-request answer to the exception it means: revoked (or missing a scope), throttled, out of credits, or down.</summary>
    private Exception? Failure<T>(CrmProviderContext context, IApiResponse<T> response)
    {
        var status = (int?)response.StatusCode ?? 0;
        if (status == 401)
        {
            var code = ErrorCode(response);
            return new CrmAuthRevokedException(
                code == "OAUTH_SCOPE_MISMATCH"
                    ? "Zoho CRM refused a permission CrmSync needs (scope mismatch). Reconnect and accept every permission asked for."
                    : "Zoho CRM rejected the saved sign-in even after refreshing it. Reconnect to restore syncing.",
                Name);
        }

        if (status == 429)
        {
            var code = ErrorCode(response) ?? "TOO_MANY_REQUESTS";
            var now = _time.GetUtcNow();
            var retryAfter = CrmHttpHeaders.GetRetryAfter(response.Headers, now);
            if (code is "LIMIT_EXCEEDED" or "LIMIT_REACHED")
            {
                var until = _budget.ReportDailyLimitReached(context.ConnectionId, retryAfter is { } r ? now + r : null);
                Log.Throttled(_logger, context.ConnectionId, code, until - now);
                return new CrmRateLimitedException(
                    $"Zoho CRM's API credits for the last 24 hours are used up; syncing resumes at {until:yyyy-MM-dd HH:mm} UTC.",
                    Name, until - now, isDailyLimit: true, policyName: code);
            }

            var wait = retryAfter ?? _options.ThrottleDelay;
            _budget.ReportThrottled(context.ConnectionId, wait);
            Log.Throttled(_logger, context.ConnectionId, code, wait);
            return new CrmRateLimitedException(
                $"Zoho CRM answered {code}: too many requests at once. CrmSync waits {wait.TotalSeconds:0.#} seconds and continues.",
                Name, wait, isDailyLimit: false, policyName: code);
        }

        return CrmHttpFailures.IsTransientStatus(status)
            ? CrmHttpFailures.Unavailable(status, Name, DisplayName, CrmHttpHeaders.GetRetryAfter(response.Headers, _time.GetUtcNow()))
            : null;
    }

    private string AuthorizationOf(CrmCredentials credentials) =>
        string.IsNullOrEmpty(credentials.AccessToken)
            ? throw new CrmAuthRevokedException("Zoho CRM is not connected. Connect it to start syncing.", Name)
            : "Zoho-oauthtoken " + credentials.AccessToken;

    private void EnsureSuccess<T>(IApiResponse<T> response, string what)
    {
        if (response.IsSuccessStatusCode && response.Content is not null)
        {
            return;
        }

        var error = ReadError(response);
        var status = (int?)response.StatusCode ?? 0;
        throw new CrmRequestFailedException($"Zoho CRM could not {what}: HTTP {status} {error?.Code} {CrmHttpFailures.DescribeBody(error?.Message)}".TrimEnd(), Name, status, ProblemOf(error?.Code, null), error?.Code);
    }

    private static string? ErrorCode<T>(IApiResponse<T> response) => ReadError(response)?.Code;

    /// <summary>Reads a whole-request error body <c>{code, details, message, status}</c>.</summary>
    private static ZohoResult? ReadError<T>(IApiResponse<T> response)
    {
        var body = (response.Error as ApiException)?.Content;
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ZohoResult>(body, ZohoJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CrmProblemType ProblemOf(string? code, string? apiName) => code switch
    {
        "MANDATORY_NOT_FOUND" or "REQUIRED_PARAM_MISSING" => CrmProblemType.RequiredFieldMissing,
        "DUPLICATE_DATA" => CrmProblemType.DuplicateRecord,
        "INVALID_DATA" when apiName is "Email" or "Secondary_Email" => CrmProblemType.InvalidEmail,
        "INVALID_DATA" => CrmProblemType.InvalidValue,
        "NO_PERMISSION" or "PERMISSION_DENIED" or "FEATURE_NOT_ENABLED" => CrmProblemType.PermissionDenied,
        "INVALID_MODULE" => CrmProblemType.UnknownField,
        _ => CrmProblemType.Unknown,
    };

    private static string RefMarker(string externalId) => RefMarkerPrefix + externalId;
}
