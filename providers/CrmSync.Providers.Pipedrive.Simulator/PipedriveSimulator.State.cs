using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

public sealed partial class PipedriveSimulator
{
    private const long AdminUserId = 1001;

    private readonly Dictionary<string, AccessGrant> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FixedWindowCounter> _burst = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FixedWindowCounter> _searchBurst = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _recent429 = new();
    private readonly SortedDictionary<long, StoredRow> _persons = [];
    private readonly SortedDictionary<long, StoredRow> _notes = [];
    private readonly SortedDictionary<long, StoredRow> _activities = [];
    private readonly SortedDictionary<long, StoredRow> _personFields = [];
    private readonly SortedDictionary<long, StoredRow> _users = [];

    private bool _apiTokenRevoked;
    private bool _userCanAddCustomFields;
    private int _createPersonFieldRequests;
    private int _forcedThrottles;
    private int _forcedSkip;
    private TimeSpan _forcedReset;
    private bool _outage503;
    private int _burstLimit;
    private TimeSpan _burstWindow;
    private long _dailyBudget;
    private long _dailyUsed;
    private readonly Dictionary<string, long> _dailyWrites = new(StringComparer.Ordinal);
    private DateOnly _dailyDate;
    private DateTimeOffset? _blockedUntil;
    private long _nextPersonId;
    private long _nextNoteId;
    private long _nextActivityId;
    private long _nextFieldId;

    private DateTimeOffset Now => _time.GetUtcNow();

    private static string V2Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string V1Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string NewSecret(string prefix) => prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private SortedDictionary<long, StoredRow>? TableFor(string objectType) => objectType.ToUpperInvariant() switch
    {
        "PERSONS" => _persons,
        "NOTES" => _notes,
        "ACTIVITIES" => _activities,
        "PERSONFIELDS" => _personFields,
        "USERS" => _users,
        "DEALS" => _deals,
        "ORGANIZATIONS" => _organizations,
        "STAGES" => _stages,
        _ => null,
    };

    /// <summary>Restores the initial state. Callers hold <see cref="_lock"/> (or run in the constructor).</summary>
    private void ResetState()
    {
        _accessTokens.Clear();
        _refreshTokens.Clear();
        _codes.Clear();
        _burst.Clear();
        _searchBurst.Clear();
        _recent429.Clear();
        _persons.Clear();
        _notes.Clear();
        _activities.Clear();
        _personFields.Clear();
        _users.Clear();
        _apiTokenRevoked = false;
        _userCanAddCustomFields = true;
        _createPersonFieldRequests = 0;
        _forcedThrottles = 0;
        _forcedSkip = 0;
        _forcedReset = _options.BurstWindow;
        _outage503 = false;
        _burstLimit = _options.BurstLimit;
        _burstWindow = _options.BurstWindow;
        _dailyBudget = _options.DailyTokenBudget;
        _dailyUsed = 0;
        _dailyWrites.Clear();
        _dailyDate = DateOnly.FromDateTime(Now.UtcDateTime);
        _blockedUntil = null;
        _nextPersonId = 1;
        _nextNoteId = 1;
        _nextActivityId = 1;
        _nextFieldId = 9001;

        var now = Now;
        ResetDealState(now);
        AddUser(AdminUserId, "Simulator Admin", $"admin@{_options.CompanyDomain}.example", isAdmin: true, now);
        AddUser(1002, "Sam Seller", $"sam@{_options.CompanyDomain}.example", isAdmin: false, now);

        foreach (var (key, name, type) in new[]
        {
            ("name", "Name", "varchar"),
            ("email", "Email", "varchar"),
            ("phone", "Phone", "phone"),
            ("owner_id", "Owner", "user"),
            ("org_id", "Organization", "org"),
            ("add_time", "Person created", "date"),
            ("update_time", "Update time", "date"),
        })
        {
            AddPersonField(key, name, type, isCustom: false, now);
        }
    }

