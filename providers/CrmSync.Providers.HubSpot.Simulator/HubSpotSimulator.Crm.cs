using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.HubSpot.Simulator.Internal;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    private readonly Queue<DateTimeOffset> _burstCalls = new();
    private readonly Queue<DateTimeOffset> _searchCalls = new();
    private int _dailyCount;
    private DateOnly _dailyDate;

    /// <summary>Authenticates, applies rate limits, dispatches and decorates every <c>/crm/</c> call.</summary>
    private SimulatorResponse HandleCrm(SimulatorRequest request)
    {
        var now = _time.GetUtcNow();
        var route = CrmRoute(request.Segments);
        var isSearch = request.Method == "POST" && route is ["objects", _, "search"];

        RollWindows(now);

        var authFailure = Authenticate(request, out var privateApp, out var scopes);
        if (authFailure is not null)
        {
            return isSearch ? authFailure : WithRateLimitHeaders(authFailure, now, includeDaily: false);
        }

        if (request.Method == "POST" && route is ["properties", _])
        {
            Interlocked.Increment(ref _createPropertyRequests);
        }

        // Each endpoint needs its documented scope; a refused call is not counted against the limits.
        if (!HubSpotScopes.Allows(scopes, request.Method, route, NormalizeObjectType, out var required))
        {
            var missing = MissingScopes(required);
            return isSearch ? missing : WithRateLimitHeaders(missing, now, includeDaily: false);
        }

        // The daily limit applies to private-app tokens only; OAuth apps are limited per 10 seconds.
        if (isSearch)
        {
            if (privateApp && _dailyCount >= _dailyLimit)
            {
                return RateLimited("DAILY");
            }

            if (_searchCalls.Count >= _options.SearchRequestsPerSecond)
            {
                return RateLimited("SECONDLY");
            }

            _searchCalls.Enqueue(now);
            _dailyCount += privateApp ? 1 : 0;
            _meter.Charge(1);
            return Search(route[1], request);
        }

        if (privateApp && _dailyCount >= _dailyLimit)
        {
            return WithRateLimitHeaders(RateLimited("DAILY"), now, privateApp);
        }

        if (_burstCalls.Count >= _burstLimit)
        {
            return WithRateLimitHeaders(RateLimited("TEN_SECONDLY_ROLLING"), now, privateApp);
        }

        _burstCalls.Enqueue(now);
        _dailyCount += privateApp ? 1 : 0;
        _meter.Charge(1);
        return WithRateLimitHeaders(DispatchCrm(route, request), now, privateApp);
    }

    /// <summary>Maps <c>/crm/v3/{rest}</c> and date-versioned <c>/crm/{area}/2026-03/{rest}</c> paths to <c>{area}/{rest}</c>.</summary>
    private static string[] CrmRoute(string[] segments)
    {
        if (segments.Length >= 2 && segments[1] is "v3" or "v4")
        {
            return segments[2..];
        }

        if (segments.Length >= 3 && segments[2].Length == 7 && segments[2][4] == '-' && DateOnly.TryParseExact(segments[2] + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return [segments[1], .. segments[3..]];
        }

        return [];
    }

    private SimulatorResponse DispatchCrm(string[] route, SimulatorRequest request)
    {
        switch (route)
        {
            case ["objects", var type, ..]:
            {
                var objectType = NormalizeObjectType(type);
                if (objectType is null)
                {
                    return Error(400, $"Unable to infer object type from: {type}", "VALIDATION_ERROR");
                }

                return (request.Method, route.Length) switch
                {
                    ("GET", 2) => ListObjects(objectType, request),
                    ("POST", 2) => CreateObject(objectType, request),
                    ("POST", 4) when route[2] == "batch" => Batch(objectType, route[3], request),
                    ("GET", 3) => GetObject(objectType, route[2], request),
                    ("PATCH", 3) => UpdateObject(objectType, route[2], request),
                    ("DELETE", 3) => ArchiveObject(objectType, route[2]),
                    _ => NotFound(),
                };
            }

            case ["properties", var type, ..]:
            {
                var objectType = NormalizeObjectType(type);
                if (objectType is null)
                {
                    return Error(400, $"Unable to infer object type from: {type}", "VALIDATION_ERROR");
                }

                if (request.Method is "POST" or "PATCH" or "DELETE" && !_userCanEditProperties)
                {
                    return UserCannotEditProperties();
                }

                return (request.Method, route.Length) switch
                {
                    ("GET", 2) => ListProperties(objectType),
                    ("POST", 2) => CreateProperty(objectType, request),
                    ("GET", 3) => GetProperty(objectType, route[2]),
                    ("DELETE", 3) => ArchivePropertyRequest(objectType, route[2]),
                    _ => NotFound(),
                };
            }

            case ["pipelines", var type] when request.Method == "GET":
                return NormalizeObjectType(type) is { } pipelineType ? ListPipelines(pipelineType) : Error(400, $"Unable to infer object type from: {type}", "VALIDATION_ERROR");

            case ["associations", var from, var to, "batch", "read"] when request.Method == "POST":
                return ReadAssociations(from, to, request);

            case ["owners"] when request.Method == "GET":
                return ListOwners(request);

            case ["owners", var ownerId] when request.Method == "GET":
                return GetOwner(ownerId, request);

            default:
                return NotFound();
        }
    }

    private void RollWindows(DateTimeOffset now)
    {
        var today = AccountDate(now);
        if (today != _dailyDate)
        {
            _dailyDate = today;
            _dailyCount = 0;
        }

        while (_burstCalls.Count > 0 && _burstCalls.Peek() <= now - _burstWindow)
        {
            _burstCalls.Dequeue();
        }

        while (_searchCalls.Count > 0 && _searchCalls.Peek() <= now - TimeSpan.FromSeconds(1))
        {
            _searchCalls.Dequeue();
        }
    }

    /// <summary>The account's calendar date: the private-app daily limit resets at midnight in the account's time zone.</summary>
    private DateOnly AccountDate(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _options.AccountTimeZone).DateTime);

    private SimulatorResponse WithRateLimitHeaders(SimulatorResponse response, DateTimeOffset now, bool includeDaily)
    {
        var windowMs = (long)_burstWindow.TotalMilliseconds;
        var secondly = Math.Max(1, (int)Math.Ceiling(_burstLimit * 1000d / Math.Max(1, windowMs)));
        var lastSecond = _burstCalls.Count(t => t > now - TimeSpan.FromSeconds(1));

        response
            .WithHeader("X-HubSpot-RateLimit-Interval-Milliseconds", windowMs.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Max", _burstLimit.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Remaining", Math.Max(0, _burstLimit - _burstCalls.Count).ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Secondly", secondly.ToString(CultureInfo.InvariantCulture))
            .WithHeader("X-HubSpot-RateLimit-Secondly-Remaining", Math.Max(0, secondly - lastSecond).ToString(CultureInfo.InvariantCulture));

        if (includeDaily)
        {
            response
                .WithHeader("X-HubSpot-RateLimit-Daily", _dailyLimit.ToString(CultureInfo.InvariantCulture))
                .WithHeader("X-HubSpot-RateLimit-Daily-Remaining", Math.Max(0, _dailyLimit - _dailyCount).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private SimulatorResponse RateLimited(string policyName)
    {
        var response = SimulatorResponse.Json(429, new JsonObject
        {
            ["status"] = "error",
            ["message"] = $"You have reached your {policyName.ToLowerInvariant()} limit.",
            ["errorType"] = "RATE_LIMIT",
            ["correlationId"] = NewCorrelationId(),
            ["policyName"] = policyName,
            ["requestId"] = Guid.NewGuid().ToString(),
        });

        if (_options.RateLimitRetryAfter is { } retryAfter)
        {
            response.WithHeader("Retry-After", ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static SimulatorResponse Error(int status, string message, string category, JsonObject? context = null)
    {
        var body = new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["correlationId"] = NewCorrelationId(),
            ["category"] = category,
        };
        if (context is not null)
        {
            body["context"] = context;
        }

        return SimulatorResponse.Json(status, body);
    }
}
