using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    private const int MaxBatchInputs = 100;

    private SimulatorResponse ListObjects(string objectType, SimulatorRequest request)
    {
        var limit = ParseInt(request.Query["limit"], 10);
        if (limit is < 1 or > 100)
        {
            return Error(400, "limit must be between 1 and 100", "VALIDATION_ERROR");
        }

        var offset = ParseInt(request.Query["after"], 0);
        var requested = SplitList(request.Query["properties"]);
        var live = _records[objectType].Values.Where(r => !r.Archived).OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture)).ToList();
        var page = live.Skip(offset).Take(limit).ToList();
        var body = new JsonObject
        {
            ["results"] = new JsonArray(page.Select(r => (JsonNode?)ToJson(r, requested, includeAssociations: request.Query["associations"] is not null)).ToArray()),
        };
        if (offset + limit < live.Count)
        {
            body["paging"] = NextPage(offset + limit, $"{BaseUrl.ToString().TrimEnd('/')}{request.Path}?after={offset + limit}");
        }

        return SimulatorResponse.Json(200, body);
    }

    private SimulatorResponse GetObject(string objectType, string id, SimulatorRequest request)
    {
        var idProperty = request.Query["idProperty"];
        if (InvalidIdProperty(objectType, idProperty) is { } invalid)
        {
            return invalid;
        }

        var record = FindRecord(objectType, id, idProperty);
        return record is null
            ? NotFound()
            : SimulatorResponse.Json(200, ToJson(record, SplitList(request.Query["properties"]), includeAssociations: request.Query["associations"] is not null));
    }

    private SimulatorResponse CreateObject(string objectType, SimulatorRequest request)
    {
        var body = request.JsonBody();
        if (body is null)
        {
            return InvalidJson("SimplePublicObjectInputForCreate", "properties");
        }

        var (record, error) = TryCreate(objectType, body);
        return error is not null ? ErrorResponse(error) : SimulatorResponse.Json(201, ToJson(record!, null, allProperties: true, includeAssociations: true));
    }

    private SimulatorResponse UpdateObject(string objectType, string id, SimulatorRequest request)
    {
        var idProperty = request.Query["idProperty"];
        if (InvalidIdProperty(objectType, idProperty) is { } invalid)
        {
            return invalid;
        }

        var body = request.JsonBody();
        if (body is null || body["properties"] is not JsonObject properties)
        {
            return InvalidJson("SimplePublicObjectInput", "properties");
        }

        var record = FindRecord(objectType, id, idProperty);
        if (record is null)
        {
            return NotFound();
        }

        var error = TryUpdate(record, properties);
        return error is not null ? ErrorResponse(error) : SimulatorResponse.Json(200, ToJson(record, null, allProperties: true));
    }

    private SimulatorResponse ArchiveObject(string objectType, string id)
    {
        if (_records[objectType].TryGetValue(id, out var record))
        {
            record.Archived = true;
            record.UpdatedAt = _time.GetUtcNow();
        }

        return SimulatorResponse.Empty(204);
    }

    private SimulatorResponse Batch(string objectType, string operation, SimulatorRequest request)
    {
        var body = request.JsonBody();
        if (body is null || body["inputs"] is not JsonArray inputs)
        {
            return InvalidJson("BatchInput", "inputs");
        }

        if (inputs.Count > MaxBatchInputs)
        {
            return Error(400, $"Too many inputs: {inputs.Count}. The maximum batch size is {MaxBatchInputs}.", "VALIDATION_ERROR");
        }

        if (inputs.Any(i => i is not JsonObject))
        {
            return InvalidJson("BatchInput", "inputs");
        }

        var items = inputs.Cast<JsonObject>().ToList();
        var startedAt = _time.GetUtcNow();
        return operation switch
        {
            "create" => BatchCreate(objectType, items, startedAt),
            "update" => BatchUpdate(objectType, items, startedAt),
            "upsert" => BatchUpsert(objectType, items, startedAt),
            "read" => BatchRead(objectType, body, items, startedAt),
            "archive" => BatchArchive(objectType, items),
            _ => NotFound(),
        };
    }

    private SimulatorResponse BatchCreate(string objectType, List<JsonObject> inputs, DateTimeOffset startedAt)
    {
        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var input in inputs)
        {
            var (record, error) = TryCreate(objectType, input);
            if (error is not null)
            {
                errors.Add(StandardError(error, TraceContext(input, null)));
            }
            else
            {
                results.Add(ToJson(record!, null, allProperties: true));
            }
        }

        return BatchResponse(201, results, errors, startedAt);
    }

    private SimulatorResponse BatchUpdate(string objectType, List<JsonObject> inputs, DateTimeOffset startedAt)
    {
        var ids = inputs.Select(i => i["id"]?.ToString()).ToList();
        if (DuplicateIds(ids) is { } duplicate)
        {
            return duplicate;
        }

        foreach (var input in inputs)
        {
            if (InvalidIdProperty(objectType, input["idProperty"]?.ToString()) is { } invalid)
            {
                return invalid;
            }
        }

        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var input in inputs)
        {
            var id = input["id"]?.ToString() ?? string.Empty;
            var record = FindRecord(objectType, id, input["idProperty"]?.ToString());
            if (record is null)
            {
                errors.Add(StandardError(NotFoundError(objectType), TraceContext(input, id)));
                continue;
            }

            var error = TryUpdate(record, input["properties"] as JsonObject ?? []);
            if (error is not null)
            {
                errors.Add(StandardError(error, TraceContext(input, id)));
            }
            else
            {
                results.Add(ToJson(record, null, allProperties: true));
            }
        }

        return BatchResponse(200, results, errors, startedAt);
    }

    private SimulatorResponse BatchUpsert(string objectType, List<JsonObject> inputs, DateTimeOffset startedAt)
    {
        foreach (var input in inputs)
        {
            var idProperty = input["idProperty"]?.ToString();
            if (string.IsNullOrEmpty(idProperty))
            {
                return InvalidJson("SimplePublicObjectBatchInputUpsert", "idProperty");
            }

            if (InvalidIdProperty(objectType, idProperty) is { } invalid)
            {
                return invalid;
            }
        }

        if (DuplicateIds(inputs.Select(i => i["id"]?.ToString()).ToList()) is { } duplicate)
        {
            return duplicate;
        }

        var results = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var input in inputs)
        {
            var id = input["id"]?.ToString() ?? string.Empty;
            var idProperty = input["idProperty"]!.ToString();
            var properties = input["properties"] as JsonObject ?? [];
            var record = FindRecord(objectType, id, idProperty);
            if (record is not null)
            {
                var error = TryUpdate(record, properties);
                if (error is not null)
                {
                    errors.Add(StandardError(error, TraceContext(input, id)));
                    continue;
                }

                var updated = ToJson(record, null, allProperties: true);
                updated["new"] = false;
                results.Add(updated);
                continue;
            }

            var createInput = new JsonObject { ["properties"] = properties.DeepClone() };
            createInput["properties"]![idProperty] = id;
            var (created, createError) = TryCreate(objectType, createInput);
            if (createError is not null)
            {
                errors.Add(StandardError(createError, TraceContext(input, id)));
                continue;
            }

            var json = ToJson(created!, null, allProperties: true);
            json["new"] = true;
            results.Add(json);
        }

        return BatchResponse(200, results, errors, startedAt);
    }

    private SimulatorResponse BatchRead(string objectType, JsonObject body, List<JsonObject> inputs, DateTimeOffset startedAt)
    {
        var idProperty = body["idProperty"]?.ToString();
        if (InvalidIdProperty(objectType, idProperty) is { } invalid)
        {
            return invalid;
        }

        var requested = (body["properties"] as JsonArray)?.Select(p => p?.ToString() ?? string.Empty).Where(p => p.Length > 0).ToList();
        var results = new List<JsonObject>();
        var missing = new List<string>();
        foreach (var input in inputs)
        {
            var id = input["id"]?.ToString() ?? string.Empty;
            var record = FindRecord(objectType, id, idProperty);
            if (record is null)
            {
                missing.Add(id);
            }
            else
            {
                results.Add(ToJson(record, requested));
            }
        }

        var errors = new List<JsonObject>();
        if (missing.Count > 0)
        {
            errors.Add(StandardError(NotFoundError(objectType), new JsonObject { ["ids"] = new JsonArray(missing.Select(m => (JsonNode?)m).ToArray()) }));
        }

        return BatchResponse(200, results, errors, startedAt);
    }

    private SimulatorResponse BatchArchive(string objectType, List<JsonObject> inputs)
    {
        foreach (var input in inputs)
        {
            ArchiveObject(objectType, input["id"]?.ToString() ?? string.Empty);
        }

        return SimulatorResponse.Empty(204);
    }

    private (StoredRecord? Record, WriteError? Error) TryCreate(string objectType, JsonObject input)
    {
        var errors = ValidateProperties(objectType, input["properties"] as JsonObject, isCreate: true, out var values);
        if (errors.Count > 0)
        {
            return (null, new WriteError(400, "VALIDATION_ERROR", ValidationMessage(errors), errors));
        }

        var (associations, associationError) = ParseAssociations(objectType, input["associations"]);
        if (associationError is not null)
        {
            return (null, associationError);
        }

        if (FindUniqueConflict(objectType, values, null) is { } conflict)
        {
            return (null, new WriteError(409, "CONFLICT", ConflictMessage(objectType, conflict.Record, conflict.Property), []));
        }

        return (CreateRecord(objectType, values, associations), null);
    }

    private WriteError? TryUpdate(StoredRecord record, JsonObject properties)
    {
        var errors = ValidateProperties(record.ObjectType, properties, isCreate: false, out var values);
        if (record.ObjectType != "contacts" && values.TryGetValue("hs_timestamp", out var timestamp) && string.IsNullOrEmpty(timestamp))
        {
            errors.Add(new PropertyError("hs_timestamp", "REQUIRED_FIELD", "hs_timestamp is required"));
        }

        if (errors.Count > 0)
        {
            return new WriteError(400, "VALIDATION_ERROR", ValidationMessage(errors), errors);
        }

        if (FindUniqueConflict(record.ObjectType, values, record.Id) is { } conflict)
        {
            return new WriteError(409, "CONFLICT", ConflictMessage(record.ObjectType, conflict.Record, conflict.Property), []);
        }

        ApplyValues(record, values, _time.GetUtcNow());
        return null;
    }

    private (List<HubSpotSimulatedAssociation> Associations, WriteError? Error) ParseAssociations(string objectType, JsonNode? node)
    {
        var associations = new List<HubSpotSimulatedAssociation>();
        if (node is null)
        {
            return (associations, null);
        }

        if (node is not JsonArray array)
        {
            return (associations, new WriteError(400, "VALIDATION_ERROR", "associations must be an array", []));
        }

        foreach (var item in array)
        {
            var toId = item?["to"]?["id"]?.ToString();
            if (string.IsNullOrEmpty(toId) || item?["types"] is not JsonArray { Count: > 0 } types)
            {
                return (associations, new WriteError(400, "VALIDATION_ERROR", "Each association needs to.id and at least one type.", []));
            }

            foreach (var type in types)
            {
                var category = type?["associationCategory"]?.ToString() ?? string.Empty;
                var typeIdText = type?["associationTypeId"]?.ToString();
                if (!int.TryParse(typeIdText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var typeId) || category.Length == 0)
                {
                    return (associations, new WriteError(400, "VALIDATION_ERROR", "Each association type needs associationCategory and associationTypeId.", []));
                }

                if (!ContactAssociationTypeIds.TryGetValue(objectType, out var expected) || category != "HUBSPOT_DEFINED" || typeId != expected)
                {
                    var hint = ContactAssociationTypeIds.TryGetValue(objectType, out var e) ? $" The {Singular(objectType)} to contact type is HUBSPOT_DEFINED {e}." : string.Empty;
                    return (associations, new WriteError(400, "VALIDATION_ERROR", $"Association type {category} {typeId} is not supported from {objectType} in this simulator.{hint}", []));
                }

                if (FindRecord("contacts", toId, null) is null)
                {
                    return (associations, new WriteError(400, "VALIDATION_ERROR", $"One or more associations are invalid: contact {toId} does not exist.", [], new JsonObject { ["ids"] = new JsonArray(toId) }));
                }

                associations.Add(new HubSpotSimulatedAssociation("contacts", toId, category, typeId));
            }
        }

        return (associations, null);
    }

    private SimulatorResponse? InvalidIdProperty(string objectType, string? idProperty)
    {
        if (string.IsNullOrEmpty(idProperty) || idProperty == "hs_object_id")
        {
            return null;
        }

        if (!_properties[objectType].TryGetValue(idProperty, out var definition))
        {
            return ValidationFailed([new PropertyError(idProperty, "PROPERTY_DOESNT_EXIST", $"Property \"{idProperty}\" does not exist")]);
        }

        return definition.HasUniqueValue
            ? null
            : ValidationFailed([new PropertyError(idProperty, "INVALID_ID_PROPERTY", $"Property \"{idProperty}\" is not a unique identifier property; only properties with hasUniqueValue can be used as idProperty")]);
    }

    private static SimulatorResponse? DuplicateIds(List<string?> ids)
    {
        var duplicates = ids.Where(i => i is not null).GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return duplicates.Count == 0
            ? null
            : Error(400, $"Duplicate IDs found in batch input: [{string.Join(", ", duplicates)}]. IDs must be unique", "VALIDATION_ERROR");
    }

    private static WriteError NotFoundError(string objectType) =>
        new(404, "OBJECT_NOT_FOUND", $"Could not get some {Singular(objectType).ToUpperInvariant()} objects, they may be deleted or not exist. Check that ids are valid.", []);

    private static JsonObject? TraceContext(JsonObject input, string? id)
    {
        var context = new JsonObject();
        if (id is not null)
        {
            context["ids"] = new JsonArray(id);
        }

        if (input["objectWriteTraceId"]?.ToString() is { } trace)
        {
            context["objectWriteTraceId"] = new JsonArray(trace);
        }

        return context.Count == 0 ? null : context;
    }

    private static JsonObject StandardError(WriteError error, JsonObject? context)
    {
        var merged = error.Context?.DeepClone().AsObject() ?? [];
        if (context is not null)
        {
            foreach (var (key, value) in context)
            {
                merged[key] = value?.DeepClone();
            }
        }

        return new JsonObject
        {
            ["status"] = "error",
            ["category"] = error.Category,
            ["message"] = error.Message,
            ["errors"] = new JsonArray(error.PropertyErrors.Select(e => (JsonNode?)new JsonObject
            {
                ["message"] = e.Message,
                ["code"] = e.Code,
                ["context"] = new JsonObject { ["propertyName"] = new JsonArray(e.Name) },
            }).ToArray()),
            ["context"] = merged,
            ["links"] = new JsonObject(),
        };
    }

    private SimulatorResponse BatchResponse(int successStatus, List<JsonObject> results, List<JsonObject> errors, DateTimeOffset startedAt)
    {
        var completedAt = _time.GetUtcNow();
        var body = new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = new JsonArray(results.Select(r => (JsonNode?)r).ToArray()),
        };
        if (errors.Count > 0)
        {
            body["numErrors"] = errors.Count;
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray());
        }

        body["requestedAt"] = FormatTimestamp(startedAt);
        body["startedAt"] = FormatTimestamp(startedAt);
        body["completedAt"] = FormatTimestamp(completedAt);
        body["links"] = new JsonObject();
        return SimulatorResponse.Json(errors.Count > 0 ? 207 : successStatus, body);
    }

    private static SimulatorResponse ErrorResponse(WriteError error) =>
        error.Status == 404 ? NotFound() : Error(error.Status, error.Message, error.Category, error.Context);

    private static SimulatorResponse InvalidJson(string type, string attribute) =>
        Error(400, $"Invalid input JSON on line 1, column 1: Cannot build {type}, some of required attributes are not set [{attribute}]", "VALIDATION_ERROR");

    private static JsonObject NextPage(int after, string link) =>
        new() { ["next"] = new JsonObject { ["after"] = after.ToString(CultureInfo.InvariantCulture), ["link"] = link } };

    private static int ParseInt(string? value, int fallback) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private static List<string>? SplitList(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private sealed record WriteError(int Status, string Category, string Message, List<PropertyError> PropertyErrors, JsonObject? Context = null);
}
