using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CrmSync.Providers.Pipedrive.Simulator;

/// <summary>
/// A stateful, in-process simulator of the Pipedrive API (v1 and v2) hosted by WireMock.Net on a free
/// localhost port. It keeps persons, custom person fields, notes, activities and users in memory, implements
/// API-token and OAuth authentication, the token-based daily budget, the 2-second burst window and the
/// Cloudflare block page, and exposes control methods to inject faults.
/// </summary>
/// <remarks>All members are thread-safe.</remarks>
public sealed partial class PipedriveSimulator : IDisposable
{
    private const string ErrorInfo = "Please check developers.pipedrive.com";

    private readonly object _lock = new();
    private readonly PipedriveSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly TransportFaults _faults = new();
    private readonly WireMockServer _server;
    private bool _disposed;

    private PipedriveSimulator(PipedriveSimulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        ResetState();

        var settings = new WireMockServerSettings
        {
            StartAdminInterface = false,
            Logger = new WireMockNullLogger(),
            MaxRequestLogCount = 0,
            DisableJsonBodyParsing = true,
            AllowBodyForAllHttpMethods = true,
            PreWireMockMiddlewareInit = _faults.Register,
        };
        _server = WireMockServer.Start(settings);
        BaseUrl = new Uri(_server.Url!.TrimEnd('/') + "/");
        RegisterRoutes();
    }

    /// <summary>Gets the root URL of the simulator. It plays the role of the company <c>api_domain</c> and of <c>oauth.pipedrive.com</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the OAuth authorize page URL (<c>{BaseUrl}oauth/authorize</c>).</summary>
    public Uri AuthorizeUrl => new(BaseUrl, "oauth/authorize");

    /// <summary>Gets the OAuth token endpoint URL (<c>{BaseUrl}oauth/token</c>).</summary>
    public Uri TokenUrl => new(BaseUrl, "oauth/token");

    /// <summary>Gets the API token accepted in the <c>x-api-token</c> header.</summary>
    public string ApiToken => _options.ApiToken;

    /// <summary>Gets the number of HTTP requests received since start or the last <see cref="Reset"/>, whatever their outcome.</summary>
    public long RequestCount => _faults.RequestCount;

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <returns>The running simulator. Dispose it to stop the server.</returns>
    public static PipedriveSimulator Start(PipedriveSimulatorOptions? options = null) => new(options ?? new PipedriveSimulatorOptions());

    /// <summary>Sets the burst limit (requests per token per window) for non-search endpoints.</summary>
    /// <param name="limit">The number of requests allowed per window.</param>
    /// <param name="window">The window length; <see langword="null"/> keeps the current one (2 seconds by default).</param>
    public void SetBurstLimit(int limit, TimeSpan? window = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            _burstLimit = limit;
            _burstWindow = window ?? _burstWindow;
            _burst.Clear();
            _searchBurst.Clear();
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> API requests answer 429 with <c>x-ratelimit-remaining: 0</c> and
    /// <c>x-ratelimit-reset</c> of <paramref name="reset"/>, as when other apps of the same company used up the window.
    /// The answers count as ignored 429s towards the block page.
    /// </summary>
    /// <param name="count">How many requests to throttle; 0 cancels pending ones.</param>
    /// <param name="reset">The wait the answers report; defaults to the burst window.</param>
    /// <param name="after">How many API requests to let through first (for a throttle in the middle of paging).</param>
    public void ThrottleNextRequests(int count, TimeSpan? reset = null, int after = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(after);
            _forcedThrottles = count;
            _forcedSkip = after;
            _forcedReset = reset ?? _burstWindow;
        }
    }

    /// <summary>Sets the company's daily token budget. Tokens already spent today stay spent.</summary>
    /// <param name="tokens">The budget in API tokens per UTC day.</param>
    public void SetDailyLimit(long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        lock (_lock)
        {
            _dailyBudget = tokens;
        }
    }

    /// <summary>Starts or stops a simulated outage.</summary>
    /// <param name="enabled"><see langword="true"/> to start the outage, <see langword="false"/> to end it.</param>
    /// <param name="kind">What the client sees during the outage.</param>
    public void SimulateOutage(bool enabled, PipedriveOutageKind kind = PipedriveOutageKind.ServiceUnavailable)
    {
        lock (_lock)
        {
            _outage503 = enabled && kind == PipedriveOutageKind.ServiceUnavailable;
        }

        _faults.SetTimeoutOutage(enabled && kind == PipedriveOutageKind.Timeout);
    }

