using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.HubSpot.Simulator.Internal;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <summary>
/// A stateful HubSpot CRM API simulator hosted by WireMock.Net on a localhost port.
/// </summary>
/// <remarks>
/// The simulator keeps an in-memory, thread-safe record store and answers the OAuth, contacts, properties, search,
/// owners and engagement endpoints with the status codes, headers and bodies of the real API. Control methods let
/// tests and samples inject rate limits, outages, latency, token expiry and lost responses.
/// </remarks>
public sealed partial class HubSpotSimulator : IDisposable
{
    private readonly object _gate = new();
    private readonly HubSpotSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly WireMockServer _server;
    private readonly CancellationTokenSource _disposed = new();

    private readonly DateTimeOffset _ownersCreatedAt;
    private int _requestCount;
    private int _burstLimit;
    private TimeSpan _burstWindow;
    private int _dailyLimit;
    private bool _outage;
    private HubSpotOutageKind _outageKind;
    private CancellationTokenSource _outageEnded = new();
    private TimeSpan _latency;
    private int _responsesToLose;
    private bool _userCanEditProperties;
    private int _createPropertyRequests;

    private HubSpotSimulator(HubSpotSimulatorOptions options)
    {
        _options = options;
        _time = options.TimeProvider ?? TimeProvider.System;
        _ownersCreatedAt = _time.GetUtcNow();
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
            .Given(Request.Create().WithPath(path => path.StartsWith("/oauth/", StringComparison.Ordinal)).UsingAnyMethod())
            .WithTitle("HubSpot OAuth")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, HandleOAuth)));
        _server
            .Given(Request.Create().WithPath(path => path.StartsWith("/crm/", StringComparison.Ordinal)).UsingAnyMethod())
            .WithTitle("HubSpot CRM API")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, HandleCrm)));
        _server
            .Given(Request.Create().WithPath(path => path.StartsWith("/account-info/", StringComparison.Ordinal)).UsingAnyMethod())
            .WithTitle("HubSpot account information")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, HandleAccountInfo)));
        _server
            .Given(Request.Create().WithPath(_ => true).UsingAnyMethod())
            .AtPriority(int.MaxValue)
            .WithTitle("Unknown path")
            .RespondWith(Response.Create().WithCallback(request => HandleAsync(request, _ => NotFound())));

        MapRecordPage();
        BaseUrl = new Uri(_server.Url!);
    }

    /// <summary>Gets the base address of the simulator, standing in for both <c>https://api.hubapi.com</c> and <c>https://app.hubspot.com</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the number of HTTP requests the simulator has received since start or the last <see cref="Reset"/>.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <returns>The running simulator. Dispose it to stop the server.</returns>
    public static HubSpotSimulator Start(HubSpotSimulatorOptions? options = null) => new(options ?? new HubSpotSimulatorOptions());

    /// <summary>Sets the rolling burst limit (<c>TEN_SECONDLY_ROLLING</c>).</summary>
    /// <param name="maxRequests">The maximum number of API calls in the window.</param>
    /// <param name="window">The window length; <see langword="null"/> keeps the current one (10 seconds by default).</param>
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

    /// <summary>Sets the daily limit (<c>DAILY</c>) of private-app tokens and clears today's usage. OAuth apps have no daily limit.</summary>
    /// <param name="maxRequests">The maximum number of API calls per day in the account's time zone.</param>
    public void SetDailyLimit(int maxRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRequests);
        lock (_gate)
        {
            _dailyLimit = maxRequests;
            _dailyCount = 0;
        }
    }

    /// <summary>Starts or ends a simulated outage affecting every endpoint.</summary>
    /// <param name="enabled"><see langword="true"/> to start the outage, <see langword="false"/> to end it.</param>
    /// <param name="kind">Whether requests get a 503 or hang until the client times out.</param>
    public void SimulateOutage(bool enabled, HubSpotOutageKind kind = HubSpotOutageKind.ServiceUnavailable)
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

    /// <summary>Revokes every access and refresh token, as when the app is uninstalled. Later calls get 401 and refreshes get <c>invalid_grant</c>.</summary>
    public void RevokeAllTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
            _refreshTokens.Clear();
            _authorizationCodes.Clear();
            _privateAppTokensRevoked = true;
        }
    }

    /// <summary>Makes every issued OAuth access token expire now; refresh tokens stay valid.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var token in _accessTokens.Values)
            {
                if (token.ExpiresAt > now)
                {
                    token.ExpiresAt = now;
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

    /// <summary>Gets every scope the simulator checks; a token granted all of them may call every endpoint.</summary>
    public static IReadOnlyList<string> SupportedScopes => HubSpotScopes.All;

    /// <summary>
    /// Issues an OAuth access token with every <see cref="SupportedScopes">supported scope</see>, skipping the authorization
    /// flow; handy for tests that are not about auth.
    /// </summary>
    /// <returns>A bearer token valid for <see cref="HubSpotSimulatorOptions.AccessTokenLifetime"/>.</returns>
    public string IssueAccessToken() => IssueAccessToken(HubSpotScopes.All);

    /// <summary>Issues an OAuth access token granted only the given scopes, skipping the authorization flow.</summary>
    /// <param name="scopes">The scopes granted, for example <c>crm.objects.contacts.read</c>.</param>
    /// <returns>A bearer token valid for <see cref="HubSpotSimulatorOptions.AccessTokenLifetime"/>.</returns>
    public string IssueAccessToken(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var granted = scopes.ToArray();
        lock (_gate)
        {
            return IssueTokens(granted).AccessToken;
        }
    }

    /// <summary>Returns a snapshot of the stored records of one object type, including archived ones.</summary>
    /// <param name="objectType">The object type as used in API paths: <c>contacts</c>, <c>notes</c>, <c>emails</c>, <c>calls</c>, <c>meetings</c> or <c>tasks</c>.</param>
    /// <returns>The records, oldest first; empty when there are none.</returns>
    public IReadOnlyList<HubSpotSimulatedRecord> GetRecords(string objectType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        lock (_gate)
        {
            var type = NormalizeObjectType(objectType)
                ?? throw new ArgumentException($"Unknown HubSpot object type '{objectType}'.", nameof(objectType));
            return _records[type].Values
                .OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture))
                .Select(r => r.Snapshot())
                .ToList();
        }
    }

    /// <summary>Clears all records, tokens, custom properties, counters and injected faults, restoring the start options.</summary>
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
        _dailyLimit = _options.DailyLimit;
        _outage = false;
        _latency = TimeSpan.Zero;
        _responsesToLose = 0;
        _userCanEditProperties = true;
        _createPropertyRequests = 0;
        _burstCalls.Clear();
        _searchCalls.Clear();
        _dailyCount = 0;
        _dailyDate = AccountDate(_time.GetUtcNow());
        _accessTokens.Clear();
        _refreshTokens.Clear();
        _authorizationCodes.Clear();
        _pendingAuthorizations.Clear();
        _privateAppTokensRevoked = false;
        ResetPipelines();
        ResetStore();
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage message, Func<SimulatorRequest, SimulatorResponse> handler)
    {
        Interlocked.Increment(ref _requestCount);

        TimeSpan latency;
        bool outage;
        HubSpotOutageKind outageKind;
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
            await Task.Delay(latency).ConfigureAwait(false);
        }

        if (outage)
        {
            if (outageKind == HubSpotOutageKind.ServiceUnavailable)
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

    private static SimulatorResponse ServiceUnavailable() =>
        SimulatorResponse.Json(503, new JsonObject
        {
            ["status"] = "error",
            ["message"] = "Service Unavailable",
            ["correlationId"] = NewCorrelationId(),
        });

    private static SimulatorResponse NotFound() =>
        SimulatorResponse.Json(404, new JsonObject
        {
            ["status"] = "error",
            ["message"] = "resource not found",
            ["correlationId"] = NewCorrelationId(),
        });

    private static string NewCorrelationId() => Guid.NewGuid().ToString();
}
