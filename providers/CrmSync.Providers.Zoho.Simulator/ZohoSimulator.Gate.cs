using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

public sealed partial class ZohoSimulator
{
    private const string Modules = "Leads|Contacts|Notes|Calls|Events|Deals|Accounts";

    private void RegisterRoutes()
    {
        // Zoho Accounts (per data centre).
        MapAccounts("GET", "/oauth/v2/auth", Authorize);
        MapAccounts("POST", "/oauth/v2/token", IssueToken);
        MapAccounts("POST", "/oauth/v2/token/revoke", RevokeToken);

        // CRM v8 (per data centre).
        MapApi("GET", "/crm/v8/users", heavy: false, ListUsers, priority: 5);
        MapApi("GET", "/crm/v8/settings/fields", heavy: false, ListFields, priority: 5);
        MapApi("POST", "/crm/v8/settings/fields", heavy: false, CreateFields, priority: 5);
        MapApi("POST", "/crm/v8/(?<module>Leads|Contacts)/upsert", heavy: true, Upsert, priority: 5);
        MapApi("GET", "/crm/v8/(?<module>Leads|Contacts)/search", heavy: false, Search, priority: 5);
        MapApi("GET", "/crm/v8/(?<module>Leads|Contacts)/(?<id>[0-9]+)/(?<related>[A-Za-z_]+)", heavy: false, ListRelated, priority: 5);
        MapApi("POST", $"/crm/v8/(?<module>{Modules})", heavy: true, Insert, priority: 10);
        MapApi("PUT", $"/crm/v8/(?<module>{Modules})", heavy: true, UpdateMany, priority: 10);
        MapApi("GET", $"/crm/v8/(?<module>{Modules})", heavy: false, ListRecords, priority: 10);
        MapApi("POST", "/crm/v8/coql", heavy: true, Coql, priority: 5);
        MapApi("GET", $"/crm/v8/(?<module>{Modules})/(?<id>[^/]+)", heavy: false, GetOne, priority: 10);
        MapApi("PUT", $"/crm/v8/(?<module>{Modules})/(?<id>[^/]+)", heavy: false, UpdateOne, priority: 10);
        MapApi("DELETE", $"/crm/v8/(?<module>{Modules})/(?<id>[0-9]+)", heavy: false, DeleteOne, priority: 10);
        MapApi("GET", "/crm/v8/(?<other>[A-Za-z_]+)(?:/.*)?", heavy: false, _ => InvalidModule(), priority: 900);
        MapApi("POST", "/crm/v8/(?<other>[A-Za-z_]+)(?:/.*)?", heavy: false, _ => InvalidModule(), priority: 900);
        MapApi("PUT", "/crm/v8/(?<other>[A-Za-z_]+)(?:/.*)?", heavy: false, _ => InvalidModule(), priority: 900);

        MapRecordPage();
        RegisterFallback();
    }

    private static ResponseMessage InvalidModule() =>
        Error(400, "INVALID_MODULE", new JsonObject { ["resource_path_index"] = 0 }, "the module name given seems to be invalid");

    private void MapAccounts(string method, string pattern, Func<IRequestMessage, ZohoDataCenter, ResponseMessage> handler) =>
        Map(method, pattern, async (request, _) =>
        {
            await DelayAsync().ConfigureAwait(false);
            lock (_lock)
            {
                if (_outage503)
                {
                    return ServiceUnavailable();
                }

                if (!TryResolveTarget(request, out var dc, out var isAccounts) || !isAccounts)
                {
                    return InvalidUrlPattern();
                }

                return handler(request, dc);
            }
        });

    private void MapApi(string method, string pattern, bool heavy, Func<ApiCall, ResponseMessage> handler, int priority)
    {
        var regex = new Regex("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        MapWithPriority(method, regex, priority, (request, match) => ApiGateAsync(request, match, heavy, handler));
    }

    private void MapWithPriority(string method, Regex regex, int priority, Func<IRequestMessage, Match, Task<ResponseMessage>> handler) =>
        _server
            .Given(WireMock.RequestBuilders.Request.Create().UsingMethod(method).WithPath(path => regex.IsMatch(ZohoDomains.SplitPrefix(path).Remainder)))
            .AtPriority(priority)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithCallback(async request =>
                (IResponseMessage)await handler(request, regex.Match(ZohoDomains.SplitPrefix(SimulatorHttp.Path(request)).Remainder)).ConfigureAwait(false)));

