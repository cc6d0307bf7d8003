using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmSync.Providers.OpenApi.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Serialization.Json;

namespace CrmSync.Providers.OpenApi;

/// <summary>
/// A CRM described by an <see cref="OpenApiProfile"/>: the profile names the OpenAPI operations that search, create,
/// update, list users and list changes, and how fields map; the provider runs them on the Kiota request adapter with the
/// connection's credentials, the shared request budget and CrmSync's throttling, outage and revocation rules.
/// Register it with <c>builder.AddOpenApiCrm(profile, …)</c> or <c>builder.AddReapit(…)</c>.
/// </summary>
/// <remarks>
/// Most CRMs reached this way have no upsert, so each record costs a search by external id (unless CrmSync already knows
/// its id) and a create or an update. Creates whose answer was lost are remembered and searched for before creating
/// again, so a retry never makes a second record.
/// </remarks>
public sealed partial class OpenApiCrmProvider : ICrmProvider, ICrmFetchProvider, ICrmOAuthProvider
{
    private const string MarkerPrefix = "crmsync-ref:";
    private readonly OpenApiDocument _document;
    private readonly OpenApiCrmOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly CrmUnconfirmedWrites _unconfirmed;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonParseNodeFactory _parseNodes = new();
    private readonly JsonSerializationWriterFactory _writers = new();
    private readonly SemaphoreSlim _appTokenGate = new(1, 1);
    private (string Token, DateTimeOffset ExpiresAt)? _appToken;

    internal OpenApiCrmProvider(OpenApiProfile profile, OpenApiDocument document, OpenApiCrmOptions options, IHttpClientFactory httpClients, CrmUnconfirmedWrites unconfirmed, TimeProvider time, ILogger logger)
    {
        Profile = profile;
        _document = document;
        _options = options;
        _httpClients = httpClients;
        _unconfirmed = unconfirmed;
        _time = time;
        _logger = logger;
        BaseUrl = options.BaseUrl ?? profile.BaseUrl;
        var limits = profile.Limits;
        RequestBudget = new CrmRequestBudget(profile.Name, profile.DisplayName, new CrmRequestBudgetOptions
        {
            BurstLimit = options.BurstLimit ?? limits.BurstLimit,
            BurstWindow = options.BurstWindow ?? limits.BurstWindow,
            DailyLimit = options.DailyLimit ?? limits.DailyLimit,
            DailyWindow = CrmDailyLimitWindow.CalendarDay,
            DailyResetTimeZone = TimeZoneInfo.Utc,
            MaxWait = options.MaxBudgetWait,
        }, time);
        var objects = new HashSet<CrmObjectType> { CrmObjectType.Contact, CrmObjectType.Lead };
        if (profile.Activity is { } activity)
        {
            foreach (var kind in activity.TypeValues.Keys)
            {
                objects.Add(kind switch { "email" => CrmObjectType.Email, "call" => CrmObjectType.Call, _ => CrmObjectType.Meeting });
            }
        }

        Capabilities = new CrmProviderCapabilities
        {
            MaxBatchSize = options.MaxConcurrency ?? limits.MaxConcurrency,
            NativeUpsert = false,
            CanListUsers = profile.Users is not null,
            RecordDeepLinks = profile.ContactLinkTemplate is not null,
            OAuth = profile.Auth.Kind == OpenApiAuthKind.AuthorizationCode,
            CanFetch = profile.Contact.ListModifiedSince is not null,
            SupportedObjects = objects,
        };
        var fetchable = new HashSet<CrmFetchObjectType>();
        if (profile.Contact.ListModifiedSince is not null)
        {
            fetchable.Add(CrmFetchObjectType.Contact);
        }

        if (profile.Lead?.ListModifiedSince is not null)
        {
            fetchable.Add(CrmFetchObjectType.Lead);
        }

        FetchCapabilities = new CrmFetchCapabilities { Objects = fetchable, MaxPageSize = profile.Paging.MaxPageSize, ExactCounts = profile.Paging.Style == OpenApiPagingStyle.PageNumber };
    }

    /// <summary>Gets the profile this provider runs.</summary>
    public OpenApiProfile Profile { get; }

    /// <inheritdoc cref="ICrmProvider.Name" />
    public string Name => Profile.Name;

    /// <inheritdoc />
    public string DisplayName => Profile.DisplayName;

    /// <inheritdoc />
    public CrmProviderCapabilities Capabilities { get; }

    /// <inheritdoc />
    public CrmFetchCapabilities FetchCapabilities { get; }

