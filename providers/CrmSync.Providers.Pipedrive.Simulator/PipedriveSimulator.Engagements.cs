using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

public sealed partial class PipedriveSimulator
{
    private static readonly string[] ActivityTypeKeys = ["call", "meeting", "task", "deadline", "email", "lunch"];

    private ResponseMessage CreateActivityV2(ApiCall call)
    {
        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        var activity = NewActivity(call);
        var error = ApplyActivityBody(activity, body, isV1: false);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var row = StoreActivity(activity, call);
        return Ok(row.Data.DeepClone());
    }

    private ResponseMessage CreateActivityV1(ApiCall call)
    {
        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        var activity = NewActivity(call);
        var error = ApplyActivityBody(activity, body, isV1: true);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var row = StoreActivity(activity, call);
        return Ok(ToV1Activity(row), status: 201);
    }

    private ResponseMessage UpdateActivityV2(ApiCall call)
    {
        if (!_activities.TryGetValue(call.Id, out var row))
        {
            return ErrorResponse(404, "Activity not found");
        }

        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        var updated = (JsonObject)row.Data.DeepClone();
        var error = ApplyActivityBody(updated, body, isV1: false);
        if (error is not null)
        {
            return BadRequest(error);
        }

        updated["update_time"] = V2Time(call.Now);
        row.Data = updated;
        row.ModifiedAt = call.Now;
        row.OwnerId = updated["owner_id"]?.GetValue<long>();
        return Ok(updated.DeepClone());
    }

    private ResponseMessage GetActivityV2(ApiCall call) =>
        _activities.TryGetValue(call.Id, out var row) ? Ok(row.Data.DeepClone()) : ErrorResponse(404, "Activity not found");

    private ResponseMessage ListActivitiesV2(ApiCall call)
    {
        var query = call.Query;
        if (!TryReadLimit(query, 100, 500, out var limit))
        {
            return BadRequest("Validation failed: limit: Parameter 'limit' must be between 1 and 500");
        }

        IEnumerable<StoredRow> rows = _activities.Values;
        if (query.TryGetValue("person_id", out var personText) && long.TryParse(personText, CultureInfo.InvariantCulture, out var personId))
        {
            rows = rows.Where(r => r.Data["person_id"]?.GetValue<long>() == personId);
        }

        if (query.TryGetValue("owner_id", out var ownerText) && long.TryParse(ownerText, CultureInfo.InvariantCulture, out var ownerId))
        {
            rows = rows.Where(r => r.OwnerId == ownerId);
        }

        return Page(rows.Select(r => (JsonNode)r.Data.DeepClone()).ToList(), query, limit);
    }

    private ResponseMessage ListActivityTypes(ApiCall call)
    {
        var types = new JsonArray();
        var order = 1;
        foreach (var key in ActivityTypeKeys)
        {
            types.Add(new JsonObject
            {
                ["id"] = order,
                ["order_nr"] = order,
                ["name"] = char.ToUpperInvariant(key[0]) + key[1..],
                ["key_string"] = key,
                ["icon_key"] = key,
                ["active_flag"] = true,
                ["color"] = null,
                ["is_custom_flag"] = false,
                ["add_time"] = V1Time(call.Now),
                ["update_time"] = null,
            });
            order++;
        }

        return Ok(types);
    }

