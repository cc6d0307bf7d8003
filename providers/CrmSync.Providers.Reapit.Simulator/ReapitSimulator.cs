using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CrmSync.Providers.Reapit.Simulator;

/// <summary>
/// A stateful, in-process simulator of the Reapit Foundations Platform API and Reapit Connect's token endpoint, hosted
/// by WireMock.Net on a free localhost port. It keeps contacts, applicants, negotiators and journal entries per
/// customer, requires the <c>api-version</c> and <c>reapit-customer</c> headers, pages in HAL, enforces ETag/If-Match,
/// enforces Reapit's published limits (20 requests per second per app, 5 concurrent per customer, 250,000 a day) and
/// meters usage. Control methods inject throttling, outages, lost responses, expired tokens and uninstalled apps.
/// </summary>
/// <remarks>All members are thread-safe. See the package README for the document each endpoint follows.</remarks>
public sealed partial class ReapitSimulator : IDisposable
{
    /// <summary>The API version the simulator serves.</summary>
    public const string ApiVersion = "2020-01-31";

    private readonly object _lock = new();
    private readonly ReapitSimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly TransportFaults _faults = new();
    private readonly WireMockServer _server;
    private readonly Dictionary<string, (DateTimeOffset ExpiresAt, string? Customer)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Customer, string? Challenge, string RedirectUri)> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, SimRecord>> _tables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _installed = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private int _perSecond;
    private int _concurrent;
    private int _daily;
    private DateOnly _day;
    private long _dayCount;
    private long _requests;
    private long _throttled;
    private int _peakPerSecond;
    private int _peakConcurrent;
    private int _forcedThrottles;
    private bool _outage;
    private TimeSpan _latency;
    private long _sequence;
    private bool _disposed;

    private ReapitSimulator(ReapitSimulatorOptions options)
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

    /// <summary>Gets the root URL: it plays both <c>platform.reapit.cloud</c> and <c>connect.reapit.cloud</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the Reapit Connect token endpoint (<c>{BaseUrl}token</c>).</summary>
    public Uri TokenUrl => new(BaseUrl, "token");

    /// <summary>Gets the Reapit Connect authorize page (<c>{BaseUrl}authorize</c>).</summary>
    public Uri AuthorizeUrl => new(BaseUrl, "authorize");

    /// <summary>Gets the accepted client id.</summary>
    public string ClientId => _options.ClientId;

    /// <summary>Gets the accepted client secret.</summary>
    public string ClientSecret => _options.ClientSecret;

    /// <summary>Gets the meters.</summary>
    public ReapitUsage Usage
    {
        get
        {
            lock (_lock)
            {
                return new ReapitUsage(_requests, _throttled, _peakPerSecond, _peakConcurrent, _dayCount, _perSecond, _concurrent, _daily);
            }
        }
    }

    /// <summary>Starts a simulator on a free localhost port.</summary>
    /// <param name="options">The options; <see langword="null"/> uses the defaults.</param>
    /// <returns>The running simulator. Dispose it to stop the server.</returns>
    public static ReapitSimulator Start(ReapitSimulatorOptions? options = null) => new(options ?? new ReapitSimulatorOptions());

    /// <summary>Sets the limits (requests per second per app, concurrent requests per customer, requests per day).</summary>
    /// <param name="perSecond">Requests per second.</param>
    /// <param name="concurrent">Concurrent requests per customer; <see langword="null"/> keeps the current one.</param>
    /// <param name="daily">Requests per day; <see langword="null"/> keeps the current one.</param>
    public void SetLimits(int perSecond, int? concurrent = null, int? daily = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        lock (_lock)
        {
            _perSecond = perSecond;
            _concurrent = concurrent ?? _concurrent;
            _daily = daily ?? _daily;
            _window.Clear();
        }
    }

    /// <summary>Makes the next <paramref name="count"/> API requests answer 429, as when other apps of the customer used up the limit.</summary>
    /// <param name="count">How many; 0 cancels.</param>
    public void ThrottleNextRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            _forcedThrottles = count;
        }
    }

    /// <summary>Starts or stops an outage: every request answers 503.</summary>
    /// <param name="enabled">Whether the outage is on.</param>
    public void SimulateOutage(bool enabled)
    {
        lock (_lock)
        {
            _outage = enabled;
        }
    }

    /// <summary>Adds a real-time delay inside every API request (so that concurrency limits can be reached).</summary>
    /// <param name="latency">The delay; zero removes it.</param>
    public void SetLatency(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        lock (_lock)
        {
            _latency = latency;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> requests lose their response after being applied (the client sees a dropped connection).</summary>
    /// <param name="count">How many; 0 cancels.</param>
    public void LoseNextResponses(int count) => _faults.LoseNextResponses(count);

    /// <summary>Expires every access token now (the app gets new ones with its client credentials).</summary>
    public void ExpireTokens()
    {
        lock (_lock)
        {
            _tokens.Clear();
        }
    }

    /// <summary>The customer uninstalls the app: its requests answer 401 and no token reaches its data until it installs again.</summary>
    /// <param name="customer">The customer id.</param>
    public void UninstallApp(string customer)
    {
        lock (_lock)
        {
            _installed.Remove(customer);
            foreach (var token in _refreshTokens.Where(r => r.Value == customer).Select(r => r.Key).ToList())
            {
                _refreshTokens.Remove(token);
            }
        }
    }

    /// <summary>The customer installs the app.</summary>
    /// <param name="customer">The customer id.</param>
    public void InstallApp(string customer)
    {
        lock (_lock)
        {
            _installed.Add(customer);
        }
    }

    /// <summary>Adds a negotiator (a user records can be assigned to).</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="name">The name.</param>
    /// <param name="email">The email.</param>
    /// <param name="active">Whether the negotiator is active.</param>
    /// <returns>The negotiator id.</returns>
    public string AddNegotiator(string customer, string name, string email, bool active = true)
    {
        lock (_lock)
        {
            var id = NextId("NEG", 3);
            Insert("negotiators", customer, id, new JsonObject { ["name"] = name, ["jobTitle"] = "Negotiator", ["active"] = active, ["officeId"] = "OXF", ["email"] = email });
            return id;
        }
    }

    /// <summary>Adds a contact, as a user of Reapit would.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="forename">The forename.</param>
    /// <param name="surname">The surname.</param>
    /// <param name="email">The email.</param>
    /// <returns>The contact id.</returns>
    public string AddContact(string customer, string forename, string surname, string email)
    {
        lock (_lock)
        {
            var id = NextId("CON", 5);
            Insert("contacts", customer, id, new JsonObject { ["forename"] = forename, ["surname"] = surname, ["email"] = email, ["marketingConsent"] = "notAsked", ["active"] = true });
            return id;
        }
    }

    /// <summary>Adds an applicant (a lead) related to a new contact.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="forename">The contact's forename.</param>
    /// <param name="surname">The contact's surname.</param>
    /// <param name="email">The contact's email.</param>
    /// <param name="marketingMode"><c>buying</c> or <c>renting</c>.</param>
    /// <param name="modified">The last-modified time; defaults to now.</param>
    /// <returns>The applicant id.</returns>
    public string AddApplicant(string customer, string forename, string surname, string email, string marketingMode = "buying", DateTimeOffset? modified = null)
    {
        lock (_lock)
        {
            var contactId = NextId("CON", 5);
            Insert("contacts", customer, contactId, new JsonObject { ["forename"] = forename, ["surname"] = surname, ["email"] = email, ["marketingConsent"] = "notAsked", ["active"] = true });
            var id = NextId("APP", 5);
            var record = Insert("applicants", customer, id, new JsonObject
            {
                ["marketingMode"] = marketingMode,
                ["currency"] = "GBP",
                ["active"] = true,
                ["notes"] = string.Empty,
                ["departmentId"] = "G",
                ["negotiatorIds"] = new JsonArray(),
                ["officeIds"] = new JsonArray("OXF"),
                ["related"] = new JsonArray(new JsonObject { ["id"] = contactId, ["name"] = forename + " " + surname, ["forename"] = forename, ["surname"] = surname, ["type"] = "contact", ["email"] = email }),
            });
            if (modified is { } m)
            {
                record.Modified = m;
            }

            return id;
        }
    }

    /// <summary>Changes a contact as a user of Reapit would (a new ETag and modified time), so that an update holding the old ETag gets 412.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="id">The contact id.</param>
    /// <param name="field">The field to change.</param>
    /// <param name="value">The new value.</param>
    public void EditContact(string customer, string id, string field, string value)
    {
        lock (_lock)
        {
            var record = Table("contacts").GetValueOrDefault(id) ?? throw new ArgumentException($"No contact '{id}'.", nameof(id));
            if (record.Customer != customer)
            {
                throw new ArgumentException($"The contact '{id}' belongs to another customer.", nameof(customer));
            }

            record.Data[field] = value;
            Touch(record);
        }
    }

    /// <summary>Returns snapshots of the records of one kind, ordered by id.</summary>
    /// <param name="kind"><c>contacts</c>, <c>applicants</c>, <c>negotiators</c> or <c>journalEntries</c>.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<ReapitStoredRecord> GetRecords(string kind)
    {
        lock (_lock)
        {
            if (!_tables.TryGetValue(kind, out var table))
            {
                throw new ArgumentException($"Unknown kind '{kind}'. Use contacts, applicants, negotiators or journalEntries.", nameof(kind));
            }

            return table.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new ReapitStoredRecord(kind, r.Id, r.Customer, Render(r))).ToList();
        }
    }

    /// <summary>Clears records, tokens, meters and faults, and restores the options' limits and customers.</summary>
    public void Reset()
    {
        _faults.Reset();
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

    private DateTimeOffset Now => _time.GetUtcNow();

    private void ResetState()
    {
        _meter.Reset();
        _tokens.Clear();
        _refreshTokens.Clear();
        _codes.Clear();
        _tables.Clear();
        foreach (var kind in new[] { "contacts", "applicants", "negotiators", "journalEntries" })
        {
            _tables[kind] = new Dictionary<string, SimRecord>(StringComparer.Ordinal);
        }

        _installed.Clear();
        _installed.UnionWith(_options.Customers);
        _window.Clear();
        _inFlight.Clear();
        _perSecond = _options.RequestsPerSecond;
        _concurrent = _options.ConcurrentRequestsPerCustomer;
        _daily = _options.RequestsPerDay;
        _dayCount = 0;
        _requests = 0;
        _throttled = 0;
        _peakPerSecond = 0;
        _peakConcurrent = 0;
        _forcedThrottles = 0;
        _outage = false;
        _latency = TimeSpan.Zero;
        _sequence = 0;
        foreach (var customer in _options.Customers)
        {
            AddNegotiatorLocked(customer, "Jane Negotiator", "jane@" + customer.ToLowerInvariant() + ".example");
            AddNegotiatorLocked(customer, "Liam Lettings", "liam@" + customer.ToLowerInvariant() + ".example");
        }
    }

    private void AddNegotiatorLocked(string customer, string name, string email) =>
        Insert("negotiators", customer, NextId("NEG", 3), new JsonObject { ["name"] = name, ["jobTitle"] = "Negotiator", ["active"] = true, ["officeId"] = "OXF", ["email"] = email });

    private Dictionary<string, SimRecord> Table(string kind) => _tables[kind];

    private string NextId(string prefix, int digits) =>
        prefix + (++_sequence).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');

    private SimRecord Insert(string kind, string customer, string id, JsonObject data)
    {
        var now = Now;
        var record = new SimRecord(id, customer, data) { Created = now, Modified = now, Version = 1 };
        Table(kind)[id] = record;
        return record;
    }

    private void Touch(SimRecord record)
    {
        record.Version++;
        var now = Now;
        record.Modified = record.Modified >= now ? record.Modified.AddTicks(1) : now;
    }

    private static JsonObject Render(SimRecord record)
    {
        var result = new JsonObject { ["id"] = record.Id, ["created"] = Stamp(record.Created), ["modified"] = Stamp(record.Modified) };
        foreach (var (key, value) in record.Data)
        {
            result[key] = value?.DeepClone();
        }

        result["_eTag"] = record.ETag;
        return result;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private void Map(string method, string pattern, Func<SimulatorRequest, Match, Task<SimulatorResponse>> handler, int priority = 10)
    {
        var regex = new Regex("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        _server
            .Given(Request.Create().UsingMethod(method).WithPath(path => regex.IsMatch(path)))
            .AtPriority(priority)
            .RespondWith(Response.Create().WithCallback(async message =>
            {
                var request = SimulatorRequest.From(message);
                var response = await handler(request, regex.Match(request.Path)).ConfigureAwait(false);
                return (IResponseMessage)response.ToResponseMessage();
            }));
    }

    /// <summary>Reapit's error envelope: <c>statusCode</c>, <c>dateTime</c>, <c>description</c> and (422) <c>errors[]</c>.</summary>
    private SimulatorResponse Error(int status, string description, JsonArray? errors = null)
    {
        var body = new JsonObject { ["statusCode"] = status, ["dateTime"] = Stamp(Now), ["description"] = description };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return SimulatorResponse.Json(status, body).WithHeader("x-amzn-RequestId", Guid.NewGuid().ToString());
    }

    private sealed class SimRecord(string id, string customer, JsonObject data)
    {
        public string Id { get; } = id;

        public string Customer { get; } = customer;

        public JsonObject Data { get; } = data;

        public DateTimeOffset Created { get; set; }

        public DateTimeOffset Modified { get; set; }

        public int Version { get; set; }

        public string ETag => "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(Id + ":" + Version.ToString(CultureInfo.InvariantCulture))))[..32] + "\"";
    }
}
