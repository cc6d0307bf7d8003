using System.Globalization;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <summary>
/// A stateful Salesforce REST API simulator hosted by WireMock.Net on a localhost port.
/// </summary>
/// <remarks>
/// The simulator keeps an in-memory, thread-safe store of Lead, Contact, Task and Event records and answers the
/// OAuth, sObject, sObject collections and SOQL query endpoints with the status codes, headers and error arrays of
/// the real API. Control methods let tests and samples inject API limits, outages, latency, session expiry and
/// lost responses.
/// </remarks>
public sealed partial class SalesforceSimulator : IDisposable
{
    private readonly object _gate = new();
    private readonly SalesforceSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly WireMockServer _server;
    private readonly CancellationTokenSource _disposed = new();

    private readonly Dictionary<long, DateTimeOffset> _inFlight = [];
    private long _lastTicket;
    private int _requestCount;
    private int _concurrentLongRequestLimit;
    private TimeSpan _longRequestThreshold;
    private int? _burstLimit;
    private TimeSpan _burstWindow;
    private int _dailyLimit;
    private string _apiVersion = "62.0";
    private bool _outage;
    private SalesforceOutageKind _outageKind;
    private CancellationTokenSource _outageEnded = new();
    private TimeSpan _latency;
    private int _responsesToLose;

