using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Refit;

namespace CrmSync.Providers.Pipedrive;

/// <summary>
/// The Pipedrive CRM provider: persons (v2) deduplicated through a custom external-id field and an exact-match search,
/// activities (v2) and notes (v1) linked to the person, users for the owner picker, deep links, and sign-in with an API
/// token or OAuth. Register it with <c>builder.AddPipedrive(…)</c>.
/// </summary>
/// <remarks>
/// Pipedrive has no batch and no upsert endpoint, so each record costs a search (unless CrmSync already knows its id) and
/// a create or update. Every request goes through a per-connection budget that keeps it under Pipedrive's burst windows
/// (general and search) and the daily token budget it reports; throttling pauses the connection instead of failing records.
/// </remarks>
public sealed partial class PipedriveCrmProvider : ICrmProvider, ICrmOAuthProvider
{
    /// <summary>The provider name stored on connections.</summary>
    public const string ProviderName = "pipedrive";

    /// <summary>The name users see.</summary>
    public const string ProviderDisplayName = "Pipedrive";

    private const string RefMarkerPrefix = "crmsync-ref:";
    private readonly CrmApiClientFactory<IPipedriveApi> _clients;
    private readonly CrmApiClientFactory<IPipedriveOAuthApi> _oauthClients;
    private readonly PipedriveOptions _options;
    private readonly IOptionsMonitor<CrmSyncOptions> _syncOptions;
    private readonly PipedriveBudgets _budgets;
    private readonly CrmUnconfirmedWrites _unconfirmed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, string> _fieldCodes = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _fieldLocks = new();
    private readonly ConcurrentDictionary<Guid, Uri> _webBases = new();