    private async Task<ResponseMessage> ApiGateAsync(IRequestMessage request, Match match, bool heavy, Func<ApiCall, ResponseMessage> handler)
    {
        string userId;
        ZohoDataCenter dc;
        lock (_lock)
        {
            if (_outage503)
            {
                return ServiceUnavailable();
            }

            if (!TryResolveTarget(request, out dc, out var isAccounts) || isAccounts)
            {
                return InvalidUrlPattern();
            }

            var now = Now;
            var authorization = SimulatorHttp.Header(request, "Authorization");
            if (string.IsNullOrWhiteSpace(authorization))
            {
                return Error(401, "AUTHENTICATION_FAILURE", [], "Authentication failed");
            }

            const string scheme = "Zoho-oauthtoken ";
            if (!authorization.StartsWith(scheme, StringComparison.Ordinal)
                || !_accessTokens.TryGetValue(authorization[scheme.Length..].Trim(), out var grant)
                || grant.ExpiresAt <= now
                || grant.DataCenter != dc)
            {
                return Error(401, "INVALID_TOKEN", [], "invalid oauth token");
            }

            userId = grant.UserId;
            var granted = _refreshTokens.TryGetValue(grant.RefreshToken, out var refresh) ? refresh.Scope : string.Empty;
            if (!ZohoScopes.Allows(granted, request.Method, ZohoDomains.SplitPrefix(SimulatorHttp.Path(request)).Remainder))
            {
                return Error(401, "OAUTH_SCOPE_MISMATCH", [], "invalid oauth scope to access this URL");
            }

            while (_creditLog.Count > 0 && _creditLog.Peek().At <= now - TimeSpan.FromHours(24))
            {
                _creditsUsed -= _creditLog.Dequeue().Credits;
            }

            var cost = heavy ? CreditCost(request) : 1;
            if (_creditsUsed + cost > _dailyLimit)
            {
                return Error(429, "LIMIT_EXCEEDED", new JsonObject { ["limit"] = _dailyLimit, ["used"] = _creditsUsed }, "API credits exhausted for the last 24 hours");
            }

            if (_burstLimit is { } burstLimit)
            {
                if (!_burst.HasRoom(now, burstLimit, _burstWindow))
                {
                    return TooManyRequests();
                }

                _burst.Add();
            }

            if (_inFlight >= _concurrencyLimit)
            {
                return TooManyRequests();
            }

            _inFlight++;
            _creditsUsed += cost;
            _meter.Charge(cost);
            _creditLog.Enqueue((now, cost));
        }

        try
        {
            await DelayAsync().ConfigureAwait(false);
            lock (_lock)
            {
                return handler(new ApiCall(request, match, userId, dc, Now));
            }
        }
        finally
        {
            lock (_lock)
            {
                _inFlight--;
            }
        }
    }

    private static ResponseMessage TooManyRequests() =>
        Error(429, "TOO_MANY_REQUESTS", [], "too many requests continuously. Please try again after some time.");

    /// <summary>
    /// Insert/update/upsert cost one credit per started block of 10 records; a COQL query costs by its LIMIT: 1 up to 200,
    /// 2 for 201–1,000, 3 for 1,001–2,000.
    /// </summary>
    private static int CreditCost(IRequestMessage request)
    {
        if (SimulatorHttp.Path(request).EndsWith("/coql", StringComparison.Ordinal))
        {
            var query = SimulatorHttp.BodyObject(request)?["select_query"]?.ToString() ?? string.Empty;
            var limit = CoqlLimit().Match(query) is { Success: true } m ? int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : 200;
            return limit switch
            {
                <= 200 => 1,
                <= 1000 => 2,
                _ => 3,
            };
        }

        var count = SimulatorHttp.BodyObject(request)?["data"] is JsonArray data ? data.Count : 1;
        return Math.Max(1, (count + 9) / 10);
    }

    [GeneratedRegex(@"\blimit\s+(?:\d+\s*,\s*)?(?<count>\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CoqlLimit();

    private readonly record struct ApiCall(IRequestMessage Request, Match Match, string UserId, ZohoDataCenter DataCenter, DateTimeOffset Now)
    {
        public string ModuleGroup => Match.Groups["module"].Value;

        public string Id => Match.Groups["id"].Value;

        public Dictionary<string, string> Query => SimulatorHttp.Query(Request);
    }
}
