using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

public sealed partial class PipedriveSimulator
{
    private static readonly HashSet<string> FieldTypes = new(StringComparer.Ordinal)
    {
        "varchar", "varchar_auto", "text", "double", "monetary", "date", "set", "enum", "user", "org",
        "people", "phone", "time", "timerange", "daterange", "address", "int",
    };

    private ResponseMessage CreatePerson(ApiCall call)
    {
        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        if (body["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name))
        {
            return BadRequest("Validation failed: name: Parameter 'name' is required");
        }

        var person = new JsonObject
        {
            ["id"] = _nextPersonId,
            ["name"] = null,
            ["first_name"] = null,
            ["last_name"] = null,
            ["owner_id"] = call.UserId,
            ["org_id"] = null,
            ["add_time"] = V2Time(call.Now),
            ["update_time"] = V2Time(call.Now),
            ["emails"] = new JsonArray(),
            ["phones"] = new JsonArray(),
            ["is_deleted"] = false,
            ["visible_to"] = 3,
            ["label_ids"] = new JsonArray(),
            ["picture_id"] = null,
            ["custom_fields"] = new JsonObject(),
        };

        var error = ApplyPersonBody(person, body);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var id = _nextPersonId++;
        _persons[id] = new StoredRow("persons", id, person, call.Now, call.Now, person["owner_id"]?.GetValue<long>());
        return Ok(person.DeepClone());
    }

    private ResponseMessage UpdatePerson(ApiCall call)
    {
        if (!_persons.TryGetValue(call.Id, out var row) || row.IsDeleted)
        {
            return ErrorResponse(404, "Person not found");
        }

        var body = SimulatorHttp.BodyObject(call.Request);
        if (body is null)
        {
            return BadRequest("Request body must be a JSON object");
        }

        if (body.ContainsKey("name") && (body["name"] is not JsonValue value || !value.TryGetValue<string>(out var name) || string.IsNullOrWhiteSpace(name)))
        {
            return BadRequest("Validation failed: name: Parameter 'name' can not be empty");
        }

        var updated = (JsonObject)row.Data.DeepClone();
        var error = ApplyPersonBody(updated, body);
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

    private ResponseMessage GetPerson(ApiCall call) =>
        _persons.TryGetValue(call.Id, out var row) && !row.IsDeleted
            ? Ok(row.Data.DeepClone())
            : ErrorResponse(404, "Person not found");

    private ResponseMessage DeletePerson(ApiCall call)
    {
        if (!_persons.TryGetValue(call.Id, out var row) || row.IsDeleted)
        {
            return ErrorResponse(404, "Person not found");
        }

        row.Data["is_deleted"] = true;
        row.Data["update_time"] = V2Time(call.Now);
        row.ModifiedAt = call.Now;
        return Ok(new JsonObject { ["id"] = row.Id });
    }

    private ResponseMessage ListPersons(ApiCall call)
    {
        var query = call.Query;
        IEnumerable<StoredRow> rows = _persons.Values.Where(r => !r.IsDeleted);
        if (query.TryGetValue("ids", out var ids) && ids.Length > 0)
        {
            var wanted = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (wanted.Count > 100)
            {
                return BadRequest("Validation failed: ids: at most 100 ids are allowed");
            }

            rows = rows.Where(r => wanted.Contains(SimulatorHttp.Invariant(r.Id)));
        }

        if (query.TryGetValue("owner_id", out var owner) && long.TryParse(owner, CultureInfo.InvariantCulture, out var ownerId))
        {
            rows = rows.Where(r => r.OwnerId == ownerId);
        }

        if (query.TryGetValue("org_id", out var org) && long.TryParse(org, CultureInfo.InvariantCulture, out var orgId))
        {
            rows = rows.Where(r => r.Data["org_id"]?.GetValue<long>() == orgId);
        }

        return ListRows(rows, query);
    }

    private ResponseMessage SearchPersons(ApiCall call)
    {
        var query = call.Query;
        query.TryGetValue("term", out var term);
        var exact = query.TryGetValue("exact_match", out var exactText) && (exactText == "true" || exactText == "1");
        term ??= string.Empty;
        if (term.Length < (exact ? 1 : 2))
        {
            return BadRequest("Validation failed: term: Parameter 'term' must be at least 2 characters long (1 with exact_match)");
        }

        if (!TryReadLimit(query, 100, 500, out var limit))
        {
            return BadRequest("Validation failed: limit: Parameter 'limit' must be between 1 and 500");
        }

        var fields = query.TryGetValue("fields", out var fieldText) && fieldText.Length > 0
            ? fieldText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : ["name", "email", "phone", "custom_fields", "notes"];
        var allowed = new[] { "name", "email", "phone", "custom_fields", "notes" };
        var unknown = fields.FirstOrDefault(f => !allowed.Contains(f, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return BadRequest($"Validation failed: fields: '{unknown}' is not a searchable field");
        }

        var visibleBefore = call.Now - _options.SearchLag;
        var items = new List<JsonNode>();
        foreach (var row in _persons.Values)
        {
            if (row.IsDeleted || (_options.SearchLag > TimeSpan.Zero && row.CreatedAt > visibleBefore))
            {
                continue;
            }

            var candidates = new List<string>();
            var person = row.Data;
            if (fields.Contains("name"))
            {
                candidates.Add(person["name"]?.GetValue<string>() ?? string.Empty);
            }

            if (fields.Contains("email"))
            {
                candidates.AddRange(Values(person["emails"]));
            }

            if (fields.Contains("phone"))
            {
                candidates.AddRange(Values(person["phones"]));
            }

            if (fields.Contains("custom_fields"))
            {
                candidates.AddRange(CustomValues(person));
            }

            var matched = candidates.Any(v => exact
                ? string.Equals(v, term, StringComparison.OrdinalIgnoreCase)
                : v.Contains(term, StringComparison.OrdinalIgnoreCase));
            if (!matched)
            {
                continue;
            }

            items.Add(new JsonObject
            {
                ["result_score"] = exact ? 1.0 : 0.5,
                ["item"] = new JsonObject
                {
                    ["id"] = row.Id,
                    ["type"] = "person",
                    ["name"] = person["name"]?.DeepClone(),
                    ["phones"] = new JsonArray(Values(person["phones"]).Select(v => (JsonNode?)v).ToArray()),
                    ["emails"] = new JsonArray(Values(person["emails"]).Select(v => (JsonNode?)v).ToArray()),
                    ["visible_to"] = person["visible_to"]?.DeepClone(),
                    ["owner"] = new JsonObject { ["id"] = person["owner_id"]?.DeepClone() },
                    ["organization"] = person["org_id"] is null ? null : new JsonObject { ["id"] = person["org_id"]!.DeepClone(), ["name"] = null },
                    ["custom_fields"] = new JsonArray(CustomValues(person).Select(v => (JsonNode?)v).ToArray()),
                    ["notes"] = new JsonArray(),
                },
            });
        }

        var (page, next) = Slice(items, query, limit);
        return Ok(
            new JsonObject { ["items"] = new JsonArray(page.ToArray()) },
            new JsonObject { ["next_cursor"] = next });
    }

    private ResponseMessage ListPersonFieldsV1(ApiCall call)
    {
        var data = new JsonArray(_personFields.Values.Select(f => (JsonNode?)f.Data.DeepClone()).ToArray());
        return Ok(data, new JsonObject
        {
            ["pagination"] = new JsonObject { ["start"] = 0, ["limit"] = 100, ["more_items_in_collection"] = false },
        });
    }

    /// <summary>
    /// 403 for a field create by a user whose permission set lacks "add custom fields" (<c>can_add_custom_fields</c>). Pipedrive
    /// documents the 403 for missing add permissions but not its body; the simulator uses its usual error envelope (see README).
    /// </summary>
    private static ResponseMessage CannotAddCustomFields() =>
        SimulatorHttp.Json(403, new JsonObject
        {
            ["success"] = false,
            ["error"] = "You do not have permission to add custom fields.",
            ["errorCode"] = 403,
            ["error_info"] = ErrorInfo,
            ["data"] = null,
            ["additional_data"] = null,
        });

    private ResponseMessage CreatePersonFieldV1(ApiCall call)
    {
        _createPersonFieldRequests++;
        if (!_userCanAddCustomFields)
        {
            return CannotAddCustomFields();
        }

        var body = SimulatorHttp.BodyObject(call.Request);
        var name = body?["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
        var type = body?["field_type"] is JsonValue t && t.TryGetValue<string>(out var ft) ? ft : null;
        var options = OptionLabels(body?["options"]);
        var error = ValidateNewField(name, type, "name", options);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var row = AddPersonField(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), name!, type!, isCustom: true, call.Now, options);
        return Ok(row.Data.DeepClone());
    }

    private ResponseMessage ListPersonFieldsV2(ApiCall call) =>
        Ok(new JsonArray(_personFields.Values.Select(f => (JsonNode?)ToV2Field(f)).ToArray()), new JsonObject { ["next_cursor"] = null });

    private ResponseMessage CreatePersonFieldV2(ApiCall call)
    {
        _createPersonFieldRequests++;
        if (!_userCanAddCustomFields)
        {
            return CannotAddCustomFields();
        }

        var body = SimulatorHttp.BodyObject(call.Request);
        var name = body?["field_name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
        var type = body?["field_type"] is JsonValue t && t.TryGetValue<string>(out var ft) ? ft : null;
        var options = OptionLabels(body?["options"]);
        var error = ValidateNewField(name, type, "field_name", options);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var row = AddPersonField(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), name!, type!, isCustom: true, call.Now, options);
        return Ok(ToV2Field(row));
    }

    /// <summary>An enum field takes one option id, a set field an array of option ids (v2); anything else is refused.</summary>
    private string? OptionError(string fieldKey, JsonNode value)
    {
        var field = _personFields.Values.First(f => f.Data["key"]!.GetValue<string>() == fieldKey);
        if (field.Data["options"] is not JsonArray options)
        {
            return null;
        }

        var ids = options.Select(o => o!["id"]!.GetValue<long>()).ToHashSet();
        static long? Id(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var id) ? id : null;
        var valid = field.Data["field_type"]!.GetValue<string>() == "set"
            ? value is JsonArray chosen && chosen.All(c => Id(c) is { } id && ids.Contains(id))
            : Id(value) is { } single && ids.Contains(single);
        return valid ? null : $"Validation failed: custom_fields: Field '{fieldKey}' takes option ids ({string.Join(", ", ids.Order())})";
    }

    /// <summary>Reads <c>options: [{"label": …}]</c> of a new enum or set field; <see langword="null"/> when absent or malformed.</summary>
    private static List<string>? OptionLabels(JsonNode? options) =>
        options is JsonArray items && items.All(o => o?["label"] is JsonValue l && l.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
            ? [.. items.Select(o => o!["label"]!.GetValue<string>())]
            : null;

    private static string? ValidateNewField(string? name, string? type, string nameParameter, IReadOnlyList<string>? options)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return $"Validation failed: {nameParameter}: Parameter '{nameParameter}' is required";
        }

        if (type is null || !FieldTypes.Contains(type))
        {
            return "Validation failed: field_type: Parameter 'field_type' must be one of " + string.Join(", ", FieldTypes.Order(StringComparer.Ordinal));
        }

        if (type is "enum" or "set" && (options is null || options.Count == 0))
        {
            return "Validation failed: options: Parameter 'options' is required for field_type " + type;
        }

        return null;
    }

    /// <summary>
    /// A field as v2 lists it: <c>field_name</c>, <c>field_code</c>, <c>description</c>, <c>field_type</c>, <c>options</c>
    /// (enum and set: <c>{id, label, color, add_time, update_time}</c>; the person's value is the option <c>id</c>),
    /// <c>subfields</c> (not modelled: null), <c>is_custom_field</c>, <c>is_optional_response_field</c>.
    /// </summary>
    private static JsonObject ToV2Field(StoredRow field)
    {
        var key = field.Data["key"]!.GetValue<string>();
        var type = field.Data["field_type"]!.GetValue<string>();
        return new JsonObject
        {
            ["field_name"] = field.Data["name"]!.DeepClone(),
            ["field_code"] = key,
            ["description"] = null,
            ["field_type"] = type,
            ["options"] = field.Data["options"] is JsonArray options
                ? new JsonArray(options.Select(o => (JsonNode?)new JsonObject
                {
                    ["id"] = o!["id"]!.DeepClone(),
                    ["label"] = o["label"]!.DeepClone(),
                    ["color"] = null,
                    ["add_time"] = null,
                    ["update_time"] = null,
                }).ToArray())
                : null,
            ["subfields"] = null,
            ["is_custom_field"] = field.Data["edit_flag"]!.DeepClone(),
            ["is_optional_response_field"] = false,
        };
    }

    /// <summary>Applies create/update JSON to a v2 person; returns an error text or null.</summary>
    private string? ApplyPersonBody(JsonObject person, JsonObject body)
    {
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "name":
                    var name = value!.GetValue<string>().Trim();
                    var space = name.IndexOf(' ', StringComparison.Ordinal);
                    person["name"] = name;
                    person["first_name"] = space < 0 ? name : name[..space];
                    person["last_name"] = space < 0 ? null : name[(space + 1)..];
                    break;
                case "owner_id":
                    if (value is not JsonValue ownerValue || !ownerValue.TryGetValue<long>(out var ownerId) || !_users.ContainsKey(ownerId))
                    {
                        return "Validation failed: owner_id: User not found";
                    }

                    person["owner_id"] = ownerId;
                    break;
                case "org_id":
                    if (value is null)
                    {
                        person["org_id"] = null;
                    }
                    else if (value is JsonValue orgValue && orgValue.TryGetValue<long>(out var orgId))
                    {
                        person["org_id"] = orgId;
                    }
                    else
                    {
                        return "Validation failed: org_id: must be an integer";
                    }

                    break;
                case "emails":
                case "phones":
                    var list = NormalizeContactList(value, key);
                    if (list is null)
                    {
                        return $"Validation failed: {key}: must be an array of {{value, primary, label}} objects";
                    }

                    person[key] = list;
                    break;
                case "visible_to":
                    if (value is not JsonValue visible || !visible.TryGetValue<int>(out var visibleTo) || visibleTo is not (1 or 3 or 5 or 7))
                    {
                        return "Validation failed: visible_to: must be one of 1, 3, 5, 7";
                    }

                    person["visible_to"] = visibleTo;
                    break;
                case "label_ids":
                    person["label_ids"] = value?.DeepClone() ?? new JsonArray();
                    break;
                case "custom_fields":
                    if (value is not JsonObject custom)
                    {
                        return "Validation failed: custom_fields: must be an object keyed by field code";
                    }

                    var target = (JsonObject)person["custom_fields"]!;
                    foreach (var (fieldKey, fieldValue) in custom)
                    {
                        if (!IsCustomFieldKey(fieldKey))
                        {
                            return $"Validation failed: custom_fields: Custom field '{fieldKey}' does not exist";
                        }

                        if (fieldValue is not null && OptionError(fieldKey, fieldValue) is { } optionError)
                        {
                            return optionError;
                        }

                        if (fieldValue is null)
                        {
                            target.Remove(fieldKey);
                        }
                        else
                        {
                            target[fieldKey] = fieldValue.DeepClone();
                        }
                    }

                    break;
                default:
                    // Other properties (job_title, birthday, …) are accepted and ignored, as on accounts without Contact Sync data.
                    break;
            }
        }

        return null;
    }

    private static JsonArray? NormalizeContactList(JsonNode? value, string key)
    {
        if (value is null)
        {
            return [];
        }

        if (value is not JsonArray array)
        {
            return null;
        }

        var result = new JsonArray();
        foreach (var item in array)
        {
            if (item is not JsonObject entry || entry["value"] is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                return null;
            }

            var primary = entry["primary"] is JsonValue p && p.TryGetValue<bool>(out var isPrimary) && isPrimary;
            var label = entry["label"] is JsonValue l && l.TryGetValue<string>(out var labelText) ? labelText : (key == "emails" ? "work" : "mobile");
            result.Add(new JsonObject { ["value"] = text, ["primary"] = primary, ["label"] = label });
        }

        if (result.Count > 0 && !result.Any(e => e!["primary"]!.GetValue<bool>()))
        {
            result[0]!["primary"] = true;
        }

        return result;
    }

    private static IEnumerable<string> Values(JsonNode? list) =>
        list is JsonArray array
            ? array.Select(e => e?["value"]?.GetValue<string>()).OfType<string>()
            : [];

    private static IEnumerable<string> CustomValues(JsonObject person) =>
        person["custom_fields"] is JsonObject custom
            ? custom.Select(p => p.Value switch
            {
                null => null,
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
                var other => other.ToJsonString(),
            }).OfType<string>()
            : [];

    private static bool TryReadLimit(Dictionary<string, string> query, int defaultLimit, int max, out int limit)
    {
        limit = defaultLimit;
        return !query.TryGetValue("limit", out var text)
            || (int.TryParse(text, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max);
    }

    private static (List<JsonNode> Page, string? NextCursor) Slice(List<JsonNode> items, Dictionary<string, string> query, int limit)
    {
        var offset = 0;
        if (query.TryGetValue("cursor", out var cursor) && cursor.Length > 0)
        {
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                offset = 0;
            }
        }

        var page = items.Skip(offset).Take(limit).ToList();
        var nextOffset = offset + page.Count;
        var next = nextOffset < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(SimulatorHttp.Invariant(nextOffset))) : null;
        return (page, next);
    }

    private static ResponseMessage Page(List<JsonNode> items, Dictionary<string, string> query, int limit)
    {
        var (page, next) = Slice(items, query, limit);
        return Ok(new JsonArray(page.ToArray()), new JsonObject { ["next_cursor"] = next });
    }
}
