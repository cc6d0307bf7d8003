using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CrmSync.Providers.Zoho.Simulator;

/// <summary>
/// A stateful, in-process simulator of Zoho CRM v8 and Zoho Accounts OAuth, hosted by WireMock.Net on a free
/// localhost port. One instance serves one or several data centres. Each request names the host it was meant
/// for either as the first path segment (<c>{BaseUrl}www.zohoapis.eu/crm/v8/Leads</c>,
/// <c>{BaseUrl}accounts.zoho.eu/oauth/v2/token</c>) or in the <c>Host</c> header; tokens only work in the
/// data centre that issued them.
/// </summary>
/// <remarks>All members are thread-safe.</remarks>
public sealed partial class ZohoSimulator : IDisposable
{
    private readonly object _lock = new();
    private readonly ZohoSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly TransportFaults _faults = new();
    private readonly WireMockServer _server;
    private long _latencyTicks;
    private bool _disposed;

    private ZohoSimulator(ZohoSimulatorOptions options)
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

    /// <summary>Gets the root URL of the simulator. Data-centre hosts are addressed as the first path segment below it.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the number of HTTP requests received since start or the last <see cref="Reset"/>, whatever their outcome.</summary>
    public long RequestCount => _faults.RequestCount;

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <returns>The running simulator. Dispose it to stop the server.</returns>
    public static ZohoSimulator Start(ZohoSimulatorOptions? options = null) => new(options ?? new ZohoSimulatorOptions());

    /// <summary>Gets the simulated accounts server of a data centre, e.g. <c>{BaseUrl}accounts.zoho.eu</c> (no trailing slash).</summary>
    /// <param name="dataCenter">The data centre.</param>
    /// <returns>The URL that stands for <c>https://accounts.zoho.{tld}</c>.</returns>
    public Uri GetAccountsServer(ZohoDataCenter dataCenter) => new(BaseUrl + ZohoDomains.AccountsHost(dataCenter));

    /// <summary>Gets the simulated API domain of a data centre, e.g. <c>{BaseUrl}www.zohoapis.eu</c> (no trailing slash), as returned in <c>api_domain</c>.</summary>
    /// <param name="dataCenter">The data centre.</param>
    /// <returns>The URL that stands for <c>https://www.zohoapis.{tld}</c>.</returns>
    public Uri GetApiDomain(ZohoDataCenter dataCenter) => new(BaseUrl + ZohoDomains.ApiHost(dataCenter));

