using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

/// <content>
/// Deals, organizations and pipeline stages (v2), listed with keyset cursors (<c>cursor</c>/<c>limit</c> →
/// <c>additional_data.next_cursor</c>), <c>sort_by</c>/<c>sort_direction</c>, <c>updated_since</c>/<c>updated_until</c>
/// and the owner, stage, status, person and organization filters; plus seeding helpers for tests and samples.
/// </content>
public sealed partial class PipedriveSimulator
{
    /// <summary>The id of the default pipeline.</summary>
    public const long DefaultPipelineId = 1;

    /// <summary>The id of the user the API token belongs to (the company admin).</summary>
    public const long AdminUser = AdminUserId;

    /// <summary>The id of the second, non-admin user (Sam Seller).</summary>
    public const long SellerUser = 1002;

    private static readonly string[] DealStatuses = ["open", "won", "lost", "deleted"];
    private static readonly string[] SortFields = ["id", "update_time", "add_time"];

    private readonly SortedDictionary<long, StoredRow> _deals = [];
    private readonly SortedDictionary<long, StoredRow> _organizations = [];
    private readonly SortedDictionary<long, StoredRow> _stages = [];
    private long _nextDealId;
    private long _nextOrgId;

    /// <summary>Adds an organization as if a user created it in Pipedrive now (simulator clock).</summary>
    /// <param name="name">The organization name.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <param name="address">The postal address, if any.</param>
    /// <returns>The new organization id.</returns>
    public long SeedOrganization(string name, long ownerId = AdminUserId, string? address = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            RequireUser(ownerId);
            var now = Now;
            var id = _nextOrgId++;
            var data = new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["owner_id"] = ownerId,
                ["add_time"] = V2Time(now),
                ["update_time"] = V2Time(now),
                ["visible_to"] = 3,
                ["label_ids"] = new JsonArray(),
                ["address"] = address is null ? null : new JsonObject { ["value"] = address },
                ["is_deleted"] = false,
                ["custom_fields"] = new JsonObject(),
            };
            _organizations[id] = new StoredRow("organizations", id, data, now, now, ownerId);
            return id;
        }
    }

    /// <summary>Adds a deal as if a user created it in Pipedrive now (simulator clock).</summary>
    /// <param name="title">The deal title.</param>
    /// <param name="status"><c>open</c>, <c>won</c> or <c>lost</c>.</param>
    /// <param name="stageId">The stage (see <see cref="GetRecords"/> with <c>stages</c>); defaults to the first stage of the default pipeline.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <param name="orgId">The organization, if any.</param>
    /// <param name="personId">The person, if any.</param>
    /// <param name="lostReason">Why it was lost (lost deals).</param>
    /// <param name="value">The deal value in EUR.</param>
    /// <returns>The new deal id.</returns>
    public long SeedDeal(string title, string status = "open", long? stageId = null, long ownerId = AdminUserId, long? orgId = null, long? personId = null, string? lostReason = null, decimal value = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        lock (_lock)
        {
            RequireUser(ownerId);
            if (status is not ("open" or "won" or "lost"))
            {
                throw new ArgumentException($"Unknown deal status '{status}'. Use open, won or lost.", nameof(status));
            }

            var stage = stageId ?? _stages.Keys.First();
            if (!_stages.ContainsKey(stage))
            {
                throw new ArgumentException($"No stage {stage}.", nameof(stageId));
            }

            if (orgId is { } o && !_organizations.ContainsKey(o))
            {
                throw new ArgumentException($"No organization {o}.", nameof(orgId));
            }

            if (personId is { } p && !_persons.ContainsKey(p))
            {
                throw new ArgumentException($"No person {p}.", nameof(personId));
            }

            var now = Now;
            var id = _nextDealId++;
            var data = new JsonObject
            {
                ["id"] = id,
                ["title"] = title,
                ["owner_id"] = ownerId,
                ["person_id"] = personId,
                ["org_id"] = orgId,
                ["pipeline_id"] = _stages[stage].Data["pipeline_id"]!.DeepClone(),
                ["stage_id"] = stage,
                ["value"] = value,
                ["currency"] = "EUR",
                ["add_time"] = V2Time(now),
                ["update_time"] = V2Time(now),
                ["stage_change_time"] = null,
                ["is_deleted"] = false,
                ["status"] = "open",
                ["probability"] = null,
                ["lost_reason"] = null,
                ["visible_to"] = 3,
                ["close_time"] = null,
                ["won_time"] = null,
                ["lost_time"] = null,
                ["expected_close_date"] = null,
                ["label_ids"] = new JsonArray(),
                ["origin"] = "ManuallyCreated",
                ["custom_fields"] = new JsonObject(),
            };
            SetDealStatus(data, status, lostReason, now);
            _deals[id] = new StoredRow("deals", id, data, now, now, ownerId);
            return id;
        }
    }

    /// <summary>Adds a person as if a user created it in Pipedrive now (simulator clock).</summary>
    /// <param name="name">The full name.</param>
    /// <param name="email">The primary email, if any.</param>
    /// <param name="ownerId">The owner; defaults to <see cref="AdminUser"/>.</param>
    /// <param name="orgId">The organization, if any.</param>
    /// <param name="phone">The primary phone, if any.</param>
    /// <returns>The new person id.</returns>
    public long SeedPerson(string name, string? email = null, long ownerId = AdminUserId, long? orgId = null, string? phone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            RequireUser(ownerId);
            if (orgId is { } o && !_organizations.ContainsKey(o))
            {
                throw new ArgumentException($"No organization {o}.", nameof(orgId));
            }

            var now = Now;
            var id = _nextPersonId++;
            var person = new JsonObject
            {
                ["id"] = id,
                ["owner_id"] = ownerId,
                ["org_id"] = orgId,
                ["add_time"] = V2Time(now),
                ["update_time"] = V2Time(now),
                ["emails"] = email is null ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = email, ["primary"] = true, ["label"] = "work" }),
                ["phones"] = phone is null ? new JsonArray() : new JsonArray(new JsonObject { ["value"] = phone, ["primary"] = true, ["label"] = "mobile" }),
                ["is_deleted"] = false,
                ["visible_to"] = 3,
                ["label_ids"] = new JsonArray(),
                ["picture_id"] = null,
                ["custom_fields"] = new JsonObject(),
            };
            var trimmed = name.Trim();
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            person["name"] = trimmed;
            person["first_name"] = space < 0 ? trimmed : trimmed[..space];
            person["last_name"] = space < 0 ? null : trimmed[(space + 1)..];
            _persons[id] = new StoredRow("persons", id, person, now, now, ownerId);
            return id;
        }
    }

    /// <summary>
    /// Changes a deal, organization or person the way a Pipedrive user would: applies <paramref name="change"/> to its
    /// JSON and stamps <c>update_time</c> with the simulator clock. Setting a deal's <c>status</c> also sets its
    /// won/lost/close times, as Pipedrive does.
    /// </summary>
    /// <param name="objectType"><c>deals</c>, <c>organizations</c> or <c>persons</c>.</param>
    /// <param name="id">The record id.</param>
    /// <param name="change">The change; <see langword="null"/> only touches the record.</param>
    /// <returns>A snapshot after the change.</returns>
    public PipedriveStoredRecord Modify(string objectType, long id, Action<JsonObject>? change = null)
    {
        ArgumentNullException.ThrowIfNull(objectType);
        lock (_lock)
        {
            var table = objectType.ToUpperInvariant() switch
            {
                "DEALS" => _deals,
                "ORGANIZATIONS" => _organizations,
                "PERSONS" => _persons,
                _ => throw new ArgumentException($"Cannot modify '{objectType}'. Use deals, organizations or persons.", nameof(objectType)),
            };
            if (!table.TryGetValue(id, out var row))
            {
                throw new KeyNotFoundException($"No {objectType} record {id}.");
            }

            var now = Now;
            var before = row.Data["status"]?.GetValue<string>();
            var data = (JsonObject)row.Data.DeepClone();
            change?.Invoke(data);
            if (row.ObjectType == "deals" && data["status"]?.GetValue<string>() is { } after && after != before)
            {
                SetDealStatus(data, after, data["lost_reason"]?.GetValue<string>(), now);
            }

            data["update_time"] = V2Time(now);
            row.Data = data;
            row.ModifiedAt = now;
            row.OwnerId = data["owner_id"]?.GetValue<long>();
            return new PipedriveStoredRecord(row.ObjectType, row.Id, (JsonObject)row.Data.DeepClone(), row.CreatedAt, row.ModifiedAt, row.OwnerId);
        }
    }

    private static void SetDealStatus(JsonObject deal, string status, string? lostReason, DateTimeOffset now)
    {
        deal["status"] = status;
        deal["won_time"] = status == "won" ? V2Time(now) : null;
        deal["lost_time"] = status == "lost" ? V2Time(now) : null;
        deal["close_time"] = status is "won" or "lost" ? V2Time(now) : null;
        deal["lost_reason"] = status == "lost" ? lostReason : null;
        deal["probability"] = status switch { "won" => 100, "lost" => 0, _ => null };
    }

    private void RequireUser(long userId)
    {
        if (!_users.ContainsKey(userId))
        {
            throw new ArgumentException($"No user {userId}.", nameof(userId));
        }
    }

    /// <summary>Creates the default pipeline's stages. Callers hold <see cref="_lock"/> (or run in the constructor).</summary>
    private void ResetDealState(DateTimeOffset now)
    {
        _deals.Clear();
        _organizations.Clear();
        _stages.Clear();
        _nextDealId = 1;
        _nextOrgId = 1;
        var order = 0;
        foreach (var (id, name, probability) in new[]
        {
            (1L, "Qualified", 10), (2L, "Contact Made", 20), (3L, "Demo Scheduled", 40), (4L, "Proposal Made", 60), (5L, "Negotiations Started", 80),
        })
        {
            _stages[id] = new StoredRow("stages", id, new JsonObject
            {
                ["id"] = id,
                ["order_nr"] = ++order,
                ["name"] = name,
                ["is_deleted"] = false,
                ["deal_probability"] = probability,
                ["pipeline_id"] = DefaultPipelineId,
                ["is_deal_rot_enabled"] = false,
                ["days_to_rotten"] = null,
                ["add_time"] = V2Time(now),
                ["update_time"] = V2Time(now),
            }, now, now, null);
        }
    }

    private ResponseMessage ListDeals(ApiCall call)
    {
        var query = call.Query;
        var statuses = new HashSet<string>(["open", "won", "lost"], StringComparer.Ordinal);
        if (query.TryGetValue("status", out var statusText) && statusText.Length > 0)
        {
            statuses = statusText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (statuses.Count == 0 || statuses.Any(s => !DealStatuses.Contains(s, StringComparer.Ordinal)))
            {
                return BadRequest("Validation failed: status: Parameter 'status' must be a comma-separated list of open, won, lost, deleted");
            }
        }

        IEnumerable<StoredRow> rows = _deals.Values.Where(r => statuses.Contains(r.IsDeleted ? "deleted" : r.Data["status"]!.GetValue<string>()));
        foreach (var (parameter, field) in new[] { ("owner_id", "owner_id"), ("person_id", "person_id"), ("org_id", "org_id"), ("pipeline_id", "pipeline_id"), ("stage_id", "stage_id") })
        {
            if (!query.TryGetValue(parameter, out var text))
            {
                continue;
            }

            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wanted))
            {
                return BadRequest($"Validation failed: {parameter}: must be an integer");
            }

            rows = rows.Where(r => r.Data[field]?.GetValue<long>() == wanted);
        }

        return ListRows(rows, query);
    }

    private ResponseMessage GetDeal(ApiCall call) =>
        _deals.TryGetValue(call.Id, out var row) && !row.IsDeleted ? Ok(row.Data.DeepClone()) : ErrorResponse(404, "Deal not found");

    private ResponseMessage ListOrganizations(ApiCall call)
    {
        var query = call.Query;
        IEnumerable<StoredRow> rows = _organizations.Values.Where(r => !r.IsDeleted);
        if (query.TryGetValue("ids", out var ids) && ids.Length > 0)
        {
            var wanted = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count > 100)
            {
                return BadRequest("Validation failed: ids: at most 100 ids are allowed");
            }

            rows = rows.Where(r => wanted.Contains(SimulatorHttp.Invariant(r.Id)));
        }

        if (query.TryGetValue("owner_id", out var owner))
        {
            if (!long.TryParse(owner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ownerId))
            {
                return BadRequest("Validation failed: owner_id: must be an integer");
            }

            rows = rows.Where(r => r.OwnerId == ownerId);
        }

        return ListRows(rows, query);
    }

    private ResponseMessage GetOrganization(ApiCall call) =>
        _organizations.TryGetValue(call.Id, out var row) && !row.IsDeleted ? Ok(row.Data.DeepClone()) : ErrorResponse(404, "Organization not found");

    private ResponseMessage ListStages(ApiCall call)
    {
        var query = call.Query;
        IEnumerable<StoredRow> rows = _stages.Values;
        if (query.TryGetValue("pipeline_id", out var pipeline))
        {
            if (!long.TryParse(pipeline, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pipelineId))
            {
                return BadRequest("Validation failed: pipeline_id: must be an integer");
            }

            rows = rows.Where(r => r.Data["pipeline_id"]?.GetValue<long>() == pipelineId);
        }

        return ListRows(rows, query);
    }

    /// <summary>Applies <c>updated_since</c>/<c>updated_until</c>, then sorts and pages with a keyset cursor.</summary>
    private static ResponseMessage ListRows(IEnumerable<StoredRow> rows, Dictionary<string, string> query)
    {
        if (!TryReadLimit(query, 100, 500, out var limit))
        {
            return BadRequest("Validation failed: limit: Parameter 'limit' must be between 1 and 500");
        }

        foreach (var (parameter, since) in new[] { ("updated_since", true), ("updated_until", false) })
        {
            if (!query.TryGetValue(parameter, out var text))
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound))
            {
                return BadRequest($"Validation failed: {parameter}: must be an RFC 3339 date-time");
            }

            // update_time has whole seconds; compare at that precision, as the API does.
            rows = since ? rows.Where(r => Seconds(r.ModifiedAt) >= Seconds(bound)) : rows.Where(r => Seconds(r.ModifiedAt) < Seconds(bound));
        }

        var sortBy = query.TryGetValue("sort_by", out var sortText) ? sortText : "id";
        if (!SortFields.Contains(sortBy, StringComparer.Ordinal))
        {
            return BadRequest("Validation failed: sort_by: Parameter 'sort_by' must be one of id, update_time, add_time");
        }

        var direction = query.TryGetValue("sort_direction", out var directionText) ? directionText : "asc";
        if (direction is not ("asc" or "desc"))
        {
            return BadRequest("Validation failed: sort_direction: Parameter 'sort_direction' must be asc or desc");
        }

        var descending = direction == "desc";
        long Key(StoredRow r) => sortBy switch
        {
            "update_time" => Seconds(r.ModifiedAt),
            "add_time" => Seconds(r.CreatedAt),
            _ => r.Id,
        };

        var ordered = descending
            ? rows.OrderByDescending(Key).ThenByDescending(r => r.Id)
            : rows.OrderBy(Key).ThenBy(r => r.Id);
        IEnumerable<StoredRow> remaining = ordered;
        if (query.TryGetValue("cursor", out var cursor) && cursor.Length > 0)
        {
            if (!TryDecodeKeyset(cursor, sortBy, descending, out var afterKey, out var afterId))
            {
                return BadRequest("Validation failed: cursor: Parameter 'cursor' is not a valid cursor for this sort order");
            }

            remaining = ordered.Where(r =>
            {
                var c = Key(r).CompareTo(afterKey);
                if (c == 0)
                {
                    c = r.Id.CompareTo(afterId);
                }

                return descending ? c < 0 : c > 0;
            });
        }

        var page = remaining.Take(limit + 1).ToList();
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(limit);
            next = EncodeKeyset(sortBy, descending, Key(page[^1]), page[^1].Id);
        }

        return Ok(new JsonArray(page.Select(r => (JsonNode?)r.Data.DeepClone()).ToArray()), new JsonObject { ["next_cursor"] = next });
    }

    private static long Seconds(DateTimeOffset value) => value.ToUnixTimeSeconds();

    private static string EncodeKeyset(string sortBy, bool descending, long key, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{sortBy}:{(descending ? "desc" : "asc")}:{key}:{id}")));

    private static bool TryDecodeKeyset(string cursor, string sortBy, bool descending, out long key, out long id)
    {
        key = 0;
        id = 0;
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
        }
        catch (FormatException)
        {
            return false;
        }

        return parts.Length == 4
            && parts[0] == sortBy
            && parts[1] == (descending ? "desc" : "asc")
            && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out key)
            && long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
    }
}
