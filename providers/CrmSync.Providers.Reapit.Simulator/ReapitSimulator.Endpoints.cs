using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Reapit.Simulator;

public sealed partial class ReapitSimulator
{
    private static readonly Dictionary<string, string> AddressFields = new() { ["type"] = "s", ["buildingName"] = "s", ["buildingNumber"] = "s", ["line1"] = "s", ["line2"] = "s", ["line3"] = "s", ["line4"] = "s", ["postcode"] = "s", ["countryId"] = "s" };
    private static readonly string[] Consents = ["grant", "deny", "notAsked"];
    private static readonly string[] PagingParameters = ["pageSize", "pageNumber", "sortBy"];

    // Field name → kind: s string, b boolean, d date, a string array, o object (any), addr address, src source; with max lengths.
    private static readonly Dictionary<string, (string Kind, int Max)> ContactFields = new()
    {
        ["title"] = ("s", 20), ["forename"] = ("s", 50), ["surname"] = ("s", 50), ["dateOfBirth"] = ("d", 0), ["active"] = ("b", 0),
        ["marketingConsent"] = ("consent", 0), ["source"] = ("src", 0), ["homePhone"] = ("s", 30), ["workPhone"] = ("s", 30),
        ["mobilePhone"] = ("s", 30), ["email"] = ("s", 100), ["officeIds"] = ("a", 0), ["negotiatorIds"] = ("a", 0),
        ["primaryAddress"] = ("addr", 0), ["metadata"] = ("o", 0),
    };

    private SimulatorResponse ListContacts(ApiCall call)
    {
        var q = call.Request.Query;
        if (CheckQuery(q, ["id", "email", "negotiatorId", "officeId", "name", "active", "createdFrom", "createdTo", "modifiedFrom", "modifiedTo", "metadata"]) is { } bad)
        {
            return bad;
        }

        var records = Table("contacts").Values.Where(r => r.Customer == call.Customer);
        if (q.GetValues("id") is { } ids)
        {
            records = records.Where(r => ids.Contains(r.Id, StringComparer.Ordinal));
        }

        if (q.GetValues("email") is { } emails)
        {
            records = records.Where(r => emails.Any(e => string.Equals(e, r.Data["email"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase)));
        }

        if (q.GetValues("negotiatorId") is { } negotiators)
        {
            records = records.Where(r => r.Data["negotiatorIds"] is JsonArray a && a.Any(n => negotiators.Contains(n?.GetValue<string>())));
        }

        if (q["name"] is { } name)
        {
            records = records.Where(r => ($"{r.Data["forename"]} {r.Data["surname"]}").Contains(name, StringComparison.OrdinalIgnoreCase));
        }

        if (q["active"] is { } active)
        {
            if (!bool.TryParse(active, out var flag))
            {
                return Error(400, $"The value '{active}' is not valid for active.");
            }

            records = records.Where(r => (r.Data["active"]?.GetValue<bool>() ?? true) == flag);
        }

        if (q.GetValues("metadata") is { } expressions)
        {
            foreach (var expression in expressions)
            {
                if (ParseMetadataFilter(expression) is not { } filter)
                {
                    return Error(400, $"The metadata filter '{expression}' is not valid. Use 'metadata.<field> <$eq|$ne|$in|$nin> <criteria>'.");
                }

                records = records.Where(filter).ToList();
            }
        }

        return Page(call, "contacts", records);
    }

    private SimulatorResponse CreateContact(ApiCall call)
    {
        if (ParseBody(call, out var body) is { } bad)
        {
            return bad;
        }

        if (Validate(body!, ContactFields, ["surname", "marketingConsent"]) is { } invalid)
        {
            return invalid;
        }

        var id = NextId(call.Customer.Length >= 3 ? call.Customer[..3].ToUpperInvariant() : "RPT", 8);
        var data = new JsonObject { ["active"] = true };
        foreach (var (key, value) in body!)
        {
            data[key] = value?.DeepClone();
        }

        Insert("contacts", call.Customer, id, data);
        return SimulatorResponse.Empty(201).WithHeader("Location", new Uri(BaseUrl, "contacts/" + Uri.EscapeDataString(id)).ToString());
    }

    private SimulatorResponse GetContact(ApiCall call)
    {
        if (CheckQuery(call.Request.Query, ["embed"], paging: false) is { } bad)
        {
            return bad;
        }

        var record = Table("contacts").GetValueOrDefault(call.Id);
        if (record is null || record.Customer != call.Customer)
        {
            return Error(404, $"Contact '{call.Id}' was not found.");
        }

        return SimulatorResponse.Json(200, WithLinks(Render(record), "contacts")).WithHeader("ETag", record.ETag);
    }

    private SimulatorResponse PatchContact(ApiCall call)
    {
        var record = Table("contacts").GetValueOrDefault(call.Id);
        if (record is null || record.Customer != call.Customer)
        {
            return Error(404, $"Contact '{call.Id}' was not found.");
        }

        var ifMatch = call.Request.Header("If-Match");
        if (ifMatch is null)
        {
            return Error(400, "The If-Match header is required to update a contact.");
        }

        if (!string.Equals(ifMatch, record.ETag, StringComparison.Ordinal))
        {
            return Error(412, "The provided If-Match header does not match the current version of the contact.");
        }

        if (ParseBody(call, out var body) is { } bad)
        {
            return bad;
        }

        if (Validate(body!, ContactFields, []) is { } invalid)
        {
            return invalid;
        }

        foreach (var (key, value) in body!)
        {
            if (key == "metadata" && value is JsonObject metadata && record.Data["metadata"] is JsonObject existing)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    existing[metaKey] = metaValue?.DeepClone();
                }
            }
            else
            {
                record.Data[key] = value?.DeepClone();
            }
        }

