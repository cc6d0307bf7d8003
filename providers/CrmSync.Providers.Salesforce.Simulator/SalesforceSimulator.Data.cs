using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Salesforce.Simulator;

public sealed partial class SalesforceSimulator
{
    private const int MaxCollectionRecords = 200;

    private readonly Queue<DateTimeOffset> _burstCalls = new();
    private readonly Queue<DateTimeOffset> _dailyCalls = new();

    /// <summary>Authenticates, applies API limits, dispatches and adds <c>Sforce-Limit-Info</c> to every <c>/services/data/vNN.N/</c> call.</summary>
    private SimulatorResponse HandleData(SimulatorRequest request)
    {
        var segments = request.Segments;
        if (segments.Length == 2)
        {
            return request.Method == "GET" ? Versions() : NotFound();
        }

        if (segments.Length < 3 || !VersionPattern().IsMatch(segments[2]))
        {
            return NotFound();
        }

        var version = segments[2][1..];
        var route = segments[3..];
        var now = _time.GetUtcNow();
        while (_dailyCalls.Count > 0 && _dailyCalls.Peek() <= now - TimeSpan.FromHours(24))
        {
            _dailyCalls.Dequeue();
        }

        while (_burstCalls.Count > 0 && _burstCalls.Peek() <= now - _burstWindow)
        {
            _burstCalls.Dequeue();
        }

        var authFailure = Authenticate(request);
        if (authFailure is not null)
        {
            return WithLimitInfo(authFailure);
        }

        if (_dailyCalls.Count >= _dailyLimit)
        {
            return WithLimitInfo(RestError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        }

        if (_burstLimit is { } burst && _burstCalls.Count >= burst)
        {
            return WithLimitInfo(RestError(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded."));
        }

        _dailyCalls.Enqueue(now);
        _burstCalls.Enqueue(now);
        _meter.Charge(1);
        return WithLimitInfo(Dispatch(version, route, request));
    }

    private SimulatorResponse WithLimitInfo(SimulatorResponse response) =>
        response.WithHeader("Sforce-Limit-Info", $"api-usage={Math.Min(_dailyCalls.Count, _dailyLimit)}/{_dailyLimit}");

    private SimulatorResponse Versions()
    {
        var versions = new JsonArray();
        foreach (var v in new[] { "58.0", "59.0", "60.0", "61.0", "62.0", "63.0", "64.0", "65.0", "66.0", "67.0", "68.0" })
        {
            versions.Add(new JsonObject { ["label"] = "Simulator", ["url"] = $"/services/data/v{v}", ["version"] = v });
        }

        return SimulatorResponse.Json(200, versions);
    }

    private SimulatorResponse Dispatch(string version, string[] route, SimulatorRequest request)
    {
        var allowDuplicates = (request.Header("Sforce-Duplicate-Rule-Header") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal)
            .Contains("allowSave=true", StringComparison.OrdinalIgnoreCase);
        switch (route)
        {
            case ["limits"] when request.Method == "GET":
                return SimulatorResponse.Json(200, new JsonObject
                {
                    ["DailyApiRequests"] = new JsonObject { ["Max"] = _dailyLimit, ["Remaining"] = Math.Max(0, _dailyLimit - _dailyCalls.Count) },
                });

            case [] when request.Method == "GET":
                return Resources(version);

            case ["tooling", "sobjects", "CustomField"] when request.Method == "POST":
                _toolingRequestCount++;
                return CreateCustomField(request);

            case ["tooling", ..]:
                _toolingRequestCount++;
                return NotFound();

            case ["sobjects", "FieldPermissions"] when request.Method == "POST":
                return CreateFieldPermissions(request);

            case ["query"] when request.Method == "GET":
                return Query(version, request.Query["q"]);

            case ["query", var cursor] when request.Method == "GET":
                return QueryMore(cursor);

            case ["sobjects", var type, ..]:
            {
                var objectType = NormalizeObjectType(type);
                if (objectType is null || (IsSetupObject(objectType) && request.Method != "GET"))
                {
                    return NotFound();
                }

                return (request.Method, route.Length) switch
                {
                    ("POST", 2) => CreateSingle(version, objectType, request, allowDuplicates),
                    ("GET", 3) when route[2] == "describe" && !IsSetupObject(objectType) => Describe(objectType),
                    ("GET", _) when objectType == "PermissionSet" => NotFound(),
                    ("GET", 3) => GetById(version, objectType, route[2], request.Query["fields"]),
                    ("PATCH", 3) => UpdateSingle(objectType, route[2], request, allowDuplicates),
                    ("DELETE", 3) => DeleteSingle(objectType, route[2]),
                    ("GET", 4) => GetByExternalId(version, objectType, route[2], route[3]),
                    ("PATCH", 4) => UpsertSingle(version, objectType, route[2], route[3], request, allowDuplicates),
                    _ => NotFound(),
                };
            }

            case ["composite", "sobjects"] when request.Method is "POST" or "PATCH":
                return Collection(version, null, null, request, allowDuplicates);

            case ["composite", "sobjects", var type, var field] when request.Method == "PATCH":
            {
                var objectType = NormalizeObjectType(type);
                return objectType is null || IsSetupObject(objectType) ? NotFound() : Collection(version, objectType, field, request, allowDuplicates);
            }

            default:
                return NotFound();
        }
    }

    private SimulatorResponse CreateSingle(string version, string objectType, SimulatorRequest request, bool allowDuplicates)
    {
        if (request.JsonBody() is not { } body)
        {
            return MalformedJson();
        }

        var result = Create(version, objectType, body, allowDuplicates);
        return result.Error is { } error
            ? SimulatorResponse.Json(400, new JsonArray(error.ToRestJson()))
            : SimulatorResponse.Json(201, new JsonObject { ["id"] = result.Record!.Id, ["success"] = true, ["errors"] = new JsonArray() });
    }

    private SimulatorResponse UpdateSingle(string objectType, string id, SimulatorRequest request, bool allowDuplicates)
    {
        if (request.JsonBody() is not { } body)
        {
            return MalformedJson();
        }

        var record = FindById(objectType, id);
        if (record is null)
        {
            return NotFound();
        }

        var error = Update(record, body, allowDuplicates);
        return error is null ? SimulatorResponse.Empty(204) : SimulatorResponse.Json(400, new JsonArray(error.ToRestJson()));
    }

    private SimulatorResponse DeleteSingle(string objectType, string id)
    {
        var record = FindById(objectType, id);
        if (record is null)
        {
            return RestError(404, "ENTITY_IS_DELETED", "entity is deleted");
        }

        _records[objectType].Remove(record.Id);
        return SimulatorResponse.Empty(204);
    }

    private SimulatorResponse GetById(string version, string objectType, string id, string? fields)
    {
        if (objectType == "User")
        {
            var user = _options.Users.FirstOrDefault(u => SameId(u.Id, id));
            return user is null ? NotFound() : SimulatorResponse.Json(200, UserJson(version, user, null));
        }

        var record = FindById(objectType, id);
        if (record is null)
        {
            return NotFound();
        }

        List<string>? selected = null;
        if (!string.IsNullOrEmpty(fields))
        {
            selected = fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            var unknown = selected.FirstOrDefault(f => ResolveField(objectType, f) is null);
            if (unknown is not null)
            {
                return RestError(400, "INVALID_FIELD", $"No such column '{unknown}' on sobject of type {objectType}");
            }
        }

        return SimulatorResponse.Json(200, RecordJson(version, record, selected));
    }

    private SimulatorResponse GetByExternalId(string version, string objectType, string field, string value)
    {
        if (ExternalIdFieldError(objectType, field) is { } invalid)
        {
            return invalid;
        }

        var matches = FindByExternalId(objectType, field, value);
        return matches.Count switch
        {
            0 => NotFound(),
            1 => SimulatorResponse.Json(200, RecordJson(version, matches[0], null)),
            _ => SimulatorResponse.Json(300, new JsonArray(matches.Select(m => (JsonNode?)RecordUrl(version, m)).ToArray())),
        };
    }

    private SimulatorResponse UpsertSingle(string version, string objectType, string field, string value, SimulatorRequest request, bool allowDuplicates)
    {
        if (ExternalIdFieldError(objectType, field) is { } invalid)
        {
            return invalid;
        }

        if (request.JsonBody() is not { } body)
        {
            return MalformedJson();
        }

        if (body.ContainsKey("Id"))
        {
            return RestError(400, "INVALID_FIELD", "The Id field should not be specified in the sobject data.");
        }

        var matches = FindByExternalId(objectType, field, value);
        if (matches.Count > 1)
        {
            return SimulatorResponse.Json(300, new JsonArray(matches.Select(m => (JsonNode?)RecordUrl(version, m)).ToArray()));
        }

        if (matches.Count == 1)
        {
            var error = Update(matches[0], body, allowDuplicates);
            return error is null
                ? SimulatorResponse.Json(200, new JsonObject { ["id"] = matches[0].Id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = false })
                : SimulatorResponse.Json(400, new JsonArray(error.ToRestJson()));
        }

        if (string.Equals(request.Query["updateOnly"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return NotFound();
        }

        var createBody = body.DeepClone().AsObject();
        createBody[field] = value;
        var result = Create(version, objectType, createBody, allowDuplicates);
        return result.Error is { } createError
            ? SimulatorResponse.Json(400, new JsonArray(createError.ToRestJson()))
            : SimulatorResponse.Json(201, new JsonObject { ["id"] = result.Record!.Id, ["success"] = true, ["errors"] = new JsonArray(), ["created"] = true });
    }

    /// <summary>sObject collections: create (POST), update (PATCH) or upsert by external id (PATCH with type and field).</summary>
    private SimulatorResponse Collection(string version, string? upsertType, string? upsertField, SimulatorRequest request, bool allowDuplicates)
    {
        if (request.JsonBody() is not { } body || body["records"] is not JsonArray records || records.Any(r => r is not JsonObject))
        {
            return MalformedJson();
        }

        if (records.Count > MaxCollectionRecords)
        {
            return RestError(400, "EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxCollectionRecords} records into this call");
        }

        if (upsertType is not null && ExternalIdFieldError(upsertType, upsertField!) is { } invalid)
        {
            return invalid;
        }

        var allOrNone = body["allOrNone"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var snapshot = allOrNone ? SnapshotStore() : null;
        var results = new List<(JsonObject Result, bool Success)>();
        foreach (var record in records.Cast<JsonObject>())
        {
            results.Add(CollectionItem(version, upsertType, upsertField, request.Method, record.DeepClone().AsObject(), allowDuplicates));
        }

        if (allOrNone && results.Any(r => !r.Success))
        {
            RestoreStore(snapshot!);
            results = results.Select(r => r.Success
                ? (ItemFailure(new SaveError("ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were valid and the request was using AllOrNone header", [])), false)
                : r).ToList();
        }

        return SimulatorResponse.Json(200, new JsonArray(results.Select(r => (JsonNode?)r.Result).ToArray()));
    }

    private (JsonObject Result, bool Success) CollectionItem(string version, string? upsertType, string? upsertField, string method, JsonObject record, bool allowDuplicates)
    {
        var attributes = record["attributes"] as JsonObject;
        record.Remove("attributes");
        var type = upsertType ?? NormalizeObjectType(attributes?["type"]?.ToString() ?? string.Empty);
        if (type is null || IsSetupObject(type))
        {
            return (ItemFailure(new SaveError("INVALID_TYPE", "sObject type must be specified in attributes.type and be one of Lead, Contact, Task, Event", [])), false);
        }

        if (upsertField is not null)
        {
            var value = record[upsertField]?.ToString();
            if (string.IsNullOrEmpty(value))
            {
                return (ItemFailure(new SaveError("MISSING_ARGUMENT", $"{upsertField} not specified", [upsertField])), false);
            }

            if (record.ContainsKey("Id"))
            {
                return (ItemFailure(new SaveError("INVALID_FIELD", "The Id field should not be specified in the sobject data.", ["Id"])), false);
            }

            var matches = FindByExternalId(type, upsertField, value);
            if (matches.Count > 1)
            {
                return (ItemFailure(new SaveError("DUPLICATE_EXTERNAL_ID", $"{upsertField}: more than one record found for external id field: [{string.Join(", ", matches.Select(m => m.Id))}]", [upsertField])), false);
            }

            if (matches.Count == 1)
            {
                var updateError = Update(matches[0], record, allowDuplicates);
                return updateError is null ? (ItemSuccess(matches[0].Id, created: false), true) : (ItemFailure(updateError), false);
            }

            var upserted = Create(version, type, record, allowDuplicates);
            return upserted.Error is null ? (ItemSuccess(upserted.Record!.Id, created: true), true) : (ItemFailure(upserted.Error), false);
        }

        if (method == "PATCH")
        {
            var id = record["id"]?.ToString() ?? record["Id"]?.ToString();
            record.Remove("id");
            record.Remove("Id");
            var existing = id is null ? null : FindById(type, id);
            if (existing is null)
            {
                return (ItemFailure(new SaveError("MALFORMED_ID", $"Id in upsert/update is not valid or does not exist: {id}", ["Id"])), false);
            }

            var updateError = Update(existing, record, allowDuplicates);
            return updateError is null ? (ItemSuccess(existing.Id, created: null), true) : (ItemFailure(updateError), false);
        }

        var created = Create(version, type, record, allowDuplicates);
        return created.Error is null ? (ItemSuccess(created.Record!.Id, created: null), true) : (ItemFailure(created.Error), false);
    }

    private static JsonObject ItemSuccess(string id, bool? created)
    {
        var result = new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() };
        if (created is { } flag)
        {
            result["created"] = flag;
        }

        return result;
    }

    private static JsonObject ItemFailure(SaveError error) =>
        new() { ["success"] = false, ["errors"] = new JsonArray(error.ToItemJson()) };

    private SimulatorResponse? ExternalIdFieldError(string objectType, string field)
    {
        var isExternalId = VisibleCustomField(objectType, field) is { ExternalId: true };
        return isExternalId || string.Equals(field, "Id", StringComparison.Ordinal)
            ? null
            : RestError(404, "NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {field}");
    }

    private static SimulatorResponse MalformedJson() =>
        RestError(400, "JSON_PARSER_ERROR", "The request body is not valid JSON or is missing required elements.");

    [GeneratedRegex(@"^v\d{2,3}\.\d$")]
    private static partial Regex VersionPattern();

    private static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}