    private ResponseMessage CreateNote(ApiCall call)
    {
        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        if (body["content"] is not JsonValue contentValue || !contentValue.TryGetValue<string>(out var content) || string.IsNullOrWhiteSpace(content))
        {
            return BadRequest("Validation failed: content: Parameter 'content' is required");
        }

        long? personId = ReadLong(body["person_id"]);
        long? dealId = ReadLong(body["deal_id"]);
        long? orgId = ReadLong(body["org_id"]);
        var leadId = body["lead_id"] is JsonValue leadValue && leadValue.TryGetValue<string>(out var lead) ? lead : null;
        if (personId is null && dealId is null && orgId is null && leadId is null)
        {
            return BadRequest("Validation failed: One of deal_id, person_id, org_id, lead_id or project_id must be specified");
        }

        if (personId is { } pid && (!_persons.TryGetValue(pid, out var person) || person.IsDeleted))
        {
            return BadRequest("Validation failed: person_id: Person not found");
        }

        var userId = ReadLong(body["user_id"]) ?? call.UserId;
        if (!_users.ContainsKey(userId))
        {
            return BadRequest("Validation failed: user_id: User not found");
        }

        var id = _nextNoteId++;
        var note = new JsonObject
        {
            ["id"] = id,
            ["user_id"] = userId,
            ["deal_id"] = dealId,
            ["person_id"] = personId,
            ["org_id"] = orgId,
            ["lead_id"] = leadId,
            ["content"] = content,
            ["add_time"] = V1Time(call.Now),
            ["update_time"] = V1Time(call.Now),
            ["active_flag"] = true,
            ["pinned_to_deal_flag"] = false,
            ["pinned_to_person_flag"] = false,
            ["pinned_to_organization_flag"] = false,
            ["last_update_user_id"] = null,
            ["person"] = personId is { } p ? new JsonObject { ["name"] = _persons[p].Data["name"]?.DeepClone() } : null,
            ["user"] = new JsonObject
            {
                ["email"] = _users[userId].Data["email"]!.DeepClone(),
                ["name"] = _users[userId].Data["name"]!.DeepClone(),
                ["icon_url"] = null,
                ["is_you"] = userId == call.UserId,
            },
        };
        _notes[id] = new StoredRow("notes", id, note, call.Now, call.Now, userId);
        return Ok(note.DeepClone());
    }

    private ResponseMessage ListNotes(ApiCall call)
    {
        var query = call.Query;
        IEnumerable<StoredRow> rows = _notes.Values;
        if (query.TryGetValue("person_id", out var personText) && long.TryParse(personText, CultureInfo.InvariantCulture, out var personId))
        {
            rows = rows.Where(r => r.Data["person_id"]?.GetValue<long>() == personId);
        }

        if (query.TryGetValue("user_id", out var userText) && long.TryParse(userText, CultureInfo.InvariantCulture, out var userId))
        {
            rows = rows.Where(r => r.OwnerId == userId);
        }

        var start = query.TryGetValue("start", out var startText) && int.TryParse(startText, CultureInfo.InvariantCulture, out var s) ? Math.Max(0, s) : 0;
        var limit = query.TryGetValue("limit", out var limitText) && int.TryParse(limitText, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 500) : 100;
        var all = rows.ToList();
        var page = all.Skip(start).Take(limit).Select(r => (JsonNode?)r.Data.DeepClone()).ToArray();
        var more = start + page.Length < all.Count;
        var pagination = new JsonObject { ["start"] = start, ["limit"] = limit, ["more_items_in_collection"] = more };
        if (more)
        {
            pagination["next_start"] = start + page.Length;
        }

        return Ok(page.Length == 0 ? null : new JsonArray(page), new JsonObject { ["pagination"] = pagination });
    }

    private ResponseMessage GetNote(ApiCall call) =>
        _notes.TryGetValue(call.Id, out var row) ? Ok(row.Data.DeepClone()) : ErrorResponse(404, "Note not found");

    private ResponseMessage ListUsers(ApiCall call) =>
        Ok(new JsonArray(_users.Values.Select(u => (JsonNode?)UserView(u, call.UserId)).ToArray()));

    private ResponseMessage GetCurrentUser(ApiCall call)
    {
        var me = UserView(_users[call.UserId], call.UserId);
        me["company_id"] = 77;
        me["company_name"] = char.ToUpperInvariant(_options.CompanyDomain[0]) + _options.CompanyDomain[1..];
        me["company_domain"] = _options.CompanyDomain;
        me["company_country"] = "FI";
        me["company_industry"] = null;
        me["language"] = new JsonObject { ["language_code"] = "en", ["country_code"] = "US" };
        return Ok(me);
    }