        Touch(record);
        return SimulatorResponse.Empty(204);
    }

    private SimulatorResponse ListApplicants(ApiCall call)
    {
        var q = call.Request.Query;
        if (CheckQuery(q, ["negotiatorId", "active", "createdFrom", "createdTo", "modifiedFrom", "modifiedTo"]) is { } bad)
        {
            return bad;
        }

        return Page(call, "applicants", Table("applicants").Values.Where(r => r.Customer == call.Customer));
    }

    private SimulatorResponse ListNegotiators(ApiCall call)
    {
        var q = call.Request.Query;
        if (CheckQuery(q, ["email", "active"]) is { } bad)
        {
            return bad;
        }

        var records = Table("negotiators").Values.Where(r => r.Customer == call.Customer);
        if (q["active"] is { } active)
        {
            if (!bool.TryParse(active, out var flag))
            {
                return Error(400, $"The value '{active}' is not valid for active.");
            }

            records = records.Where(r => r.Data["active"]!.GetValue<bool>() == flag);
        }

        if (q["email"] is { } email)
        {
            records = records.Where(r => string.Equals(r.Data["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase));
        }

        return Page(call, "negotiators", records);
    }

    private SimulatorResponse ListJournalEntries(ApiCall call)
    {
        var q = call.Request.Query;
        if (CheckQuery(q, ["associatedType", "associatedId", "typeId", "createdFrom", "createdTo"]) is { } bad)
        {
            return bad;
        }

        var records = Table("journalEntries").Values.Where(r => r.Customer == call.Customer);
        if (q["associatedType"] is { } type)
        {
            records = records.Where(r => r.Data["associatedType"]?.GetValue<string>() == type);
        }

        if (q.GetValues("associatedId") is { } ids)
        {
            records = records.Where(r => ids.Contains(r.Data["associatedId"]?.GetValue<string>()));
        }

        if (q["typeId"] is { } typeId)
        {
            records = records.Where(r => r.Data["typeId"]?.GetValue<string>() == typeId);
        }

        return Page(call, "journalEntries", records);
    }

    private SimulatorResponse CreateJournalEntry(ApiCall call)
    {
        if (ParseBody(call, out var body) is { } bad)
        {
            return bad;
        }

        var fields = new Dictionary<string, (string, int)>
        {
            ["propertyId"] = ("s", 0), ["associatedType"] = ("assoc", 0), ["associatedId"] = ("s", 0), ["negotiatorId"] = ("s", 0), ["typeId"] = ("s", 6), ["description"] = ("s", 2000),
        };
        if (Validate(body!, fields, ["associatedType", "associatedId", "typeId", "description"]) is { } invalid)
        {
            return invalid;
        }

        var associatedType = body!["associatedType"]!.GetValue<string>();
        var associatedId = body["associatedId"]!.GetValue<string>();
        if (associatedType == "contact" && Table("contacts").GetValueOrDefault(associatedId) is not { } contact || (associatedType == "contact" && Table("contacts")[associatedId].Customer != call.Customer))
        {
            return Error(422, "One or more validation failures have occurred. Please refer to Errors list for details", new JsonArray(new JsonObject { ["field"] = "associatedId", ["message"] = $"The contact '{associatedId}' does not exist." }));
        }

        var id = NextId("JRN", 8);
        var data = new JsonObject();
        foreach (var (key, value) in body)
        {
            data[key] = value?.DeepClone();
        }

        Insert("journalEntries", call.Customer, id, data);
        return SimulatorResponse.Empty(201).WithHeader("Location", new Uri(BaseUrl, "journalEntries/" + Uri.EscapeDataString(id)).ToString());
    }

    /// <summary>Filters by the created/modified ranges, then serves one HAL page (<c>_embedded</c>, <c>pageNumber</c>, <c>pageSize</c>, <c>pageCount</c>, <c>totalPageCount</c>, <c>totalCount</c>, <c>_links</c>).</summary>
    private SimulatorResponse Page(ApiCall call, string kind, IEnumerable<SimRecord> records)
    {
        var q = call.Request.Query;
        foreach (var (name, created, from) in new[] { ("createdFrom", true, true), ("createdTo", true, false), ("modifiedFrom", false, true), ("modifiedTo", false, false) })
        {
            if (q[name] is not { } text)
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var bound) || !HasZone(text))
            {
                return Error(400, $"The value '{text}' is not valid for {name}: use an ISO 8601 date-time with a time-zone designator.");
            }

            records = records.Where(r => (created ? r.Created : r.Modified) is var t && (from ? t >= bound : t < bound)).ToList();
        }

        var size = 25;
        if (q["pageSize"] is { } sizeText && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100))
        {
            return Error(400, $"The value '{sizeText}' is not valid for pageSize: use 1 to 100.");
        }

        var number = 1;
        if (q["pageNumber"] is { } numberText && (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return Error(400, $"The value '{numberText}' is not valid for pageNumber.");
        }

        var ordered = (q["sortBy"] switch
        {
            null or "created" => records.OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal),
            "-created" => records.OrderByDescending(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal),
            "modified" => records.OrderBy(r => r.Modified).ThenBy(r => r.Id, StringComparer.Ordinal),
            "-modified" => records.OrderByDescending(r => r.Modified).ThenBy(r => r.Id, StringComparer.Ordinal),
            _ => null,
        })?.ToList();
        if (ordered is null)
        {
            return Error(400, $"The value '{q["sortBy"]}' is not valid for sortBy.");
        }

        var items = ordered.Skip((number - 1) * size).Take(size).Select(r => (JsonNode)WithLinks(Render(r), kind)).ToArray();
        var totalPages = (int)Math.Ceiling(ordered.Count / (double)size);
        return SimulatorResponse.Json(200, new JsonObject
        {
            ["_embedded"] = new JsonArray(items),
            ["pageNumber"] = number,
            ["pageSize"] = size,
            ["pageCount"] = items.Length,
            ["totalPageCount"] = totalPages,
            ["totalCount"] = ordered.Count,
            ["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"/{kind}/?pageNumber={number}&pageSize={size}" } },
        });
    }

    private static bool HasZone(string text) => text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    private static JsonObject WithLinks(JsonObject record, string kind)
    {
        record["_links"] = new JsonObject { ["self"] = new JsonObject { ["href"] = $"/{kind}/{record["id"]}" } };
        return record;
    }

    private SimulatorResponse? CheckQuery(System.Collections.Specialized.NameValueCollection query, string[] allowed, bool paging = true)
    {
        foreach (var key in query.AllKeys)
        {
            if (key is null || (!allowed.Contains(key, StringComparer.Ordinal) && !(paging && PagingParameters.Contains(key, StringComparer.Ordinal))))
            {
                return Error(400, $"The query parameter '{key}' is not supported.");
            }
        }

        return null;
    }

    private static Func<SimRecord, bool>? ParseMetadataFilter(string expression)
    {
        var parts = expression.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !parts[0].StartsWith("metadata.", StringComparison.Ordinal) || parts[0].Length <= "metadata.".Length)
        {
            return null;
        }

        var path = parts[0]["metadata.".Length..].Split('.');
        var criteria = parts[2];
        string? Read(SimRecord r)
        {
            JsonNode? node = r.Data["metadata"];
            foreach (var segment in path)
            {
                node = node is JsonObject o ? o.FirstOrDefault(p => string.Equals(p.Key, segment, StringComparison.OrdinalIgnoreCase)).Value : null;
            }

            return node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString();
        }

        return parts[1] switch
        {
            "$eq" => r => string.Equals(Read(r), criteria, StringComparison.OrdinalIgnoreCase),
            "$ne" => r => !string.Equals(Read(r), criteria, StringComparison.OrdinalIgnoreCase),
            "$in" => r => criteria.Split(',').Contains(Read(r), StringComparer.OrdinalIgnoreCase),
            "$nin" => r => !criteria.Split(',').Contains(Read(r), StringComparer.OrdinalIgnoreCase),
            _ => null,
        };
    }

    private SimulatorResponse? ParseBody(ApiCall call, out JsonObject? body)
    {
        body = null;
        var contentType = call.Request.Header("Content-Type");
        if (contentType is null || !contentType.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(415, "The request body must be application/json.");
        }

        body = call.Request.JsonBody();
        return body is null ? Error(400, "The request body is not a JSON object.") : null;
    }

    /// <summary>Validates a body field by field; unknown fields, wrong types, bad enums and over-long values give 422 with <c>errors[]</c>.</summary>
    private SimulatorResponse? Validate(JsonObject body, Dictionary<string, (string Kind, int Max)> fields, string[] required)
    {
        var errors = new JsonArray();
        void Add(string field, string message) => errors.Add(new JsonObject { ["field"] = field, ["message"] = message });
        foreach (var (key, value) in body)
        {
            if (!fields.TryGetValue(key, out var spec))
            {
                Add(key, $"'{key}' is not a recognised field.");
                continue;
            }

            if (value is null)
            {
                continue;
            }

            switch (spec.Kind)
            {
                case "s" or "consent" or "assoc" or "d":
                    if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                    {
                        Add(key, $"'{key}' must be a string.");
                    }
                    else if (spec.Max > 0 && v.GetValue<string>().Length > spec.Max)
                    {
                        Add(key, $"'{key}' must be {spec.Max} characters or fewer.");
                    }
                    else if (spec.Kind == "consent" && !Consents.Contains(v.GetValue<string>(), StringComparer.Ordinal))
                    {
                        Add(key, "The enum value provided for MarketingConsent is incorrect");
                    }
                    else if (spec.Kind == "assoc" && v.GetValue<string>() is not ("applicant" or "contact" or "landlord" or "tenancy"))
                    {
                        Add(key, "The enum value provided for AssociatedType is incorrect");
                    }
                    else if (spec.Kind == "d" && !DateOnly.TryParseExact(v.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                    {
                        Add(key, $"'{key}' must be a date (yyyy-MM-dd) without a time component.");
                    }

                    break;
                case "b":
                    if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        Add(key, $"'{key}' must be a boolean.");
                    }

                    break;
                case "a":
                    if (value is not JsonArray array || array.Any(i => i is not JsonValue iv || iv.GetValueKind() != JsonValueKind.String))
                    {
                        Add(key, $"'{key}' must be a list of strings.");
                    }

                    break;
                case "o":
                    if (value is not JsonObject)
                    {
                        Add(key, $"'{key}' must be a JSON object.");
                    }

                    break;
                case "addr" or "src":
                    var allowed = spec.Kind == "addr" ? AddressFields.Keys.ToArray() : ["id", "type"];
                    if (value is not JsonObject nested || nested.Any(p => !allowed.Contains(p.Key) || p.Value is not JsonValue pv || pv.GetValueKind() != JsonValueKind.String))
                    {
                        Add(key, $"'{key}' must be an object with string fields {string.Join(", ", allowed)}.");
                    }

                    break;
            }
        }

        foreach (var name in required)
        {
            if (body[name] is null || (body[name] is JsonValue rv && rv.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(rv.GetValue<string>())))
            {
                Add(name, $"'{name}' is required.");
            }
        }

        return errors.Count == 0 ? null : Error(422, "One or more validation failures have occurred. Please refer to Errors list for details", errors);
    }
}