    /// <summary>Adds a fixed real-time delay before every response.</summary>
    /// <param name="latency">The delay; <see cref="TimeSpan.Zero"/> removes it.</param>
    public void SetLatency(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        _faults.Latency = latency;
    }

    /// <summary>Revokes every OAuth access token, refresh token and pending code, and disables the API token until <see cref="Reset"/>.</summary>
    public void RevokeAllTokens()
    {
        lock (_lock)
        {
            _accessTokens.Clear();
            _refreshTokens.Clear();
            _codes.Clear();
            _apiTokenRevoked = true;
        }
    }

    /// <summary>Expires every OAuth access token now; refresh tokens stay valid.</summary>
    public void ExpireAccessTokens()
    {
        lock (_lock)
        {
            _accessTokens.Clear();
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests lose their response: the simulator processes them
    /// (writes are applied) and then drops the connection, so the client sees a transport failure.
    /// </summary>
    /// <param name="count">The number of responses to lose; 0 cancels a pending loss.</param>
    public void LoseNextResponses(int count) => _faults.LoseNextResponses(count);

    /// <summary>Returns snapshots of the stored records of one object type, ordered by id.</summary>
    /// <param name="objectType"><c>persons</c>, <c>notes</c>, <c>activities</c>, <c>personFields</c>, <c>users</c>, <c>deals</c>, <c>organizations</c> or <c>stages</c> (case-insensitive).</param>
    /// <returns>The records, deleted persons included (with <c>is_deleted: true</c>).</returns>
    public IReadOnlyList<PipedriveStoredRecord> GetRecords(string objectType)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        lock (_lock)
        {
            var table = TableFor(objectType)
                ?? throw new ArgumentException($"Unknown object type '{objectType}'. Use persons, notes, activities, personFields, users, deals, organizations or stages.", nameof(objectType));
            return table.Values
                .OrderBy(r => r.Id)
                .Select(r => new PipedriveStoredRecord(r.ObjectType, r.Id, (JsonObject)r.Data.DeepClone(), r.CreatedAt, r.ModifiedAt, r.OwnerId))
                .ToList();
        }
    }

    /// <summary>Clears all records, tokens, counters and faults, and restores the limits from the options.</summary>
    public void Reset()
    {
        _faults.Reset();
        _meter.Reset();
        lock (_lock)
        {
            ResetState();
        }
    }

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _faults.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private void Map(string method, string pattern, Func<IRequestMessage, Match, ResponseMessage> handler) =>
        MapAsync(method, pattern, (request, match) => Task.FromResult(handler(request, match)), priority: 10);

    private void MapAsync(string method, string pattern, Func<IRequestMessage, Match, Task<ResponseMessage>> handler, int priority)
    {
        var regex = new Regex("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        _server
            .Given(Request.Create().UsingMethod(method).WithPath(path => regex.IsMatch(path)))
            .AtPriority(priority)
            .RespondWith(Response.Create().WithCallback(async request =>
                (IResponseMessage)await handler(request, regex.Match(SimulatorHttp.Path(request))).ConfigureAwait(false)));
    }

    private void RegisterFallback() =>
        _server
            .Given(Request.Create().UsingAnyMethod())
            .AtPriority(1000)
            .RespondWith(Response.Create().WithCallback(request =>
            {
                lock (_lock)
                {
                    return (IResponseMessage)(_outage503 ? ServiceUnavailable() : ErrorResponse(404, "Unknown method ."));
                }
            }));

    private static ResponseMessage ErrorResponse(int status, string error) =>
        SimulatorHttp.Json(status, new JsonObject
        {
            ["success"] = false,
            ["error"] = error,
            ["error_info"] = ErrorInfo,
            ["data"] = null,
            ["additional_data"] = null,
        });

    private static ResponseMessage ServiceUnavailable()
    {
        var response = SimulatorHttp.Text(
            503,
            "text/html; charset=utf-8",
            "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>");
        response.AddHeader("Retry-After", "30");
        return response;
    }
}
