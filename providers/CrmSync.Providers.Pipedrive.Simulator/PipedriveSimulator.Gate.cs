using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

public sealed partial class PipedriveSimulator
{
    private void RegisterRoutes()
    {
        // Persons (v2) and person fields (v1 + v2). Token costs follow the contract: v2 ≈ half of v1.
        MapApi("GET", "/api/v2/persons/search", cost: 20, search: true, SearchPersons);
        MapApi("GET", "/api/v2/persons", cost: 10, search: false, ListPersons);
        MapApi("POST", "/api/v2/persons", cost: 5, search: false, CreatePerson);
        MapApi("GET", @"/api/v2/persons/(?<id>\d+)", cost: 1, search: false, GetPerson);
        MapApi("PATCH", @"/api/v2/persons/(?<id>\d+)", cost: 5, search: false, UpdatePerson);
        MapApi("DELETE", @"/api/v2/persons/(?<id>\d+)", cost: 3, search: false, DeletePerson);
        MapApi("GET", "/api/v1/personFields", cost: 20, search: false, ListPersonFieldsV1);
        MapApi("POST", "/api/v1/personFields", cost: 10, search: false, CreatePersonFieldV1);
        MapApi("GET", "/api/v2/personFields", cost: 10, search: false, ListPersonFieldsV2);
        MapApi("POST", "/api/v2/personFields", cost: 5, search: false, CreatePersonFieldV2);

        // Deals, organizations and stages (v2), for the fetch direction.
        MapApi("GET", "/api/v2/deals", cost: 10, search: false, ListDeals);
        MapApi("GET", @"/api/v2/deals/(?<id>\d+)", cost: 1, search: false, GetDeal);
        MapApi("GET", "/api/v2/organizations", cost: 10, search: false, ListOrganizations);
        MapApi("GET", @"/api/v2/organizations/(?<id>\d+)", cost: 1, search: false, GetOrganization);
        MapApi("GET", "/api/v2/stages", cost: 5, search: false, ListStages);

        // Activities (v2 with participants, v1 with person_id), notes and users (v1 only).
        MapApi("POST", "/api/v2/activities", cost: 5, search: false, CreateActivityV2);
        MapApi("GET", "/api/v2/activities", cost: 10, search: false, ListActivitiesV2);
        MapApi("GET", @"/api/v2/activities/(?<id>\d+)", cost: 1, search: false, GetActivityV2);
        MapApi("PATCH", @"/api/v2/activities/(?<id>\d+)", cost: 5, search: false, UpdateActivityV2);
        MapApi("POST", "/api/v1/activities", cost: 10, search: false, CreateActivityV1);
        MapApi("GET", "/api/v1/activityTypes", cost: 20, search: false, ListActivityTypes);
        MapApi("POST", "/api/v1/notes", cost: 10, search: false, CreateNote);
        MapApi("GET", "/api/v1/notes", cost: 20, search: false, ListNotes);
        MapApi("GET", @"/api/v1/notes/(?<id>\d+)", cost: 2, search: false, GetNote);
        MapApi("GET", "/api/v1/users", cost: 20, search: false, ListUsers);
        MapApi("GET", "/api/v1/users/me", cost: 2, search: false, GetCurrentUser);
        MapApi("GET", "/api/v1/users/find", cost: 40, search: true, FindUsers);

        // OAuth server (oauth.pipedrive.com); not rate limited.
        Map("GET", "/oauth/authorize", (request, _) => Locked(() => Authorize(request)));
        Map("POST", "/oauth/token", (request, _) => Locked(() => IssueToken(request)));

        MapRecordPage();
        RegisterFallback();
    }

    private ResponseMessage Locked(Func<ResponseMessage> action)
    {
        lock (_lock)
        {
            return _outage503 ? ServiceUnavailable() : action();
        }
    }

    private void MapApi(string method, string pattern, int cost, bool search, Func<ApiCall, ResponseMessage> handler) =>
        Map(method, pattern, (request, match) => Gate(request, match, cost, search, handler));