    /// <summary>Gets the per-connection request budget (the profile's published limits), for diagnostics and tests.</summary>
    public CrmRequestBudget RequestBudget { get; }

    /// <summary>Gets the API base URL requests go to.</summary>
    public Uri BaseUrl { get; }

    internal static string HttpClientName(string profile) => "CrmSync.OpenApi." + profile;

    internal static string OAuthClientName(string profile) => "CrmSync.OpenApi.OAuth." + profile;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Profile.Users is not { } users)
        {
            return [];
        }

        var result = new List<CrmUser>();
        string? cursor = null;
        for (var page = 1; page <= 100; page++)
        {
            var answer = await ListPageAsync(context, users.List, null, cursor, page, Profile.Paging.MaxPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var item in answer.Items)
            {
                if (users.ActivePath is not null && OpenApiValues.Text(item, users.ActivePath) == "false")
                {
                    continue;
                }

                if (OpenApiValues.Text(item, users.IdPath) is { } id)
                {
                    var email = OpenApiValues.Text(item, users.EmailPath);
                    result.Add(new CrmUser(id, OpenApiValues.Text(item, users.NamePath) ?? email ?? id, email));
                }
            }

            if (!answer.HasMore)
            {
                break;
            }

            cursor = answer.NextCursor;
        }

        return result;
    }

    /// <inheritdoc />
    public Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(crmRecordId);
        return objectType is CrmObjectType.Contact or CrmObjectType.Lead && Profile.ContactLinkTemplate is { } template
            ? new Uri(template.Replace("{id}", Uri.EscapeDataString(crmRecordId), StringComparison.Ordinal))
            : null;
    }

    /// <summary>
    /// Sends one operation through the Kiota request adapter with the connection's credentials: refreshes once on a 401,
    /// turns throttling, outages and transport failures into CrmSync exceptions, and returns any other answer.
    /// </summary>
    internal async Task<OpenApiAnswer> SendAsync(CrmProviderContext context, OpenApiCall call, CancellationToken cancellationToken)
    {
        var operation = _document.Find(call.OperationId)
            ?? throw new InvalidOperationException($"The profile names the operation '{call.OperationId}', which the document lacks.");
        OpenApiAnswer answer;
        switch (Profile.Auth.Kind)
        {
            case OpenApiAuthKind.ApiKey:
            {
                var credentials = await context.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
                if (string.IsNullOrEmpty(credentials.ApiKey))
                {
                    throw new CrmAuthRevokedException($"{DisplayName} is not connected: there is no API key. Connect it to start syncing.", Name);
                }

                answer = await SendOnceAsync(context, credentials, operation, call, (Profile.Auth.ApiKeyHeader, credentials.ApiKey), cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401)
                {
                    throw new CrmAuthRevokedException($"{DisplayName} rejected the saved API key. Enter a valid key or Reconnect to restore syncing.", Name);
                }

                break;
            }

            case OpenApiAuthKind.ClientCredentials:
            {
                var credentials = await context.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
                var token = await GetAppTokenAsync(null, cancellationToken).ConfigureAwait(false);
                answer = await SendOnceAsync(context, credentials, operation, call, ("Authorization", "Bearer " + token), cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401)
                {
                    token = await GetAppTokenAsync(token, cancellationToken).ConfigureAwait(false);
                    answer = await SendOnceAsync(context, credentials, operation, call, ("Authorization", "Bearer " + token), cancellationToken).ConfigureAwait(false);
                }

                if (answer.Status == 401)
                {
                    throw new CrmAuthRevokedException($"{DisplayName} refused the app's access to this account even with a new token (the app may have been uninstalled). Reconnect to restore syncing.", Name);
                }

                break;
            }

            default:
            {
                CrmCredentials? used = null;
                answer = await CrmCredentialRetry.SendAsync(
                    context.Credentials,
                    (credentials, ct) =>
                    {
                        used = credentials;
                        if (string.IsNullOrEmpty(credentials.AccessToken))
                        {
                            throw new CrmAuthRevokedException($"{DisplayName} is not connected. Connect it to start syncing.", Name);
                        }

                        return SendOnceAsync(context, credentials, operation, call, ("Authorization", "Bearer " + credentials.AccessToken), ct);
                    },
                    a => a.Status == 401,
                    cancellationToken).ConfigureAwait(false);
                if (answer.Status == 401)
                {
                    throw new CrmAuthRevokedException($"{DisplayName} rejected the saved sign-in even after refreshing it. Reconnect to restore syncing.", Name);
                }

                _ = used;
                break;
            }
        }

        ThrowIfThrottledOrDown(context.ConnectionId, answer);
        return answer;
    }

    private async Task<OpenApiAnswer> SendOnceAsync(CrmProviderContext context, CrmCredentials credentials, OpenApiOperation operation, OpenApiCall call, (string Header, string Value) auth, CancellationToken cancellationToken)
    {
        var request = new RequestInformation
        {
            HttpMethod = Enum.Parse<Method>(operation.Method, ignoreCase: true),
            UrlTemplate = "{+baseurl}" + operation.Path + QueryTemplate(call.Query.Keys),
        };
        foreach (var (name, value) in call.PathParameters)
        {
            request.PathParameters[name] = value;
        }

        foreach (var (name, value) in call.Query)
        {
            request.QueryParameters[EncodeName(name)] = value;
        }

        request.Headers.Add("Accept", "application/json");
        foreach (var (name, template) in Profile.Headers)
        {
            if (ResolveHeader(template, credentials) is { } value)
            {
                request.Headers.Add(name, value);
            }
        }

        foreach (var (name, value) in call.Headers)
        {
            request.Headers.Add(name, value);
        }

        if (call.Body is not null)
        {
            request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(call.Body.ToJsonString())), "application/json");
        }

        var handler = new NativeResponseHandler();
        request.AddRequestOptions([new ConnectionRequestOption(context.ConnectionId), new ResponseHandlerOption { ResponseHandler = handler }]);
        var httpClient = _httpClients.CreateClient(HttpClientName(Name));
        using var adapter = new HttpClientRequestAdapter(new CredentialAuthenticationProvider(auth.Header, auth.Value), _parseNodes, _writers, httpClient) { BaseUrl = BaseUrl.ToString().TrimEnd('/') };
        try
        {
            await adapter.SendNoContentAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CrmSyncException)
        {
            // The request budget refused to wait (a pause, not a failure).
            throw;
        }
        catch (Exception ex) when (CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, Name, DisplayName);
        }

        using var response = (HttpResponseMessage)handler.Value!;
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, Name, DisplayName);
        }

        JsonNode? body = null;
        if (!string.IsNullOrWhiteSpace(text) && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        return new OpenApiAnswer((int)response.StatusCode, response.Headers, body, text);
    }

    private static string? ResolveHeader(string template, CrmCredentials credentials)
    {
        const string Prefix = "{credentials:";
        if (!template.StartsWith(Prefix, StringComparison.Ordinal) || !template.EndsWith('}'))
        {
            return template;
        }

        var key = template[Prefix.Length..^1];
        if (key == "apiKey")
        {
            return string.IsNullOrWhiteSpace(credentials.ApiKey) ? null : credentials.ApiKey;
        }

        return credentials.Properties.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
    }

    private static string QueryTemplate(IEnumerable<string> names)
    {
        var list = names.Select(n => EncodeName(n) + "*").ToList();
        return list.Count == 0 ? string.Empty : "{?" + string.Join(',', list) + "}";
    }

    /// <summary>RFC 6570 variable names allow letters, digits and <c>_</c>; other characters are percent-encoded (and decoded again by Kiota's parameter-name handler).</summary>
    private static string EncodeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                builder.Append(c);
            }
            else
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return builder.ToString();
    }

    private void ThrowIfThrottledOrDown(Guid connectionId, OpenApiAnswer answer)
    {
        var now = _time.GetUtcNow();
        if (answer.Status == 429)
        {
            var wait = CrmHttpHeaders.GetRetryAfter(answer.Headers, now)
                ?? ResetHeader(answer.Headers, now)
                ?? _options.DefaultThrottleWait
                ?? RequestBudget.Options.BurstWindow;
            RequestBudget.ReportThrottled(connectionId, wait);
            Log.Throttled(_logger, Name, connectionId, wait);
            throw new CrmRateLimitedException(
                $"{DisplayName}'s rate limit was reached; CrmSync waits {wait.TotalSeconds:0.#} seconds before the next request.",
                Name, wait, isDailyLimit: false, policyName: "RATE_LIMIT");
        }

        if (CrmHttpFailures.IsTransientStatus(answer.Status))
        {
            throw CrmHttpFailures.Unavailable(answer.Status, Name, DisplayName, CrmHttpHeaders.GetRetryAfter(answer.Headers, now));
        }
    }

    /// <summary>Reads the common reset headers (<c>RateLimit-Reset</c>, <c>X-RateLimit-Reset</c>): seconds to wait, or a Unix time.</summary>
    private static TimeSpan? ResetHeader(System.Net.Http.Headers.HttpResponseHeaders headers, DateTimeOffset now)
    {
        foreach (var name in new[] { "RateLimit-Reset", "X-RateLimit-Reset" })
        {
            if (CrmHttpHeaders.GetValue(headers, name) is { } text && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                // Values past a year are Unix times; smaller ones are seconds.
                var wait = value > 31_536_000 ? DateTimeOffset.FromUnixTimeSeconds(value) - now : TimeSpan.FromSeconds(value);
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
            }
        }

        return null;
    }

    /// <summary>Reads the common limit headers (<c>X-RateLimit-Limit</c>/<c>-Remaining</c>, <c>RateLimit-Limit</c>/<c>-Remaining</c>) for the budget.</summary>
    internal static CrmRateLimitSnapshot? ReadLimits(HttpResponseMessage response)
    {
        var limit = CrmHttpHeaders.GetInt32(response.Headers, "X-RateLimit-Limit") ?? CrmHttpHeaders.GetInt32(response.Headers, "RateLimit-Limit");
        var remaining = CrmHttpHeaders.GetInt32(response.Headers, "X-RateLimit-Remaining") ?? CrmHttpHeaders.GetInt32(response.Headers, "RateLimit-Remaining");
        return limit is null && remaining is null ? null : new CrmRateLimitSnapshot { BurstLimit = limit, BurstRemaining = remaining };
    }

    /// <summary>Turns a rejected answer into a problem type and a plain, secret-free message (Reapit's <c>description</c> and <c>errors[]</c>, or the common <c>message</c>/<c>error</c> shapes).</summary>
    private (CrmProblemType Problem, string Message) Describe(OpenApiAnswer answer)
    {
        var parts = new List<string>();
        var body = answer.Body as JsonObject;
        foreach (var key in new[] { "description", "message", "error_description" })
        {
            if (OpenApiValues.Text(body, key) is { } text)
            {
                parts.Add(text);
            }
        }

        if (body?["error"] is JsonObject error && OpenApiValues.Text(error, "message") is { } nested)
        {
            parts.Add(nested);
        }
        else if (OpenApiValues.Text(body, "error") is { } flat)
        {
            parts.Add(flat);
        }

        var fieldNames = new List<string>();
        if (body?["errors"] is JsonArray errors)
        {
            foreach (var item in errors.OfType<JsonObject>())
            {
                var field = OpenApiValues.Text(item, "field");
                var message = OpenApiValues.Text(item, "message");
                if (field is not null)
                {
                    fieldNames.Add(field);
                }

                parts.Add(field is null ? message ?? string.Empty : $"{field}: {message}");
            }
        }

        var description = CrmHttpFailures.DescribeBody(parts.Count > 0 ? string.Join(" ", parts.Where(p => p.Length > 0)) : answer.Text.Length > 0 ? answer.Text : $"HTTP {answer.Status}");
        var problem = answer.Status switch
        {
            403 => CrmProblemType.PermissionDenied,
            409 => CrmProblemType.DuplicateRecord,
            _ when description.Contains("required", StringComparison.OrdinalIgnoreCase) => CrmProblemType.RequiredFieldMissing,
            _ when fieldNames.Any(f => f.Contains("email", StringComparison.OrdinalIgnoreCase)) || description.Contains("email", StringComparison.OrdinalIgnoreCase) => CrmProblemType.InvalidEmail,
            _ when description.Contains("unknown field", StringComparison.OrdinalIgnoreCase) || description.Contains("not recogni", StringComparison.OrdinalIgnoreCase) => CrmProblemType.UnknownField,
            400 or 404 or 412 or 422 => CrmProblemType.InvalidValue,
            _ => CrmProblemType.Unknown,
        };
        return (problem, $"{DisplayName} answered HTTP {answer.Status}: {description}");
    }

    /// <summary>Throws for an answer that is not a success, for calls that have no per-record outcome.</summary>
    private void EnsureSuccess(OpenApiAnswer answer, string what)
    {
        if (answer.Status is >= 200 and < 300)
        {
            return;
        }

        var (problem, message) = Describe(answer);
        throw new CrmRequestFailedException($"{DisplayName} could not {what}: {message}", Name, answer.Status, problem);
    }
}

/// <summary>One operation call: the values CrmSync fills.</summary>
internal sealed record OpenApiCall(string OperationId)
{
    public Dictionary<string, string> PathParameters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, object> Query { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject? Body { get; init; }
}

/// <summary>An answer that was not throttling, an outage or a revocation.</summary>
internal sealed record OpenApiAnswer(int Status, System.Net.Http.Headers.HttpResponseHeaders Headers, JsonNode? Body, string Text)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsNotFound => Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Gone;
}