    private ResponseMessage FindUsers(ApiCall call)
    {
        var query = call.Query;
        if (!query.TryGetValue("term", out var term) || term.Length == 0)
        {
            return BadRequest("Validation failed: term: Parameter 'term' is required");
        }

        var byEmail = query.TryGetValue("search_by_email", out var flag) && (flag == "1" || flag == "true");
        var found = _users.Values
            .Where(u => (byEmail ? u.Data["email"] : u.Data["name"])!.GetValue<string>().Contains(term, StringComparison.OrdinalIgnoreCase))
            .Select(u => (JsonNode?)UserView(u, call.UserId))
            .ToArray();
        return Ok(found.Length == 0 ? null : new JsonArray(found));
    }

    private static JsonObject UserView(StoredRow user, long currentUserId)
    {
        var view = (JsonObject)user.Data.DeepClone();
        view["is_you"] = user.Id == currentUserId;
        return view;
    }

    private JsonObject NewActivity(ApiCall call) => new()
    {
        ["id"] = null,
        ["subject"] = null,
        ["type"] = null,
        ["owner_id"] = call.UserId,
        ["creator_user_id"] = call.UserId,
        ["is_deleted"] = false,
        ["add_time"] = V2Time(call.Now),
        ["update_time"] = V2Time(call.Now),
        ["deal_id"] = null,
        ["lead_id"] = null,
        ["person_id"] = null,
        ["org_id"] = null,
        ["project_id"] = null,
        ["due_date"] = null,
        ["due_time"] = null,
        ["duration"] = null,
        ["busy"] = false,
        ["done"] = false,
        ["marked_as_done_time"] = null,
        ["location"] = null,
        ["participants"] = new JsonArray(),
        ["attendees"] = new JsonArray(),
        ["public_description"] = null,
        ["priority"] = null,
        ["note"] = null,
    };

    private StoredRow StoreActivity(JsonObject activity, ApiCall call)
    {
        var id = _nextActivityId++;
        activity["id"] = id;
        if (activity["done"]!.GetValue<bool>())
        {
            activity["marked_as_done_time"] = V2Time(call.Now);
        }

        var row = new StoredRow("activities", id, activity, call.Now, call.Now, activity["owner_id"]?.GetValue<long>());
        _activities[id] = row;
        return row;
    }

    /// <summary>Applies activity JSON. In v2 <c>person_id</c> is read-only (ignored) and set through <c>participants</c>.</summary>
    private string? ApplyActivityBody(JsonObject activity, JsonObject body, bool isV1)
    {
        if (!activity.ContainsKey("subject") || activity["subject"] is null)
        {
            if (body["subject"] is not JsonValue subjectValue || !subjectValue.TryGetValue<string>(out var subject) || string.IsNullOrWhiteSpace(subject))
            {
                return "Validation failed: subject: Parameter 'subject' is required";
            }
        }

        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "subject":
                case "note":
                case "location":
                case "public_description":
                    activity[key] = value?.DeepClone();
                    break;
                case "type":
                    if (value is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type) || !ActivityTypeKeys.Contains(type, StringComparer.Ordinal))
                    {
                        return "Validation failed: type: Activity type must be one of the key_string values of /v1/activityTypes";
                    }