    /// <summary>Sets a request-rate limit; requests beyond it get 429 <c>TOO_MANY_REQUESTS</c>.</summary>
    /// <param name="limit">Requests allowed per window.</param>
    /// <param name="window">The window; <see langword="null"/> keeps the current one (1 second by default).</param>
    public void SetBurstLimit(int limit, TimeSpan? window = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            _burstLimit = limit;
            _burstWindow = window ?? _burstWindow;
            _burst = new FixedWindowCounter();
        }
    }

    /// <summary>Sets the number of concurrent in-flight API calls; more get 429 <c>TOO_MANY_REQUESTS</c>.</summary>
    /// <param name="limit">The concurrency limit.</param>
    public void SetConcurrencyLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            _concurrencyLimit = limit;
        }
    }

    /// <summary>Sets the API credits per rolling 24 hours. Credits already spent stay spent.</summary>
    /// <param name="credits">The credit limit.</param>
    public void SetDailyLimit(long credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(credits);
        lock (_lock)
        {
            _dailyLimit = credits;
        }
    }

    /// <summary>Starts or stops a simulated outage.</summary>
    /// <param name="enabled"><see langword="true"/> to start the outage, <see langword="false"/> to end it.</param>
    /// <param name="kind">What the client sees during the outage.</param>
    public void SimulateOutage(bool enabled, ZohoOutageKind kind = ZohoOutageKind.ServiceUnavailable)
    {
        lock (_lock)
        {
            _outage503 = enabled && kind == ZohoOutageKind.ServiceUnavailable;
        }

        _faults.SetTimeoutOutage(enabled && kind == ZohoOutageKind.Timeout);
    }

    /// <summary>Adds a fixed real-time delay to every response; API calls count as in flight while delayed.</summary>
    /// <param name="latency">The delay; <see cref="TimeSpan.Zero"/> removes it.</param>
    public void SetLatency(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
    }

    /// <summary>Revokes every access token, refresh token and pending authorization code in every data centre.</summary>
    public void RevokeAllTokens()
    {
        lock (_lock)
        {
            _accessTokens.Clear();
            _refreshTokens.Clear();
            _codes.Clear();
        }
    }

    /// <summary>Expires every access token now; refresh tokens stay valid.</summary>
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

    /// <summary>Returns snapshots of the stored records of one module, in creation order.</summary>
    /// <param name="objectType"><c>Leads</c>, <c>Contacts</c>, <c>Deals</c>, <c>Accounts</c>, <c>Notes</c>, <c>Calls</c>, <c>Events</c> or <c>users</c> (case-insensitive).</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<ZohoStoredRecord> GetRecords(string objectType)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        lock (_lock)
        {
            var table = TableFor(objectType)
                ?? throw new ArgumentException($"Unknown object type '{objectType}'. Use Leads, Contacts, Deals, Accounts, Notes, Calls, Events or users.", nameof(objectType));
            return table.Values
                .Select(r => new ZohoStoredRecord(r.Module, r.Id, (JsonObject)r.Data.DeepClone(), r.CreatedAt, r.ModifiedAt, r.OwnerId))
                .ToList();
        }
    }

    /// <summary>Clears all records, tokens, counters and faults, and restores the limits from the options.</summary>
    public void Reset()
    {
        _faults.Reset();
        _meter.Reset();
        Interlocked.Exchange(ref _latencyTicks, 0);
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

    private async Task DelayAsync()
    {
        var latency = TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency).ConfigureAwait(false);
        }
    }

    private void Map(string method, string pattern, Func<IRequestMessage, Match, Task<ResponseMessage>> handler)
    {
        var regex = new Regex("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        _server
            .Given(Request.Create().UsingMethod(method).WithPath(path => regex.IsMatch(ZohoDomains.SplitPrefix(path).Remainder)))
            .AtPriority(10)
            .RespondWith(Response.Create().WithCallback(async request =>
                (IResponseMessage)await handler(request, regex.Match(ZohoDomains.SplitPrefix(SimulatorHttp.Path(request)).Remainder)).ConfigureAwait(false)));
    }

    private void RegisterFallback() =>
        _server
            .Given(Request.Create().UsingAnyMethod())
            .AtPriority(1000)
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                lock (_lock)
                {
                    return (IResponseMessage)(_outage503 ? ServiceUnavailable() : InvalidUrlPattern());
                }
            }));

    /// <summary>Resolves the host a request was meant for: the path prefix first, then the Host header.</summary>
    private bool TryResolveTarget(IRequestMessage request, out ZohoDataCenter dc, out bool isAccounts)
    {
        var (prefixHost, _) = ZohoDomains.SplitPrefix(SimulatorHttp.Path(request));
        var host = prefixHost;
        if (host is null)
        {
            host = SimulatorHttp.Header(request, "Host") ?? string.Empty;
            var colon = host.LastIndexOf(':');
            if (colon > 0)
            {
                host = host[..colon];
            }
        }

        return ZohoDomains.TryResolve(host, out dc, out isAccounts) && _options.DataCenters.Contains(dc);
    }

    private static ResponseMessage Error(int status, string code, JsonObject details, string message) =>
        SimulatorHttp.Json(status, ErrorBody(code, details, message));

    private static JsonObject ErrorBody(string code, JsonObject details, string message) => new()
    {
        ["code"] = code,
        ["details"] = details,
        ["message"] = message,
        ["status"] = "error",
    };

    private static ResponseMessage InvalidUrlPattern() =>
        Error(404, "INVALID_URL_PATTERN", [], "Please check if the URL trying to access is a correct one");

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