    private ResponseMessage Gate(IRequestMessage request, Match match, int cost, bool search, Func<ApiCall, ResponseMessage> handler)
    {
        lock (_lock)
        {
            if (_outage503)
            {
                return ServiceUnavailable();
            }

            var now = Now;
            if (_blockedUntil is { } until)
            {
                if (now < until)
                {
                    return BlockPage();
                }

                _blockedUntil = null;
            }

            var (userId, tokenKey) = Authenticate(request, now);
            if (userId is null)
            {
                return Unauthorized();
            }

            // OAuth tokens hold the app's scopes; an endpoint they do not cover is refused before any limit is counted.
            if (tokenKey.StartsWith("oauth:", StringComparison.Ordinal) && !PipedriveScopes.Allows(_options.GrantedScopes, request.Method, SimulatorHttp.Path(request)))
            {
                return ScopeMismatch();
            }

            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today != _dailyDate)
            {
                _dailyDate = today;
                _dailyUsed = 0;
                _dailyWrites.Clear();
            }

            // POST/PUT fair usage per API-token user, reported in the documented x-daily-requests-left.
            long? writesLeft = null;
            if (tokenKey.StartsWith("api:", StringComparison.Ordinal))
            {
                var writes = _dailyWrites.GetValueOrDefault(tokenKey);
                if (request.Method is "POST" or "PUT")
                {
                    _dailyWrites[tokenKey] = ++writes;
                }

                writesLeft = Math.Max(0, _options.DailyWriteRequests - writes);
            }

            var counters = search ? _searchBurst : _burst;
            var limit = search ? _options.SearchBurstLimit : _burstLimit;
            if (!counters.TryGetValue(tokenKey, out var counter))
            {
                counter = new FixedWindowCounter();
                counters[tokenKey] = counter;
            }

            var hasRoom = counter.HasRoom(now, limit, _burstWindow);
            var resetSeconds = SimulatorHttp.SecondsUntil(now, counter.WindowEnd(_burstWindow));
            if (_forcedThrottles > 0 && _forcedSkip-- <= 0)
            {
                // Another app on the same company used up the window: throttled without this client having sent too much.
                _forcedThrottles--;
                var forced = RateLimited("Request over limit. Please slow down.");
                AddLimitHeaders(forced, new LimitSnapshot(limit, 0, (long)Math.Ceiling(_forcedReset.TotalSeconds), _dailyBudget, Math.Max(0, _dailyBudget - _dailyUsed)), writesLeft);
                forced.AddHeader("Retry-After", SimulatorHttp.Invariant((long)Math.Ceiling(_forcedReset.TotalSeconds)));
                Record429(now);
                return forced;
            }

            if (_dailyUsed + cost > _dailyBudget)
            {
                var daily = RateLimited("Daily token budget exceeded. Please wait until the budget resets at midnight.");
                AddLimitHeaders(daily, new LimitSnapshot(limit, Math.Max(0, limit - counter.Count), resetSeconds, _dailyBudget, 0), writesLeft);
                Record429(now);
                return daily;
            }

            if (!hasRoom)
            {
                var burst = RateLimited("Request over limit. Please slow down.");
                AddLimitHeaders(burst, new LimitSnapshot(limit, 0, resetSeconds, _dailyBudget, Math.Max(0, _dailyBudget - _dailyUsed)), writesLeft);
                burst.AddHeader("Retry-After", SimulatorHttp.Invariant((long)Math.Ceiling(_options.RateLimitPenalty.TotalSeconds)));
                Record429(now);
                return burst;
            }

            counter.Add();
            _dailyUsed += cost;
            _meter.Charge(cost);
            var response = handler(new ApiCall(request, match, userId.Value, now));
            AddLimitHeaders(response, new LimitSnapshot(limit, Math.Max(0, limit - counter.Count), resetSeconds, _dailyBudget, Math.Max(0, _dailyBudget - _dailyUsed)), writesLeft);
            return response;
        }
    }

    private (long? UserId, string TokenKey) Authenticate(IRequestMessage request, DateTimeOffset now)
    {
        var apiToken = SimulatorHttp.Header(request, "x-api-token");
        if (apiToken is not null)
        {
            return !_apiTokenRevoked && string.Equals(apiToken, _options.ApiToken, StringComparison.Ordinal)
                ? (AdminUserId, "api:" + apiToken)
                : (null, string.Empty);
        }

        var authorization = SimulatorHttp.Header(request, "Authorization");
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (_accessTokens.TryGetValue(token, out var grant))
            {
                if (grant.ExpiresAt > now)
                {
                    return (grant.UserId, "oauth:" + token);
                }

                _accessTokens.Remove(token);
            }
        }

        return (null, string.Empty);
    }

    private void Record429(DateTimeOffset now)
    {
        _recent429.Enqueue(now);
        while (_recent429.Count > 0 && _recent429.Peek() <= now - _options.AbuseWindow)
        {
            _recent429.Dequeue();
        }

        if (_recent429.Count >= _options.AbuseThreshold)
        {
            _blockedUntil = now + _options.AbuseBlockDuration;
            _recent429.Clear();
        }
    }

    /// <summary>
    /// Adds the documented limit headers (<c>x-ratelimit-limit/-remaining/-reset</c>, and <c>x-daily-requests-left</c> for
    /// API-token users), plus the undocumented daily token headers only when <see cref="PipedriveSimulatorOptions.SendDailyTokenHeaders"/> is on.
    /// </summary>
    private void AddLimitHeaders(ResponseMessage response, LimitSnapshot snapshot, long? writesLeft)
    {
        response.AddHeader("x-ratelimit-limit", SimulatorHttp.Invariant(snapshot.Limit));
        response.AddHeader("x-ratelimit-remaining", SimulatorHttp.Invariant(snapshot.Remaining));
        response.AddHeader("x-ratelimit-reset", ResetHeaderValue(snapshot.ResetSeconds));
        if (writesLeft is { } left)
        {
            response.AddHeader("x-daily-requests-left", SimulatorHttp.Invariant(left));
        }

        if (_options.SendDailyTokenHeaders)
        {
            response.AddHeader("x-daily-ratelimit-token-limit", SimulatorHttp.Invariant(snapshot.DailyLimit));
            response.AddHeader("x-daily-ratelimit-token-remaining", SimulatorHttp.Invariant(snapshot.DailyRemaining));
        }
    }

    private static ResponseMessage RateLimited(string error) =>
        SimulatorHttp.Json(429, new JsonObject
        {
            ["success"] = false,
            ["error"] = error,
            ["errorCode"] = 429,
            ["error_info"] = ErrorInfo,
            ["data"] = null,
            ["additional_data"] = null,
        });

    /// <summary>Pipedrive's 403 for an OAuth token whose scopes do not cover the endpoint.</summary>
    private static ResponseMessage ScopeMismatch() =>
        SimulatorHttp.Json(403, new JsonObject
        {
            ["success"] = false,
            ["error"] = "Scope and URL mismatch",
            ["errorCode"] = 403,
            ["error_info"] = ErrorInfo,
        });

    private static ResponseMessage Unauthorized()
    {
        var response = SimulatorHttp.Json(401, new JsonObject
        {
            ["success"] = false,
            ["error"] = "unauthorized access",
            ["errorCode"] = 401,
            ["error_info"] = ErrorInfo,
        });
        response.AddHeader("x-401-by-gw", "true");
        response.AddHeader("x-correlation-id", Guid.NewGuid().ToString());
        return response;
    }

    private static ResponseMessage BlockPage()
    {
        var ray = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        var html = string.Create(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
            <html lang="en-US">
            <head>
            <title>Attention Required! | Cloudflare</title>
            <meta charset="UTF-8" />
            <meta name="robots" content="noindex, nofollow" />
            </head>
            <body>
            <div id="cf-wrapper">
              <div id="cf-error-details" class="cf-error-details-wrapper">
                <h1 data-translate="block_headline">Sorry, you have been blocked</h1>
                <h2 class="cf-subheadline"><span data-translate="unable_to_access">You are unable to access</span> pipedrive.com</h2>
                <h2 data-translate="blocked_why_headline">Why have I been blocked?</h2>
                <p data-translate="blocked_why_detail">This website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution.</p>
                <h2 data-translate="blocked_resolve_headline">What can I do to resolve this?</h2>
                <p data-translate="blocked_resolve_detail">You can email the site owner to let them know you were blocked.</p>
                <p class="text-13"><span class="cf-footer-item">Cloudflare Ray ID: <strong class="font-semibold">{{ray}}</strong></span></p>
              </div>
            </div>
            </body>
            </html>
            """);
        var response = SimulatorHttp.Text(403, "text/html; charset=UTF-8", html);
        response.AddHeader("Server", "cloudflare");
        response.AddHeader("cf-ray", ray + "-HEL");
        return response;
    }

    private static ResponseMessage Ok(JsonNode? data, JsonObject? additionalData = null, int status = 200)
    {
        var body = new JsonObject { ["success"] = true, ["data"] = data };
        if (additionalData is not null)
        {
            body["additional_data"] = additionalData;
        }

        return SimulatorHttp.Json(status, body);
    }

    private static ResponseMessage BadRequest(string error) => ErrorResponse(400, error);

    private readonly record struct ApiCall(IRequestMessage Request, Match Match, long UserId, DateTimeOffset Now)
    {
        public long Id => long.Parse(Match.Groups["id"].Value, CultureInfo.InvariantCulture);

        public Dictionary<string, string> Query => SimulatorHttp.Query(Request);
    }
}