                    activity["type"] = type;
                    break;
                case "due_date":
                    if (value is not null && (value is not JsonValue dateValue || !dateValue.TryGetValue<string>(out var date)
                        || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
                    {
                        return "Validation failed: due_date: must be in YYYY-MM-DD format";
                    }

                    activity["due_date"] = value?.DeepClone();
                    break;
                case "due_time":
                case "duration":
                    if (value is not null && (value is not JsonValue timeValue || !timeValue.TryGetValue<string>(out var time)
                        || !TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
                    {
                        return $"Validation failed: {key}: must be in HH:MM format";
                    }

                    activity[key] = value?.DeepClone();
                    break;
                case "done":
                    activity["done"] = value is JsonValue doneValue && (doneValue.TryGetValue<bool>(out var done) ? done : doneValue.TryGetValue<int>(out var doneInt) && doneInt == 1);
                    break;
                case "owner_id":
                case "user_id" when isV1:
                    var ownerId = ReadLong(value);
                    if (ownerId is null || !_users.ContainsKey(ownerId.Value))
                    {
                        return $"Validation failed: {key}: User not found";
                    }

                    activity["owner_id"] = ownerId;
                    break;
                case "deal_id":
                case "org_id":
                    activity[key] = ReadLong(value);
                    break;
                case "lead_id":
                    activity[key] = value?.DeepClone();
                    break;
                case "person_id" when isV1:
                    var personId = ReadLong(value);
                    if (personId is { } pid && (!_persons.TryGetValue(pid, out var linked) || linked.IsDeleted))
                    {
                        return "Validation failed: person_id: Person not found";
                    }

                    activity["person_id"] = personId;
                    activity["participants"] = personId is null
                        ? new JsonArray()
                        : new JsonArray(new JsonObject { ["person_id"] = personId, ["primary"] = true });
                    break;
                case "participants":
                    if (value is not JsonArray participants)
                    {
                        return "Validation failed: participants: must be an array";
                    }

                    var normalized = new JsonArray();
                    long? primaryId = null;
                    foreach (var participant in participants)
                    {
                        var participantId = ReadLong(participant?["person_id"]);
                        if (participantId is null || !_persons.TryGetValue(participantId.Value, out var p) || p.IsDeleted)
                        {
                            return "Validation failed: participants: Person not found";
                        }

                        var primary = participant!["primary"] is JsonValue pv && ((pv.TryGetValue<bool>(out var b) && b) || (pv.TryGetValue<int>(out var i) && i == 1));
                        if (primary)
                        {
                            primaryId ??= participantId;
                        }

                        normalized.Add(new JsonObject { ["person_id"] = participantId, ["primary"] = primary });
                    }

                    if (primaryId is null && normalized.Count > 0)
                    {
                        normalized[0]!["primary"] = true;
                        primaryId = normalized[0]!["person_id"]!.GetValue<long>();
                    }

                    activity["participants"] = normalized;
                    activity["person_id"] = primaryId;
                    break;
                default:
                    // person_id in v2 is read-only and, like other unknown properties, ignored.
                    break;
            }
        }

        if (activity["type"] is null)
        {
            activity["type"] = "task";
        }

        return null;
    }

    private static JsonObject ToV1Activity(StoredRow row)
    {
        var data = row.Data;
        return new JsonObject
        {
            ["id"] = row.Id,
            ["user_id"] = data["owner_id"]?.DeepClone(),
            ["done"] = data["done"]?.DeepClone(),
            ["type"] = data["type"]?.DeepClone(),
            ["subject"] = data["subject"]?.DeepClone(),
            ["due_date"] = data["due_date"]?.DeepClone(),
            ["due_time"] = data["due_time"]?.DeepClone() ?? string.Empty,
            ["duration"] = data["duration"]?.DeepClone() ?? string.Empty,
            ["person_id"] = data["person_id"]?.DeepClone(),
            ["org_id"] = data["org_id"]?.DeepClone(),
            ["deal_id"] = data["deal_id"]?.DeepClone(),
            ["note"] = data["note"]?.DeepClone(),
            ["add_time"] = V1Time(row.CreatedAt),
            ["update_time"] = V1Time(row.ModifiedAt),
            ["active_flag"] = true,
            ["participants"] = new JsonArray(((JsonArray)data["participants"]!)
                .Select(p => (JsonNode?)new JsonObject { ["person_id"] = p!["person_id"]!.DeepClone(), ["primary_flag"] = p["primary"]!.DeepClone() })
                .ToArray()),
        };
    }

    private static long? ReadLong(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
