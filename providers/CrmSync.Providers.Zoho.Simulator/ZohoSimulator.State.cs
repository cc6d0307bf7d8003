using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Simulator.Internal;

namespace CrmSync.Providers.Zoho.Simulator;

public sealed partial class ZohoSimulator
{
    private const string AdminUserId = "5725767000000411001";
    private const string OrgId = "5725767000000000012";

    private readonly Dictionary<string, AccessGrant> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, int Credits)> _creditLog = new();
    private readonly Dictionary<string, Dictionary<string, Row>> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Row> _users = new(StringComparer.Ordinal);

    private bool _outage503;
    private int? _burstLimit;
    private TimeSpan _burstWindow;
    private FixedWindowCounter _burst = new();
    private int _concurrencyLimit;
    private int _inFlight;
    private long _dailyLimit;
    private long _creditsUsed;
    private long _nextId;
    private long _refreshSequence;

    private static readonly string[] ModuleNames = ["Leads", "Contacts", "Notes", "Calls", "Events", "Deals", "Accounts"];

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string ZohoTime(DateTimeOffset value) =>
        value.ToOffset(TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string NewTokenValue() =>
        "1000." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private Dictionary<string, Row>? TableFor(string objectType)
    {
        if (string.Equals(objectType, "users", StringComparison.OrdinalIgnoreCase))
        {
            return _users;
        }

        return _modules.TryGetValue(objectType, out var table) ? table : null;
    }

    private string CanonicalModule(string name) => ModuleNames.First(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase));

    private void ResetState()
    {
        _addedFields.Clear();
        _nextFieldId = 5725767000000300001;
        _fieldCreateRequests = 0;
        _userCanCustomize = _options.UserCanCustomize;
        if (_options.ExternalIdFieldExists)
        {
            foreach (var module in new[] { "Leads", "Contacts" })
            {
                _addedFields.Add(new AddedField(module, _options.ExternalIdField, "External Id", "text", 255, Unique: true, NewFieldId()));
            }
        }

        _accessTokens.Clear();
        _refreshTokens.Clear();
        _codes.Clear();
        _creditLog.Clear();
        _modules.Clear();
        foreach (var module in ModuleNames)
        {
            _modules[module] = new Dictionary<string, Row>(StringComparer.Ordinal);
        }

        _users.Clear();
        _outage503 = false;
        _burstLimit = _options.BurstLimit;
        _burstWindow = _options.BurstWindow;
        _burst = new FixedWindowCounter();
        _concurrencyLimit = _options.ConcurrencyLimit;
        _dailyLimit = _options.DailyCreditLimit;
        _creditsUsed = 0;
        _nextId = 5725767000001000001;
        _refreshSequence = 0;

        var now = Now;
        AddUser(AdminUserId, "Simulator", "Admin", "admin@acme.example", "CEO", "Administrator", "active", now);
        AddUser("5725767000000411002", "Sam", "Seller", "sam@acme.example", "Manager", "Standard", "active", now);
        AddUser("5725767000000411003", "Dora", "Departed", "dora@acme.example", "Manager", "Standard", "disabled", now);
    }

    private void AddUser(string id, string first, string last, string email, string role, string profile, string status, DateTimeOffset now)
    {
        var data = new JsonObject
        {
            ["id"] = id,
            ["first_name"] = first,
            ["last_name"] = last,
            ["full_name"] = first + " " + last,
            ["email"] = email,
            ["status"] = status,
            ["role"] = new JsonObject { ["name"] = role, ["id"] = "5725767000000026005" },
            ["profile"] = new JsonObject { ["name"] = profile, ["id"] = profile == "Administrator" ? "5725767000000026011" : "5725767000000026014" },
            ["zuid"] = id[^8..],
            ["confirm"] = true,
            ["time_zone"] = "Europe/London",
            ["locale"] = "en_GB",
            ["created_time"] = ZohoTime(now),
            ["Modified_Time"] = ZohoTime(now),
        };
        _users[id] = new Row("users", id, data, now, now, null);
    }

    private JsonObject UserRef(string userId) => new()
    {
        ["name"] = _users[userId].Data["full_name"]!.DeepClone(),
        ["id"] = userId,
        ["email"] = _users[userId].Data["email"]!.DeepClone(),
    };

    private string NewRecordId() => (_nextId++).ToString(CultureInfo.InvariantCulture);

    private sealed class Row(string module, string id, JsonObject data, DateTimeOffset createdAt, DateTimeOffset modifiedAt, string? ownerId)
    {
        public string Module { get; } = module;

        public string Id { get; } = id;

        public JsonObject Data { get; set; } = data;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset ModifiedAt { get; set; } = modifiedAt;

        public string? OwnerId { get; set; } = ownerId;
    }

    private sealed record AccessGrant(string UserId, ZohoDataCenter DataCenter, DateTimeOffset ExpiresAt, string RefreshToken);

    private sealed class RefreshGrant(string userId, ZohoDataCenter dataCenter, string scope, long sequence)
    {
        public string UserId { get; } = userId;

        public ZohoDataCenter DataCenter { get; } = dataCenter;

        public string Scope { get; } = scope;

        public long Sequence { get; } = sequence;

        public Queue<DateTimeOffset> Minted { get; } = new();
    }

    private sealed record CodeGrant(string UserId, ZohoDataCenter DataCenter, string RedirectUri, string Scope, DateTimeOffset ExpiresAt);
}
