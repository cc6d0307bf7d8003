using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace CrmSync.Samples.Portal.Crms.Harbor;

/// <summary>
/// The in-process simulator of the invented Harbor CRM (harbor-crm.openapi.json beside this file): API-key auth,
/// people, activities and users with cursor pages, 10 requests per second with 429, <c>Retry-After</c> and
/// <c>X-RateLimit-*</c> headers. Small on purpose: it is the sample of "a CRM with an OpenAPI document".
/// </summary>
public sealed class HarborSimulator : IDisposable
{
    private readonly object _lock = new();
    private readonly WireMockServer _server;
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _tables = new()
    {
        ["people"] = [],
        ["activities"] = [],
    };

    private readonly Queue<DateTimeOffset> _window = new();
    private int _dailyLimit = int.MaxValue;
    private int _today;
    private DateOnly _day;
    private readonly List<HarborRequest> _requests = [];
    private readonly Queue<IReadOnlyDictionary<string, string>> _forcedThrottles = new();
    private bool _revoked;
    private bool _outage;
    private int _sequence;
    private int _throttled;

    private readonly TimeProvider _time;

    private HarborSimulator(TimeProvider time)
    {
        _time = time;
        _server = WireMockServer.Start(new WireMockServerSettings { StartAdminInterface = false, Logger = new WireMockNullLogger(), DisableJsonBodyParsing = true, AllowBodyForAllHttpMethods = true });
        BaseUrl = new Uri(_server.Url!.TrimEnd('/') + "/");
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithCallback(r => Handle(r)));
    }

    /// <summary>Gets the API root.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the API key the demo account accepts.</summary>
    public string ApiKey { get; } = "harbor-demo-key";

    /// <summary>Gets or sets the requests allowed per second. Defaults to 10.</summary>
    public int RequestsPerSecond { get; set; } = 10;

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="time">The clock of its rate window, daily count and record times (tests pass a fake one). Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <returns>The simulator.</returns>
    public static HarborSimulator Start(TimeProvider? time = null) => new(time ?? TimeProvider.System);

    /// <summary>Starts or ends an outage (503).</summary>
    /// <param name="on">Whether the outage is on.</param>
    public void SimulateOutage(bool on)
    {
        lock (_lock)
        {
            _outage = on;
        }
    }

    /// <summary>Sets the requests allowed per UTC day; requests already made today count.</summary>
    /// <param name="limit">The limit.</param>
    public void SetDailyLimit(int limit)
    {
        lock (_lock)
        {
            _dailyLimit = limit;
        }
    }

    /// <summary>Revokes the API key until <see cref="Reset"/>.</summary>
    public void RevokeKey()
    {
        lock (_lock)
        {
            _revoked = true;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> API requests 429 with exactly these headers (for example an HTTP-date <c>Retry-After</c> or an <c>X-RateLimit-Reset</c>), whatever the limits.</summary>
    /// <param name="count">How many requests to refuse.</param>
    /// <param name="headers">The headers each 429 carries.</param>
    public void ThrottleNextRequests(int count, IReadOnlyDictionary<string, string> headers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(headers);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _forcedThrottles.Enqueue(new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase));
            }
        }
    }

    /// <summary>Counts requests made with the same key by another client in the current second (they use up the window and lower <c>X-RateLimit-Remaining</c>).</summary>
    /// <param name="count">How many requests.</param>
    public void AddRequestsFromElsewhere(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _window.Enqueue(_time.GetUtcNow());
            }
        }
    }

    /// <summary>Adds a person as a Harbor user would by hand (no external reference), for adoption by email or phone.</summary>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="email">The email address, if any.</param>
    /// <param name="phone">The phone number, if any.</param>
    /// <returns>The person's id.</returns>
    public string AddPerson(string firstName, string lastName, string? email, string? phone)
    {
        lock (_lock)
        {
            var id = "p-" + (++_sequence).ToString(CultureInfo.InvariantCulture);
            var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
            _tables["people"][id] = new JsonObject { ["id"] = id, ["firstName"] = firstName, ["lastName"] = lastName, ["email"] = email, ["phone"] = phone, ["createdAt"] = now, ["updatedAt"] = now };
            return id;
        }
    }

    /// <summary>Gets the API requests received so far (method, path and query, and the <c>X-Harbor-Key</c> header they carried).</summary>
    public IReadOnlyList<HarborRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets how many requests were answered 429.</summary>
    public int ThrottledCount
    {
        get
        {
            lock (_lock)
            {
                return _throttled;
            }
        }
    }

    /// <summary>Returns the stored records of a table (<c>people</c> or <c>activities</c>).</summary>
    /// <param name="table">The table.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<object> GetRecords(string table)
    {
        lock (_lock)
        {
            return _tables.TryGetValue(table, out var rows) ? rows.Values.Select(r => (object)r.DeepClone()).ToList() : [];
        }
    }

    /// <summary>Clears records and faults.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            foreach (var table in _tables.Values)
            {
                table.Clear();
            }

            _revoked = false;
            _outage = false;
            _dailyLimit = int.MaxValue;
            _today = 0;
            _window.Clear();
            _forcedThrottles.Clear();
            _requests.Clear();
            _throttled = 0;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private static ResponseMessage Json(int status, JsonNode body, Dictionary<string, string>? headers = null)
    {
        var message = new ResponseMessage
        {
            StatusCode = status,
            Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = new("application/json") },
            BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
        foreach (var (key, value) in headers ?? [])
        {
            message.Headers[key] = new WireMockList<string>(value);
        }

        return message;
    }

    private static ResponseMessage Error(int status, string code, string message, Dictionary<string, string>? headers = null) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, headers);

    private ResponseMessage Handle(IRequestMessage request)
    {
        lock (_lock)
        {
            var path = request.AbsolutePath.TrimEnd('/');
            if (request.Method == "GET" && path.StartsWith("/people/", StringComparison.Ordinal))
            {
                // The record page deep links open (the CRM's own web app, reduced to a heading).
                var html = $"<!DOCTYPE html><html><head><title>Harbor CRM</title></head><body><h1>Harbor CRM person {WebUtility.HtmlEncode(path[8..])}</h1></body></html>";
                return new ResponseMessage { StatusCode = 200, Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("text/html") }, BodyData = new BodyData { BodyAsString = html, DetectedBodyType = BodyType.String } };
            }

            if (_outage)
            {
                return Error(503, "unavailable", "Harbor CRM is down for maintenance.", new() { ["Retry-After"] = "30" });
            }

            var key = request.Headers?.FirstOrDefault(h => string.Equals(h.Key, "X-Harbor-Key", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
            _requests.Add(new HarborRequest(request.Method, request.AbsolutePath + (string.IsNullOrEmpty(request.RawQuery) ? string.Empty : "?" + request.RawQuery.TrimStart('?')), key));
            if (_revoked || key != ApiKey)
            {
                return Error(401, "unauthorized", "The API key is missing or was revoked.");
            }

            var now = _time.GetUtcNow();
            while (_window.Count > 0 && _window.Peek() <= now.AddSeconds(-1))
            {
                _window.Dequeue();
            }

            if (DateOnly.FromDateTime(now.UtcDateTime) != _day)
            {
                _day = DateOnly.FromDateTime(now.UtcDateTime);
                _today = 0;
            }

            if (_forcedThrottles.TryDequeue(out var forced))
            {
                _throttled++;
                return Error(429, "rate_limited", "Slow down.", new Dictionary<string, string>(forced));
            }

            if (_today >= _dailyLimit)
            {
                _throttled++;
                var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                return Error(429, "daily_limit", "The daily request limit is used up.", new() { ["Retry-After"] = ((int)Math.Ceiling((midnight - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture) });
            }

            if (_window.Count >= RequestsPerSecond)
            {
                _throttled++;
                return Error(429, "rate_limited", "Slow down: 10 requests per second.", new() { ["Retry-After"] = "1", ["X-RateLimit-Limit"] = RequestsPerSecond.ToString(CultureInfo.InvariantCulture), ["X-RateLimit-Remaining"] = "0" });
            }

            _window.Enqueue(now);
            _today++;
            var limits = new Dictionary<string, string> { ["X-RateLimit-Limit"] = RequestsPerSecond.ToString(CultureInfo.InvariantCulture), ["X-RateLimit-Remaining"] = (RequestsPerSecond - _window.Count).ToString(CultureInfo.InvariantCulture) };
            var query = System.Web.HttpUtility.ParseQueryString(request.RawQuery ?? string.Empty);
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return (request.Method, segments) switch
            {
                ("GET", ["v1", "users"]) => Page([new JsonObject { ["id"] = "u-1", ["name"] = "Hana Harbor", ["email"] = "hana@harbor.example" }, new JsonObject { ["id"] = "u-2", ["name"] = "Olli Owner", ["email"] = "olli@harbor.example" }], query, limits),
                ("GET", ["v1", "people"]) => Page(Filter(_tables["people"].Values, query, ["email", "phone", "externalRef"], "updatedSince"), query, limits),
                ("POST", ["v1", "people"]) => Write("people", null, request, ["lastName", "externalRef"], limits),
                ("PATCH", ["v1", "people", var id]) => Write("people", id, request, [], limits),
                ("GET", ["v1", "activities"]) => Page(Filter(_tables["activities"].Values, query, ["externalRef", "personId"], null), query, limits),
                ("POST", ["v1", "activities"]) => Write("activities", null, request, ["personId", "kind", "externalRef"], limits),
                ("PATCH", ["v1", "activities", var id]) => Write("activities", id, request, [], limits),
                _ => Error(404, "not_found", "No such endpoint."),
            };
        }
    }

    private static List<JsonObject> Filter(IEnumerable<JsonObject> rows, System.Collections.Specialized.NameValueCollection query, string[] exact, string? since)
    {
        var result = rows;
        foreach (var name in exact)
        {
            if (query[name] is { } value)
            {
                result = result.Where(r => string.Equals(r[name]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase));
            }
        }

        if (since is not null && query[since] is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from))
        {
            result = result.Where(r => DateTimeOffset.Parse(r["updatedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= from);
        }

        return result.ToList();
    }

    private static ResponseMessage Page(List<JsonObject> rows, System.Collections.Specialized.NameValueCollection query, Dictionary<string, string> headers)
    {
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 20;
        if (limit is < 1 or > 50)
        {
            return Error(400, "invalid_limit", "limit must be between 1 and 50.");
        }

        var offset = int.TryParse(query["cursor"], CultureInfo.InvariantCulture, out var o) ? o : 0;
        var page = rows.Skip(offset).Take(limit).Select(r => (JsonNode)r.DeepClone()).ToArray();
        var next = offset + limit < rows.Count ? (offset + limit).ToString(CultureInfo.InvariantCulture) : null;
        return Json(200, new JsonObject { ["data"] = new JsonArray(page), ["nextCursor"] = next }, headers);
    }

    private ResponseMessage Write(string table, string? id, IRequestMessage request, string[] required, Dictionary<string, string> headers)
    {
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(request.Body ?? string.Empty) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Error(400, "invalid_json", "The body must be a JSON object.");
        }

        var missing = required.Where(r => body[r] is null).ToList();
        if (missing.Count > 0)
        {
            return Error(400, "required", $"{string.Join(", ", missing)} is required.");
        }

        var rows = _tables[table];
        var now = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        JsonObject row;
        if (id is null)
        {
            id = (table == "people" ? "p-" : "a-") + (++_sequence).ToString(CultureInfo.InvariantCulture);
            row = new JsonObject { ["id"] = id, ["createdAt"] = now };
            rows[id] = row;
        }
        else if (!rows.TryGetValue(id, out row!))
        {
            return Error(404, "not_found", $"No {table} record {id}.");
        }

        foreach (var (key, value) in body)
        {
            row[key] = value?.DeepClone();
        }

        row["updatedAt"] = now;
        return Json(request.Method == "POST" ? 201 : 200, row.DeepClone(), headers);
    }
}

/// <summary>One API request the Harbor simulator received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query string as sent.</param>
/// <param name="ApiKey">The <c>X-Harbor-Key</c> header, if any.</param>
public sealed record HarborRequest(string Method, string PathAndQuery, string? ApiKey);