    private SalesforceSimulator(SalesforceSimulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        ResetState();

        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Port = options.Port ?? 0,
            StartAdminInterface = false,
            AllowBodyForAllHttpMethods = true,
            DisableJsonBodyParsing = true,
            DisableDeserializeFormUrlEncoded = true,
            MaxRequestLogCount = 200,
            DoNotSaveDynamicResponseInLogEntry = true,
            PreWireMockMiddlewareInit = DropConnectionMiddleware.Register,
        });

        _server
            .Given(Request.Create().WithPath(path => path.StartsWith("/services/oauth2/", StringComparison.Ordinal)).UsingAnyMethod())
            .WithTitle("Salesforce OAuth")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, HandleOAuth)));
        _server
            .Given(Request.Create().WithPath(path => path.StartsWith("/services/data", StringComparison.Ordinal)).UsingAnyMethod())
            .WithTitle("Salesforce REST API")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, HandleData)));
        _server
            .Given(Request.Create().WithPath(_ => true).UsingAnyMethod())
            .AtPriority(int.MaxValue)
            .WithTitle("Unknown path")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, _ => NotFound())));

        MapRecordPage();
        BaseUrl = new Uri(_server.Url!);
    }

    /// <summary>Gets the base address of the simulator, standing in for both <c>https://login.salesforce.com</c> and the org's <c>instance_url</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the number of HTTP requests the simulator has received since start or the last <see cref="Reset"/>.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <returns>The running simulator. Dispose it to stop the server.</returns>
    public static SalesforceSimulator Start(SalesforceSimulatorOptions? options = null) => new(options ?? new SalesforceSimulatorOptions());

    /// <summary>Sets a rolling burst limit answered with 403 <c>REQUEST_LIMIT_EXCEEDED</c> (the concurrent-request limit's error).</summary>
    /// <param name="maxRequests">The maximum number of API calls in the window.</param>
    /// <param name="window">The window length; <see langword="null"/> keeps the current one (20 seconds by default).</param>
    public void SetBurstLimit(int maxRequests, TimeSpan? window = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRequests);
        if (window is { } w)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(w, TimeSpan.Zero, nameof(window));
        }

        lock (_gate)
        {
            _burstLimit = maxRequests;
            _burstWindow = window ?? _burstWindow;
            _burstCalls.Clear();
        }
    }

    /// <summary>
    /// Sets Salesforce's concurrent API request limit: while <paramref name="limit"/> requests have been in flight for
    /// <paramref name="threshold"/> or more, every further request is answered 403 <c>REQUEST_LIMIT_EXCEEDED</c>.
    /// Requests become long with <see cref="SetLatency"/> or a hanging outage.
    /// </summary>
    /// <param name="limit">How many long-running requests may run at once (25 in production orgs, 5 in Developer Edition).</param>
    /// <param name="threshold">How long a request runs before it counts; <see langword="null"/> keeps the current one (20 seconds by default).</param>
    public void SetConcurrentLongRequestLimit(int limit, TimeSpan? threshold = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (threshold is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(threshold));
        }

        lock (_gate)
        {
            _concurrentLongRequestLimit = limit;
            _longRequestThreshold = threshold ?? _longRequestThreshold;
        }
    }

    /// <summary>Gets how many API requests are in flight now (admitted and not yet answered).</summary>
    public int InFlightRequests
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Sets the rolling 24-hour API request limit (<c>DailyApiRequests</c>) and clears recorded usage.</summary>
    /// <param name="maxRequests">The maximum number of API calls in any 24 hours.</param>
    public void SetDailyLimit(int maxRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRequests);
        lock (_gate)
        {
            _dailyLimit = maxRequests;
            _dailyCalls.Clear();
        }
    }

    /// <summary>Starts or ends a simulated outage affecting every endpoint.</summary>
    /// <param name="enabled"><see langword="true"/> to start the outage, <see langword="false"/> to end it.</param>
    /// <param name="kind">Whether requests get a 503 or hang until the client times out.</param>
    public void SimulateOutage(bool enabled, SalesforceOutageKind kind = SalesforceOutageKind.ServiceUnavailable)
    {
        CancellationTokenSource? ended = null;
        lock (_gate)
        {
            _outage = enabled;
            _outageKind = kind;
            if (!enabled)
            {
                ended = _outageEnded;
                _outageEnded = new CancellationTokenSource();
            }
        }

        ended?.Cancel();
        ended?.Dispose();
    }

    /// <summary>Adds a fixed delay, in real time, before every response.</summary>
    /// <param name="latency">The delay; <see cref="TimeSpan.Zero"/> turns it off.</param>
    public void SetLatency(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        lock (_gate)
        {
            _latency = latency;
        }
    }

    /// <summary>Revokes every session and refresh token, as when an admin revokes the connected app. Later calls get 401 <c>INVALID_SESSION_ID</c> and refreshes get <c>invalid_grant</c>.</summary>
    public void RevokeAllTokens()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _refreshTokens.Clear();
            _authorizationCodes.Clear();
        }
    }

    /// <summary>Ends every session now, silently, as a session timeout would; refresh tokens stay valid.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var session in _sessions.Values)
            {
                if (session.ExpiresAt > now)
                {
                    session.ExpiresAt = now;
                }
            }
        }
    }

    /// <summary>Processes the next <paramref name="count"/> requests normally (writes are applied) but drops the connection instead of answering.</summary>
    /// <param name="count">How many responses to lose.</param>
    public void LoseNextResponses(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _responsesToLose = count;
        }
    }

    /// <summary>Issues an OAuth access token directly, skipping the authorization flow; handy for tests that are not about auth.</summary>
    /// <returns>A session id usable as a bearer token until it times out.</returns>
    public string IssueAccessToken() => IssueAccessToken("api refresh_token");

    /// <summary>Issues an OAuth access token with the given scopes, skipping the authorization flow.</summary>
    /// <param name="scope">Space-separated scopes; REST calls need <c>api</c> (or <c>full</c>).</param>
    /// <returns>A session id usable as a bearer token until it times out.</returns>
    public string IssueAccessToken(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        lock (_gate)
        {
            return IssueTokens(scope, withRefreshToken: false).AccessToken;
        }
    }

    /// <summary>Returns a snapshot of the stored records of one sObject type, excluding deleted ones.</summary>
    /// <param name="objectType">The sObject name: <c>Lead</c>, <c>Contact</c>, <c>Task</c> or <c>Event</c> (case-insensitive).</param>
    /// <returns>The records, oldest first; empty when there are none.</returns>
    public IReadOnlyList<SalesforceSimulatedRecord> GetRecords(string objectType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType)
                ?? throw new ArgumentException($"Unknown Salesforce object type '{objectType}'.", nameof(objectType));
            return _records[type].Values
                .OrderBy(r => r.Sequence)
                .Select(r => r.Snapshot())
                .ToList();
        }
    }

    /// <summary>Clears all records, tokens, custom fields and field permissions, counters and injected faults, restoring the start options.</summary>
    public void Reset()
    {
        SimulateOutage(false);
        lock (_gate)
        {
            ResetState();
            Interlocked.Exchange(ref _requestCount, 0);
            _meter.Reset();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _server.Stop();
        _server.Dispose();
        _disposed.Dispose();
        _outageEnded.Dispose();
    }

    private void ResetState()
    {
        _burstLimit = _options.BurstLimit;
        _burstWindow = _options.BurstWindow;
        _concurrentLongRequestLimit = _options.ConcurrentLongRequestLimit;
        _longRequestThreshold = _options.LongRequestThreshold;
        _dailyLimit = _options.DailyApiLimit;
        _outage = false;
        _latency = TimeSpan.Zero;
        _responsesToLose = 0;
        _apiVersion = _options.ApiVersion;
        _burstCalls.Clear();
        _dailyCalls.Clear();
        _sessions.Clear();
        _refreshTokens.Clear();
        _authorizationCodes.Clear();
        _pendingAuthorizations.Clear();
        ResetStore();
        ResetMetadata();
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage message, Func<SimulatorRequest, SimulatorResponse> handler)
    {
        Interlocked.Increment(ref _requestCount);

        // Salesforce's concurrent limit: while enough requests have run for 20 s or more, every new API request is refused.
        long ticket = 0;
        if (message.AbsolutePath.StartsWith("/services/data/", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                var longRunning = _inFlight.Values.Count(started => now - started >= _longRequestThreshold);
                if (longRunning >= _concurrentLongRequestLimit)
                {
                    return WithLimitInfo(RestError(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.")).ToResponseMessage();
                }

                ticket = ++_lastTicket;
                _inFlight[ticket] = now;
            }
        }

        try
        {
            return await HandleAdmittedAsync(message, handler).ConfigureAwait(false);
        }
        finally
        {
            if (ticket != 0)
            {
                lock (_gate)
                {
                    _inFlight.Remove(ticket);
                }
            }
        }
    }

    private async Task<IResponseMessage> HandleAdmittedAsync(IRequestMessage message, Func<SimulatorRequest, SimulatorResponse> handler)
    {
        TimeSpan latency;
        bool outage;
        SalesforceOutageKind outageKind;
        CancellationToken outageEnded;
        lock (_gate)
        {
            latency = _latency;
            outage = _outage;
            outageKind = _outageKind;
            outageEnded = _outageEnded.Token;
        }

        if (latency > TimeSpan.Zero)
        {
            // On the simulator's clock, so a test with a fake clock can hold requests open past the 20 s threshold.
            await Task.Delay(latency, _time).ConfigureAwait(false);
        }

        if (outage)
        {
            if (outageKind == SalesforceOutageKind.ServiceUnavailable)
            {
                return ServiceUnavailable().ToResponseMessage();
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(outageEnded, _disposed.Token);
            try
            {
                await Task.Delay(_options.OutageTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The outage ended or the simulator stopped: the held request is dropped either way.
            }

            return SimulatorResponse.Dropped().ToResponseMessage();
        }

        var request = SimulatorRequest.From(message);
        SimulatorResponse response;
        lock (_gate)
        {
            response = handler(request);
            if (_responsesToLose > 0)
            {
                _responsesToLose--;
                response.DropConnection = true;
            }
        }

        return response.ToResponseMessage();
    }

    private static SimulatorResponse ServiceUnavailable() => RestError(503, "SERVER_UNAVAILABLE", "Service Unavailable");

    private static SimulatorResponse NotFound() => RestError(404, "NOT_FOUND", "The requested resource does not exist");

    /// <summary>A top-level REST error: always a JSON array of <c>{message, errorCode, fields?}</c>.</summary>
    private static SimulatorResponse RestError(int status, string errorCode, string message, IReadOnlyList<string>? fields = null)
    {
        var error = new JsonObject { ["message"] = message, ["errorCode"] = errorCode };
        if (fields is not null)
        {
            error["fields"] = new JsonArray(fields.Select(f => (JsonNode?)f).ToArray());
        }

        return SimulatorResponse.Json(status, new JsonArray(error));
    }
}
