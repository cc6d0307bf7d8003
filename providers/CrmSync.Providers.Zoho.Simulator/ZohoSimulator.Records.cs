using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

public sealed partial class ZohoSimulator
{
    private const int MaxRecordsPerWrite = 100;

    private static readonly Regex EmailPattern = new(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private static readonly string[] CallTypes = ["Outbound", "Inbound", "Missed"];
    private static readonly string[] SystemFields = ["id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"];

    /// <summary>The fields Zoho sets itself, listed <c>read_only</c> in the field metadata; only <c>id</c> may be sent (it names the record to update).</summary>
    private static readonly string[] ReadOnlyFields = SystemFields;

    private static string[] MandatoryFields(string module) => module switch
    {
        "Leads" or "Contacts" => ["Last_Name"],
        "Notes" => ["Note_Content", "Parent_Id"],
        "Calls" => ["Subject", "Call_Type", "Call_Start_Time"],
        "Events" => ["Event_Title", "Start_DateTime", "End_DateTime"],
        "Deals" => ["Deal_Name", "Stage"],
        "Accounts" => ["Account_Name"],
        _ => [],
    };

    private static bool HasOwner(string module) => module is not "Notes";

    /// <summary>The user-defined unique fields of a module ("Do not allow duplicate values"), in the order they were added.</summary>
    private List<string> UniqueFields(string module) => _addedFields.Where(f => f.Module == module && f.Unique).Select(f => f.ApiName).ToList();

    private static bool IsPerson(string module) => module is "Leads" or "Contacts";

    private ResponseMessage Insert(ApiCall call) => Write(call, WriteMode.Insert);

    private ResponseMessage Upsert(ApiCall call) => Write(call, WriteMode.Upsert);

    private ResponseMessage UpdateMany(ApiCall call) => Write(call, WriteMode.Update);

    private ResponseMessage UpdateOne(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        var id = ResolveId(call, module, out var error);
        if (error is not null)
        {
            return error;
        }

        var body = SimulatorHttp.BodyObject(call.Request);
        if (body?["data"] is not JsonArray { Count: 1 } data || data[0] is not JsonObject record)
        {
            return Error(400, "INVALID_DATA", [], "invalid data");
        }

        record["id"] = id;
        return Write(call, WriteMode.Update, new JsonObject { ["data"] = new JsonArray(record.DeepClone()) });
    }

    private ResponseMessage Write(ApiCall call, WriteMode mode, JsonObject? bodyOverride = null)
    {
        var module = CanonicalModule(call.ModuleGroup);
        var body = bodyOverride ?? SimulatorHttp.BodyObject(call.Request);
        if (body?["data"] is not JsonArray data || data.Count == 0)
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param"] = "data" }, "One of the expected parameter is missing");
        }

        if (data.Count > MaxRecordsPerWrite)
        {
            return Error(400, "LIMIT_EXCEEDED", new JsonObject { ["limit"] = MaxRecordsPerWrite }, "Maximum number of records allowed in one request is 100");
        }

        string[]? duplicateCheckFields = null;
        if (mode == WriteMode.Upsert && body["duplicate_check_fields"] is { } dcf)
        {
            if (dcf is not JsonArray list || list.Any(f => f is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            {
                return Error(400, "INVALID_DATA", new JsonObject { ["api_name"] = "duplicate_check_fields", ["json_path"] = "$.duplicate_check_fields" }, "invalid data");
            }

            duplicateCheckFields = list.Select(f => f!.GetValue<string>()).ToArray();
            for (var i = 0; i < duplicateCheckFields.Length; i++)
            {
                // Only system-defined duplicate-check fields (Leads and Contacts: Email) and user-defined unique fields qualify.
                var field = FieldMetadata(module).FirstOrDefault(f => f.ApiName == duplicateCheckFields[i]);
                if (field is null || !(field.Unique || (IsPerson(module) && field.ApiName == "Email")))
                {
                    return Error(400, "INVALID_DATA", new JsonObject { ["api_name"] = duplicateCheckFields[i], ["json_path"] = $"$.duplicate_check_fields[{i}]" }, "invalid data");
                }
            }
        }

        var results = new JsonArray();
        for (var index = 0; index < data.Count; index++)
        {
            if (data[index] is not JsonObject input)
            {
                results.Add(ErrorBody("INVALID_DATA", new JsonObject { ["json_path"] = $"$.data[{index}]" }, "invalid data"));
                continue;
            }

            results.Add(mode switch
            {
                WriteMode.Insert => WriteRecord(call, module, input, index, existing: null, duplicateField: null, upsert: false),
                WriteMode.Update => UpdateRecord(call, module, input, index),
                _ => UpsertRecord(call, module, input, index, duplicateCheckFields ?? ["Email", .. UniqueFields(module)]),
            });
        }

        var successes = results.Count(r => r!["status"]!.GetValue<string>() == "success");
        var status = successes == results.Count ? (mode == WriteMode.Update ? 200 : 201) : successes == 0 ? 400 : 207;
        return SimulatorHttp.Json(status, new JsonObject { ["data"] = results });
    }

    private JsonObject UpdateRecord(ApiCall call, string module, JsonObject input, int index)
    {
        if (input["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || id.Length == 0)
        {
            return ErrorBody("MANDATORY_NOT_FOUND", new JsonObject { ["api_name"] = "id", ["json_path"] = $"$.data[{index}].id" }, "required field not found");
        }

        if (!_modules[module].TryGetValue(id, out var existing))
        {
            return ErrorBody("INVALID_DATA", new JsonObject { ["id"] = id }, "the related id given seems to be invalid");
        }

        return WriteRecord(call, module, input, index, existing, duplicateField: null, upsert: false);
    }

    private JsonObject UpsertRecord(ApiCall call, string module, JsonObject input, int index, string[] checkFields)
    {
        foreach (var field in checkFields)
        {
            var value = ZohoCriteria.FieldText(input[field]);
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var existing = _modules[module].Values.FirstOrDefault(r => string.Equals(ZohoCriteria.FieldText(r.Data[field]), value, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                return WriteRecord(call, module, input, index, existing, duplicateField: field, upsert: true);
            }
        }

        return WriteRecord(call, module, input, index, existing: null, duplicateField: null, upsert: true);
    }

    /// <summary>Validates and applies one record; returns the per-record result object.</summary>
    private JsonObject WriteRecord(ApiCall call, string module, JsonObject input, int index, Row? existing, string? duplicateField, bool upsert)
    {
        var path = $"$.data[{index}]";
        var merged = existing is null ? new JsonObject() : (JsonObject)existing.Data.DeepClone();
        foreach (var (key, value) in input)
        {
            if (!SystemFields.Contains(key, StringComparer.Ordinal))
            {
                merged[key] = value?.DeepClone();
            }
        }

        var errors = new List<JsonObject>();

        // Zoho sets its system fields itself; a write naming one is refused (only id, which names the record, may be sent).
        foreach (var key in input.Select(p => p.Key).Where(k => k != "id" && ReadOnlyFields.Contains(k, StringComparer.Ordinal)))
        {
            errors.Add(ErrorBody("INVALID_DATA", new JsonObject { ["api_name"] = key, ["json_path"] = $"{path}.{key}" }, "invalid data"));
        }

        if (IsPerson(module))
        {
            // Zoho refuses fields the module does not have; its API names differ per module (Leads' job title is Designation).
            var known = FieldMetadata(module).Select(f => f.ApiName).ToHashSet(StringComparer.Ordinal);
            foreach (var key in input.Select(p => p.Key).Where(k => !known.Contains(k) && !SystemFields.Contains(k, StringComparer.Ordinal) && !k.StartsWith('$')))
            {
                errors.Add(ErrorBody("INVALID_DATA", new JsonObject { ["api_name"] = key, ["json_path"] = $"{path}.{key}" }, "invalid data"));
            }
        }

        foreach (var mandatory in MandatoryFields(module))
        {
            var present = merged[mandatory] switch
            {
                null => false,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => !string.IsNullOrWhiteSpace(v.GetValue<string>()),
                _ => true,
            };
            if (!present)
            {
                errors.Add(ErrorBody("MANDATORY_NOT_FOUND", new JsonObject { ["api_name"] = mandatory, ["json_path"] = $"{path}.{mandatory}" }, "required field not found"));
            }
        }

        if (ValidateValues(module, merged, input, path) is { } invalid)
        {
            errors.Add(invalid);
        }

        if (errors.Count == 1)
        {
            return errors[0];
        }

        if (errors.Count > 1)
        {
            return ErrorBody("MULTIPLE_OR_MULTI_ERRORS", new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()) }, "multiple errors occurred");
        }

        foreach (var uniqueField in UniqueFields(module))
        {
            if (ZohoCriteria.FieldText(merged[uniqueField]) is not { Length: > 0 } uniqueValue)
            {
                continue;
            }

            var duplicate = _modules[module].Values.FirstOrDefault(r =>
                r != existing && string.Equals(ZohoCriteria.FieldText(r.Data[uniqueField]), uniqueValue, StringComparison.OrdinalIgnoreCase));
            if (duplicate is not null)
            {
                return ErrorBody(
                    "DUPLICATE_DATA",
                    new JsonObject
                    {
                        ["api_name"] = uniqueField,
                        ["json_path"] = $"{path}.{uniqueField}",
                        ["duplicate_record"] = new JsonObject
                        {
                            ["id"] = duplicate.Id,
                            ["module"] = new JsonObject { ["api_name"] = module, ["id"] = ModuleId(module) },
                            ["Owner"] = duplicate.OwnerId is { } dupOwner ? new JsonObject { ["name"] = _users[dupOwner].Data["full_name"]!.DeepClone(), ["id"] = dupOwner } : null,
                        },
                    },
                    "duplicate data");
            }
        }

        var now = call.Now;
        var user = UserRef(call.UserId);
        Row row;
        if (existing is null)
        {
            var id = NewRecordId();
            merged["id"] = id;
            merged["Created_Time"] = ZohoTime(now);
            merged["Created_By"] = user.DeepClone();
            merged["Modified_Time"] = ZohoTime(now);
            merged["Modified_By"] = user.DeepClone();
            if (HasOwner(module) && merged["Owner"] is not JsonObject)
            {
                merged["Owner"] = UserRef(call.UserId);
            }
            else if (HasOwner(module))
            {
                merged["Owner"] = UserRef(merged["Owner"]!["id"]!.GetValue<string>());
            }

            row = new Row(module, id, merged, now, now, HasOwner(module) ? merged["Owner"]!["id"]!.GetValue<string>() : call.UserId);
            _modules[module][id] = row;
        }
        else
        {
            merged["Modified_Time"] = ZohoTime(now);
            merged["Modified_By"] = user.DeepClone();
            if (HasOwner(module) && input["Owner"] is JsonObject)
            {
                merged["Owner"] = UserRef(merged["Owner"]!["id"]!.GetValue<string>());
            }

            existing.Data = merged;
            existing.ModifiedAt = now;
            existing.OwnerId = HasOwner(module) ? merged["Owner"]!["id"]!.GetValue<string>() : existing.OwnerId;
            row = existing;
        }

        var result = new JsonObject
        {
            ["code"] = "SUCCESS",
            ["details"] = new JsonObject
            {
                ["Modified_Time"] = row.Data["Modified_Time"]!.DeepClone(),
                ["Modified_By"] = new JsonObject { ["name"] = user["name"]!.DeepClone(), ["id"] = call.UserId },
                ["Created_Time"] = row.Data["Created_Time"]!.DeepClone(),
                ["id"] = row.Id,
                ["Created_By"] = row.Data["Created_By"] is JsonObject createdBy
                    ? new JsonObject { ["name"] = createdBy["name"]!.DeepClone(), ["id"] = createdBy["id"]!.DeepClone() }
                    : null,
            },
            ["message"] = existing is null ? "record added" : "record updated",
            ["status"] = "success",
        };
        if (upsert)
        {
            result["duplicate_field"] = duplicateField;
            result["action"] = existing is null ? "insert" : "update";
        }

        return result;
    }

    private JsonObject? ValidateValues(string module, JsonObject merged, JsonObject input, string path)
    {
        JsonObject Invalid(string apiName, string expected) =>
            ErrorBody("INVALID_DATA", new JsonObject { ["expected_data_type"] = expected, ["api_name"] = apiName, ["json_path"] = $"{path}.{apiName}" }, "invalid data");

        foreach (var emailField in new[] { "Email", "Secondary_Email" })
        {
            if (input[emailField] is { } email && (email is not JsonValue ev || ev.GetValueKind() != JsonValueKind.String || !EmailPattern.IsMatch(ev.GetValue<string>())))
            {
                return Invalid(emailField, "email");
            }
        }

        if (HasOwner(module) && input["Owner"] is { } owner)
        {
            var ownerId = owner is JsonObject o ? ZohoCriteria.FieldText(o["id"]) : null;
            if (ownerId is null || !_users.TryGetValue(ownerId, out var ownerRow) || ownerRow.Data["status"]!.GetValue<string>() != "active")
            {
                return Invalid("Owner", "ownerlookup");
            }
        }

        foreach (var dateField in new[] { "Call_Start_Time", "Start_DateTime", "End_DateTime" })
        {
            if (input[dateField] is { } date && (date is not JsonValue dv || !dv.TryGetValue<string>(out var dateText)
                || !DateTimeOffset.TryParseExact(dateText, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
            {
                return Invalid(dateField, "datetime");
            }
        }

        if (module == "Calls" && input["Call_Type"] is { } callType && (callType is not JsonValue ct || !ct.TryGetValue<string>(out var callTypeText) || !CallTypes.Contains(callTypeText, StringComparer.Ordinal)))
        {
            return Invalid("Call_Type", "picklist");
        }

        if (input["Who_Id"] is { } who && (who is not JsonObject whoObject || ZohoCriteria.FieldText(whoObject["id"]) is not { } whoId || !_modules["Contacts"].ContainsKey(whoId)))
        {
            return Invalid("Who_Id", "lookup");
        }

        if (input["What_Id"] is { } what)
        {
            var seModule = ZohoCriteria.FieldText(merged["$se_module"]);
            if (seModule is null || !IsPerson(seModule) || what is not JsonObject whatObject
                || ZohoCriteria.FieldText(whatObject["id"]) is not { } whatId || !_modules[seModule].ContainsKey(whatId))
            {
                return Invalid("What_Id", "lookup");
            }
        }

        if (module == "Notes" && input["Parent_Id"] is { } parent)
        {
            var parentObject = parent as JsonObject;
            var parentModule = ZohoCriteria.FieldText((parentObject?["module"] as JsonObject)?["api_name"]);
            var parentId = ZohoCriteria.FieldText(parentObject?["id"]);
            if (parentModule is null || parentId is null || !IsPerson(parentModule) || !_modules[parentModule].ContainsKey(parentId))
            {
                return Invalid("Parent_Id", "lookup");
            }
        }

        if (module == "Events" && input["Participants"] is { } participants)
        {
            if (participants is not JsonArray list)
            {
                return Invalid("Participants", "multiselectlookup");
            }

            foreach (var participant in list)
            {
                var type = ZohoCriteria.FieldText((participant as JsonObject)?["type"]);
                var id = ZohoCriteria.FieldText((participant as JsonObject)?["participant"]);
                var ok = type switch
                {
                    "contact" => id is not null && _modules["Contacts"].ContainsKey(id),
                    "lead" => id is not null && _modules["Leads"].ContainsKey(id),
                    "user" => id is not null && _users.ContainsKey(id),
                    "email" => id is not null && EmailPattern.IsMatch(id),
                    _ => false,
                };
                if (!ok)
                {
                    return Invalid("Participants", "multiselectlookup");
                }
            }
        }

        return null;
    }

    private string? ResolveId(ApiCall call, string module, out ResponseMessage? error)
    {
        error = null;
        var external = SimulatorHttp.Header(call.Request, "X-EXTERNAL");
        if (external is null)
        {
            if (!_modules[module].ContainsKey(call.Id))
            {
                error = Error(400, "INVALID_DATA", new JsonObject { ["id"] = call.Id }, "the related id given seems to be invalid");
                return null;
            }

            return call.Id;
        }

        var externalField = UniqueFields(module).FirstOrDefault(f => string.Equals(external, $"{module}.{f}", StringComparison.Ordinal));
        if (!IsPerson(module) || externalField is null)
        {
            error = Error(400, "INVALID_DATA", new JsonObject { ["api_name"] = "X-EXTERNAL" }, "invalid data");
            return null;
        }

        var match = _modules[module].Values.FirstOrDefault(r =>
            string.Equals(ZohoCriteria.FieldText(r.Data[externalField]), call.Id, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            error = Error(400, "INVALID_DATA", new JsonObject { ["id"] = call.Id }, "the related id given seems to be invalid");
            return null;
        }

        return match.Id;
    }

    private ResponseMessage GetOne(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        var id = ResolveId(call, module, out var error);
        return error ?? SimulatorHttp.Json(200, new JsonObject { ["data"] = new JsonArray(_modules[module][id!].Data.DeepClone()) });
    }

    private ResponseMessage DeleteOne(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        if (!_modules[module].Remove(call.Id))
        {
            return SimulatorHttp.Json(400, new JsonObject
            {
                ["data"] = new JsonArray(ErrorBody("INVALID_DATA", new JsonObject { ["id"] = call.Id }, "the related id given seems to be invalid")),
            });
        }

        return SimulatorHttp.Json(200, new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["code"] = "SUCCESS",
                ["details"] = new JsonObject { ["id"] = call.Id },
                ["message"] = "record deleted",
                ["status"] = "success",
            }),
        });
    }

    private ResponseMessage ListRelated(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        if (!_modules[module].ContainsKey(call.Id))
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["id"] = call.Id }, "the related id given seems to be invalid");
        }

        // v8's related-list API names (GET /settings/related_lists): Notes, Activities (open) and Activities_History (closed);
        // there is no Calls or Events related list.
        var related = call.Match.Groups["related"].Value;
        if (related == "Notes")
        {
            return PageOf(_modules["Notes"].Values.Where(r => ZohoCriteria.FieldText((r.Data["Parent_Id"] as JsonObject)?["id"]) == call.Id).ToList(), call.Query, fields: null);
        }

        if (related is not ("Activities" or "Activities_History"))
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["param_name"] = "related_list", ["api_name"] = related }, "the relation name given seems to be invalid");
        }

        var now = Now;
        var rows = new List<Row>();
        foreach (var activityModule in new[] { "Calls", "Events" })
        {
            foreach (var r in _modules[activityModule].Values.Where(r => ZohoCriteria.FieldText(r.Data["Who_Id"]) == call.Id || ZohoCriteria.FieldText(r.Data["What_Id"]) == call.Id
                || (r.Data["Participants"] is JsonArray ps && ps.Any(p => ZohoCriteria.FieldText((p as JsonObject)?["participant"]) == call.Id))))
            {
                // A logged call or a meeting that has ended is a closed activity; a scheduled one is open.
                var at = ZohoCriteria.FieldText(r.Data[activityModule == "Calls" ? "Call_Start_Time" : "End_DateTime"]);
                var closed = at is null || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) || time <= now;
                if (closed == (related == "Activities_History"))
                {
                    var data = (JsonObject)r.Data.DeepClone();
                    data["Activity_Type"] = activityModule;
                    rows.Add(new Row(activityModule, r.Id, data, r.CreatedAt, r.ModifiedAt, r.OwnerId));
                }
            }
        }

        return PageOf(rows, call.Query, fields: null);
    }

    private ResponseMessage Search(ApiCall call)
    {
        var module = CanonicalModule(call.ModuleGroup);
        var query = call.Query;
        Func<JsonObject, bool> predicate;
        if (query.TryGetValue("criteria", out var criteriaText))
        {
            if (!ZohoCriteria.TryParse(criteriaText, out var criteria))
            {
                return Error(400, "INVALID_QUERY", new JsonObject { ["reason"] = "invalid criteria" }, "invalid query formed");
            }

            if (criteria!.LeafCount > 10)
            {
                return Error(400, "LIMIT_EXCEEDED", new JsonObject { ["limit"] = 10 }, "more than 10 criteria given");
            }

            predicate = criteria.Matches;
        }
        else if (query.TryGetValue("email", out var email))
        {
            predicate = r => new[] { "Email", "Secondary_Email" }.Any(f => string.Equals(ZohoCriteria.FieldText(r[f]), email, StringComparison.OrdinalIgnoreCase));
        }
        else if (query.TryGetValue("phone", out var phone))
        {
            predicate = r => new[] { "Phone", "Mobile" }.Any(f => string.Equals(ZohoCriteria.FieldText(r[f]), phone, StringComparison.OrdinalIgnoreCase));
        }
        else if (query.TryGetValue("word", out var word))
        {
            predicate = r => r.Any(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains(word, StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            return Error(400, "REQUIRED_PARAM_MISSING", new JsonObject { ["param"] = "criteria" }, "One of the expected parameter is missing");
        }

        var visibleBefore = call.Now - _options.SearchLag;
        var rows = _modules[module].Values
            .Where(r => _options.SearchLag <= TimeSpan.Zero || r.CreatedAt <= visibleBefore)
            .Where(r => predicate(r.Data))
            .ToList();
        var fields = query.TryGetValue("fields", out var fieldText) && fieldText.Length > 0
            ? fieldText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        return PageOf(rows, query, fields);
    }

    private static ResponseMessage PageOf(List<Row> rows, Dictionary<string, string> query, string[]? fields)
    {
        var page = query.TryGetValue("page", out var pageText) && int.TryParse(pageText, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var perPage = query.TryGetValue("per_page", out var perPageText) && int.TryParse(perPageText, CultureInfo.InvariantCulture, out var pp) ? pp : 200;
        if (page < 1 || perPage < 1 || perPage > 200)
        {
            return Error(400, "INVALID_DATA", new JsonObject { ["param"] = page < 1 ? "page" : "per_page" }, "invalid data");
        }

        var slice = rows.Skip((page - 1) * perPage).Take(perPage).ToList();
        if (slice.Count == 0)
        {
            return SimulatorHttp.Empty(204);
        }

        var data = new JsonArray(slice.Select(r => (JsonNode?)Project(r.Data, fields)).ToArray());
        return SimulatorHttp.Json(200, new JsonObject
        {
            ["data"] = data,
            ["info"] = new JsonObject
            {
                ["per_page"] = perPage,
                ["count"] = slice.Count,
                ["page"] = page,
                ["more_records"] = (page * perPage) < rows.Count,
            },
        });
    }

    private static JsonObject Project(JsonObject record, string[]? fields)
    {
        if (fields is null)
        {
            return (JsonObject)record.DeepClone();
        }

        var result = new JsonObject { ["id"] = record["id"]?.DeepClone() };
        foreach (var field in fields)
        {
            if (field != "id")
            {
                result[field] = record[field]?.DeepClone();
            }
        }

        return result;
    }

    private static string ModuleId(string module) => module switch
    {
        "Leads" => "5725767000000002175",
        "Contacts" => "5725767000000002179",
        "Notes" => "5725767000000002197",
        "Calls" => "5725767000000002191",
        "Deals" => "5725767000000002181",
        "Accounts" => "5725767000000002177",
        _ => "5725767000000002189",
    };

    private enum WriteMode
    {
        Insert,
        Update,
        Upsert,
    }
}