    internal PipedriveCrmProvider(CrmApiClientFactory<IPipedriveApi> clients, CrmApiClientFactory<IPipedriveOAuthApi> oauthClients, PipedriveOptions options, IOptionsMonitor<CrmSyncOptions> syncOptions, PipedriveBudgets budgets, CrmUnconfirmedWrites unconfirmed, TimeProvider time, ILogger<PipedriveCrmProvider> logger)
    {
        _clients = clients;
        _oauthClients = oauthClients;
        _options = options;
        _syncOptions = syncOptions;
        _budgets = budgets;
        _unconfirmed = unconfirmed;
        _time = time;
        _logger = logger;
        Capabilities = new CrmProviderCapabilities
        {
            MaxBatchSize = options.MaxConcurrency,
            NativeUpsert = false,
            CanListUsers = true,
            RecordDeepLinks = true,
            OAuth = options.HasOAuthClient,

            // Installs from the Pipedrive Marketplace come back without state (Pipedrive adds it only to sign-ins the app starts).
            InstallsWithoutState = options.HasOAuthClient,
            CanFetch = true,
        };
    }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DisplayName => ProviderDisplayName;

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; }

    /// <summary>Gets the per-connection request budget (general burst window and daily tokens), for diagnostics and tests.</summary>
    public CrmRequestBudget RequestBudget => _budgets.General;

    /// <summary>Gets the per-connection budget of the search API.</summary>
    public CrmRequestBudget SearchBudget => _budgets.Search;

    /// <summary>Gets a client for one call, from <see cref="IHttpClientFactory"/>.</summary>
    private IPipedriveApi Api => _clients.Create();

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        if (records.Count > Capabilities.MaxBatchSize)
        {
            throw new CrmRequestFailedException($"{DisplayName} accepts at most {Capabilities.MaxBatchSize} records per call; got {records.Count}.", Name, null, CrmProblemType.InvalidValue);
        }

        if (records.FirstOrDefault(r => !IsActivity(r.ObjectType)) is { } person)
        {
            // The external-id field first, once: a refusal to create it fails the call before any person is sent.
            await GetExternalIdFieldCodeAsync(context, person.ExternalIdField, cancellationToken).ConfigureAwait(false);
        }

        var results = await WriteConcurrentlyAsync(records, (record, ct) => UpsertOneAsync(context, record, ct), cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            // The engine stores these outcomes now: nothing is left to reconcile.
            _unconfirmed.Confirm(context.ConnectionId, record.ObjectType, record.ExternalId);
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetUsersAsync(auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            EnsureSuccess(response, "list users");
            return (response.Content?.Data ?? [])
                .Where(u => u.ActiveFlag)
                .Select(u => new CrmUser(u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Name ?? u.Email ?? $"User {u.Id}", u.Email))
                .ToList();
        }
    }

    /// <inheritdoc />
    /// <remarks>Persons open at <c>https://{company}.pipedrive.com/person/{id}</c> once the connection's company domain is known, and through <see cref="PipedriveOptions.AppBaseAddress"/> before. Activities and notes have no page of their own.</remarks>
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(crmRecordId);
        if (objectType is not (CrmObjectType.Contact or CrmObjectType.Lead))
        {
            return null;
        }

        var root = _webBases.TryGetValue(context.ConnectionId, out var web) ? web : _options.AppBaseAddress;
        return new Uri(root.GetLeftPart(UriPartial.Authority) + "/person/" + Uri.EscapeDataString(crmRecordId));
    }

    private static bool IsActivity(CrmObjectType type) => type is CrmObjectType.Email or CrmObjectType.Call or CrmObjectType.Meeting;

    private Task<CrmRecordResult> UpsertOneAsync(CrmProviderContext context, CrmRecordWrite record, CancellationToken cancellationToken) =>
        IsActivity(record.ObjectType)
            ? UpsertActivityAsync(context, record, cancellationToken)
            : UpsertPersonAsync(context, record, cancellationToken);

    /// <summary>Writes records with at most <see cref="PipedriveOptions.MaxConcurrency"/> in flight. A throttle, outage or revocation stops the rest and is thrown once the writes in flight have finished.</summary>
    private async Task<IReadOnlyList<CrmRecordResult>> WriteConcurrentlyAsync(IReadOnlyList<CrmRecordWrite> records, Func<CrmRecordWrite, CancellationToken, Task<CrmRecordResult>> write, CancellationToken cancellationToken)
    {
        var results = new CrmRecordResult[records.Count];
        if (records.Count == 1 || _options.MaxConcurrency == 1)
        {
            for (var i = 0; i < records.Count; i++)
            {
                results[i] = await write(records[i], cancellationToken).ConfigureAwait(false);
            }

            return results;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(_options.MaxConcurrency);
        Exception? fatal = null;
        var tasks = new Task[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                try
                {
                    results[index] = await write(records[index], stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    lock (results)
                    {
                        if (ex is not OperationCanceledException && (fatal is null || Severity(ex) > Severity(fatal)))
                        {
                            fatal = ex;
                        }
                    }

                    await stop.CancelAsync().ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (fatal is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fatal);
        }

        return results;

        static int Severity(Exception ex) => ex switch
        {
            CrmAuthRevokedException => 4,
            CrmRateLimitedException => 3,
            CrmProviderUnavailableException => 2,
            _ => 1,
        };
    }

    /// <summary>
    /// Sends one request with the connection's credentials through <see cref="CrmProviderCall"/>: refreshes once on a 401, turns
    /// throttling, the HTML block page, outages and transport failures into CrmSync exceptions, and returns any other answer.
    /// </summary>
    private Task<IApiResponse<T>> SendAsync<T>(CrmProviderContext context, Func<IPipedriveApi, IDictionary<string, string>, Uri, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken, bool search = false)
    {
        var api = Api;
        return CrmProviderCall.SendAsync(
            context,
            this,
            (credentials, ct) => call(api, AuthHeaders(credentials), BaseAddressOf(context.ConnectionId, credentials), ct),
            r => r.StatusCode == HttpStatusCode.Unauthorized,
            (response, used) =>
            {
                if (search && PipedriveBudgets.Read(response.Headers, includeBurst: true) is { } searchLimits)
                {
                    // Search answers report the search window; their daily figures belong to the general budget.
                    _budgets.Search.ReportLimits(context.ConnectionId, searchLimits with { DailyLimit = null, DailyRemaining = null });
                    _budgets.General.ReportLimits(context.ConnectionId, searchLimits with { BurstLimit = null, BurstRemaining = null });
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return new CrmAuthRevokedException(
                        used.RefreshToken is null
                            ? "Pipedrive rejected the saved API token. Enter a valid token or Reconnect to restore syncing."
                            : "Pipedrive rejected the saved sign-in even after refreshing it. Reconnect to restore syncing.",
                        Name);
                }

                return ScopeMismatch(response) ?? ThrottledOrDown(context.ConnectionId, response, search);
            },
            cancellationToken);
    }

    /// <summary>
    /// A 403 "Scope and URL mismatch": the app's sign-in does not cover this endpoint. Pipedrive's body names no scope, so the
    /// message names the one the refused endpoint needs; only a sign-in that grants it (after the scope is added to the app in
    /// Developer Hub) helps, so it asks to reconnect. The connection stays valid for the calls its scopes cover.
    /// </summary>
    private CrmRequestFailedException? ScopeMismatch<T>(IApiResponse<T> response)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden || IsBlockPage(response)
            || (response.Error as ApiException)?.Content is not { } content
            || !content.Contains("Scope and URL mismatch", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var api = response.Error as ApiException;
        var scope = PipedriveScopes.For(api?.HttpMethod, api?.Uri);
        var named = scope is null ? "a permission (scope) this call needs" : $"the permission (scope) {scope}";
        return new CrmRequestFailedException(
            $"Pipedrive refused the request (HTTP 403, scope and URL mismatch): the app's sign-in was not granted {named}. Make sure the app's scopes in Pipedrive's Developer Hub include it, then Reconnect Pipedrive and approve it.",
            Name, 403, CrmProblemType.PermissionDenied, "SCOPE_MISMATCH");
    }

    private Exception? ThrottledOrDown<T>(Guid connectionId, IApiResponse<T> response, bool search)
    {
        var status = (int?)response.StatusCode ?? 0;
        var now = _time.GetUtcNow();
        if (status == 429)
        {
            var headers = response.Headers;

            // A used-up daily token budget is a 429 while the burst window still has room (x-ratelimit-remaining > 0).
            // Pipedrive documents only the x-ratelimit-* headers; x-daily-ratelimit-token-remaining is read when it is sent.
            var dailyRemaining = CrmHttpHeaders.GetInt32(headers, "x-daily-ratelimit-token-remaining");
            var burstRemaining = CrmHttpHeaders.GetInt32(headers, "x-ratelimit-remaining");
            if (dailyRemaining == 0 || (dailyRemaining is null && burstRemaining is > 0))
            {
                var until = _budgets.General.ReportDailyLimitReached(connectionId);
                Log.Throttled(_logger, connectionId, "DAILY_TOKENS", until - now);
                return new CrmRateLimitedException(
                    $"Pipedrive's daily API token budget is used up; syncing resumes when it resets at {until:yyyy-MM-dd HH:mm} UTC.",
                    Name, until - now, isDailyLimit: true, policyName: "DAILY_TOKENS");
            }

            var reset = CrmHttpHeaders.GetRetryAfter(headers, now)
                ?? (CrmHttpHeaders.GetInt32(headers, "x-ratelimit-reset") is { } seconds ? TimeSpan.FromSeconds(Math.Max(1, seconds)) : _options.RequestBudget.BurstWindow);
            (search ? _budgets.Search : _budgets.General).ReportThrottled(connectionId, reset);
            var policy = search ? "SEARCH_BURST" : "BURST";
            Log.Throttled(_logger, connectionId, policy, reset);
            return new CrmRateLimitedException(
                $"Pipedrive's {(search ? "search " : string.Empty)}rate limit was reached; CrmSync waits {reset.TotalSeconds:0.#} seconds before the next request.",
                Name, reset, isDailyLimit: false, policyName: policy);
        }

        if (status == 403 && IsBlockPage(response))
        {
            var wait = _options.BlockedRetryDelay;
            _budgets.General.ReportThrottled(connectionId, wait);
            _budgets.Search.ReportThrottled(connectionId, wait);
            Log.Blocked(_logger, connectionId, wait);
            return new CrmRateLimitedException(
                $"Pipedrive temporarily blocked requests after repeated rate-limit answers; CrmSync pauses for {wait.TotalMinutes:0.#} minutes and then resumes.",
                Name, wait, isDailyLimit: false, policyName: "BLOCKED");
        }

        if (CrmHttpFailures.IsTransientStatus(status))
        {
            var retryAfter = CrmHttpHeaders.GetRetryAfter(response.Headers, now);
            return CrmHttpFailures.Unavailable(status, Name, DisplayName, retryAfter);
        }

        return null;
    }

    /// <summary>Pipedrive's edge answers abuse with an HTML page (Cloudflare), never with its JSON envelope.</summary>
    private static bool IsBlockPage<T>(IApiResponse<T> response)
    {
        var mediaType = response.ContentHeaders?.ContentType?.MediaType;
        if (mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (CrmHttpHeaders.GetValue(response.Headers, "Server") is { } server && server.Contains("cloudflare", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return (response.Error as ApiException)?.Content?.TrimStart().StartsWith('<') == true;
    }

    private IDictionary<string, string> AuthHeaders(CrmCredentials credentials)
    {
        if (!string.IsNullOrEmpty(credentials.AccessToken))
        {
            return new Dictionary<string, string> { ["Authorization"] = "Bearer " + credentials.AccessToken };
        }

        if (!string.IsNullOrEmpty(credentials.ApiKey))
        {
            return new Dictionary<string, string> { ["x-api-token"] = credentials.ApiKey };
        }

        throw new CrmAuthRevokedException("Pipedrive is not connected: there is no API token or sign-in. Connect it to start syncing.", Name);
    }

    private Uri BaseAddressOf(Guid connectionId, CrmCredentials credentials)
    {
        if (!string.IsNullOrWhiteSpace(credentials.InstanceUrl) && Uri.TryCreate(credentials.InstanceUrl, UriKind.Absolute, out var apiDomain))
        {
            _webBases[connectionId] = apiDomain;
            return apiDomain;
        }

        return _options.ApiBaseAddress;
    }

    /// <summary>Throws for an answer that is not a success, for calls that have no per-record outcome.</summary>
    private void EnsureSuccess<T>(IApiResponse<T> response, string what)
    {
        if (response.IsSuccessStatusCode && response.Content is not null)
        {
            return;
        }

        var (problem, message) = Describe(response);
        throw new CrmRequestFailedException($"Pipedrive could not {what}: {message}", Name, ((int?)response.StatusCode ?? 0), problem);
    }

    /// <summary>Turns a rejected request into a problem type and a plain, secret-free message.</summary>
    private static (CrmProblemType Problem, string Message) Describe<T>(IApiResponse<T> response)
    {
        var status = (int?)response.StatusCode ?? 0;
        var body = (response.Error as ApiException)?.Content;
        string? error = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                {
                    error = e.GetString();
                }
            }
            catch (JsonException)
            {
                // Not the JSON envelope: describe the raw body.
            }
        }

        var message = CrmHttpFailures.DescribeBody(error ?? body ?? $"HTTP {status}");
        var problem = status switch
        {
            402 or 403 => CrmProblemType.PermissionDenied,
            _ when message.Contains("is required", StringComparison.OrdinalIgnoreCase) || message.Contains("must be specified", StringComparison.OrdinalIgnoreCase) => CrmProblemType.RequiredFieldMissing,
            _ when message.Contains("does not exist", StringComparison.OrdinalIgnoreCase) && message.Contains("field", StringComparison.OrdinalIgnoreCase) => CrmProblemType.UnknownField,
            _ when message.Contains("email", StringComparison.OrdinalIgnoreCase) => CrmProblemType.InvalidEmail,
            400 or 404 or 422 => CrmProblemType.InvalidValue,
            _ => CrmProblemType.Unknown,
        };
        return (problem, $"Pipedrive answered HTTP {status}: {message}");
    }

    private static long? ParseId(string? id) =>
        long.TryParse(id, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string RefMarker(string externalId) => RefMarkerPrefix + externalId;
}