    private void AddUser(long id, string name, string email, bool isAdmin, DateTimeOffset now)
    {
        var data = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["default_currency"] = "EUR",
            ["locale"] = "en_US",
            ["lang"] = 1,
            ["email"] = email,
            ["phone"] = null,
            ["activated"] = true,
            ["last_login"] = V1Time(now),
            ["created"] = V1Time(now),
            ["modified"] = null,
            ["has_created_company"] = isAdmin,
            ["access"] = new JsonArray(),
            ["active_flag"] = true,
            ["timezone_name"] = "Europe/Helsinki",
            ["timezone_offset"] = "+02:00",
            ["role_id"] = 1,
            ["icon_url"] = null,
            ["is_you"] = false,
            ["is_deleted"] = false,
            ["is_admin"] = isAdmin ? 1 : 0,
        };
        _users[id] = new StoredRow("users", id, data, now, now, null);
    }

    private StoredRow AddPersonField(string key, string name, string fieldType, bool isCustom, DateTimeOffset now, IReadOnlyList<string>? options = null)
    {
        var id = _nextFieldId++;
        var optionList = fieldType is "enum" or "set"
            ? new JsonArray((options ?? []).Select((label, i) => (JsonNode?)new JsonObject { ["id"] = (id * 100) + i + 1, ["label"] = label }).ToArray())
            : null;
        var data = new JsonObject
        {
            ["id"] = id,
            ["key"] = key,
            ["name"] = name,
            ["order_nr"] = _personFields.Count,
            ["field_type"] = fieldType,
            ["add_time"] = V1Time(now),
            ["update_time"] = V1Time(now),
            ["last_updated_by_user_id"] = isCustom ? AdminUserId : null,
            ["created_by_user_id"] = isCustom ? AdminUserId : null,
            ["active_flag"] = true,
            ["edit_flag"] = isCustom,
            ["index_visible_flag"] = true,
            ["details_visible_flag"] = true,
            ["add_visible_flag"] = true,
            ["important_flag"] = false,
            ["bulk_edit_allowed"] = true,
            ["searchable_flag"] = isCustom,
            ["filtering_allowed"] = true,
            ["sortable_flag"] = true,
            ["mandatory_flag"] = key == "name",
        };
        if (optionList is not null)
        {
            data["options"] = optionList;
        }

        var row = new StoredRow("personFields", id, data, now, now, null);
        _personFields[id] = row;
        return row;
    }

    private bool IsCustomFieldKey(string key) =>
        _personFields.Values.Any(f => f.Data["edit_flag"]!.GetValue<bool>() && f.Data["key"]!.GetValue<string>() == key);

    private sealed class StoredRow(string objectType, long id, JsonObject data, DateTimeOffset createdAt, DateTimeOffset modifiedAt, long? ownerId)
    {
        public string ObjectType { get; } = objectType;

        public long Id { get; } = id;

        public JsonObject Data { get; set; } = data;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset ModifiedAt { get; set; } = modifiedAt;

        public long? OwnerId { get; set; } = ownerId;

        public bool IsDeleted => Data["is_deleted"]?.GetValue<bool>() == true;
    }

    private sealed record AccessGrant(long UserId, DateTimeOffset ExpiresAt, string RefreshToken);

    private sealed class RefreshGrant(long userId, DateTimeOffset lastUsed)
    {
        public long UserId { get; } = userId;

        public DateTimeOffset LastUsed { get; set; } = lastUsed;
    }

    private sealed record CodeGrant(long UserId, string RedirectUri, DateTimeOffset ExpiresAt);

    /// <summary>Budget and window bookkeeping for one accepted call; used to write the limit headers.</summary>
    private readonly record struct LimitSnapshot(int Limit, int Remaining, long ResetSeconds, long DailyLimit, long DailyRemaining);

    private static string ResetHeaderValue(long seconds) => SimulatorHttp.Invariant(seconds);
}
