using System.Globalization;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    private const int MaxFilterGroups = 5;
    private const int MaxFiltersPerGroup = 10;
    private const int MaxFiltersTotal = 25;
    private const int MaxSearchLimit = 200;
    private const int MaxSearchResults = 10_000;

    private static readonly string[] SearchOperators =
        ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"];

    private SimulatorResponse Search(string type, SimulatorRequest request)
    {
        var objectType = NormalizeObjectType(type);
        if (objectType is null)
        {
            return Error(400, $"Unable to infer object type from: {type}", "VALIDATION_ERROR");
        }

        var body = request.JsonBody() ?? [];
        var groups = (body["filterGroups"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (groups.Count > MaxFilterGroups)
        {
            return Error(400, $"There can be at most {MaxFilterGroups} filterGroups, but {groups.Count} were provided.", "VALIDATION_ERROR");
        }

        var filterGroups = new List<List<JsonObject>>();
        foreach (var group in groups)
        {
            var filters = (group["filters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (filters.Count > MaxFiltersPerGroup)
            {
                return Error(400, $"There can be at most {MaxFiltersPerGroup} filters in a filterGroup, but {filters.Count} were provided.", "VALIDATION_ERROR");
            }

            foreach (var filter in filters)
            {
                if (ValidateFilter(objectType, filter) is { } invalid)
                {
                    return invalid;
                }
            }

            filterGroups.Add(filters);
        }

        if (filterGroups.Sum(g => g.Count) > MaxFiltersTotal)
        {
            return Error(400, $"There can be at most {MaxFiltersTotal} filters in total.", "VALIDATION_ERROR");
        }

        var limit = body["limit"] is { } limitNode ? ParseInt(limitNode.ToString(), 10) : 10;
        if (limit is < 0 or > MaxSearchLimit)
        {
            return Error(400, $"limit must be between 0 and {MaxSearchLimit}", "VALIDATION_ERROR");
        }

        var offset = ParseInt(body["after"]?.ToString(), 0);
        if (offset < 0 || offset + limit > MaxSearchResults)
        {
            // Search pages by offset and stops at 10,000 results; clients narrow the filter (for example by a date) to read more.
            return Error(400, $"Search can page through at most {MaxSearchResults} results (after {offset} + limit {limit}). Narrow the filter to read further.", "VALIDATION_ERROR");
        }

        var query = body["query"]?.ToString();
        var requested = (body["properties"] as JsonArray)?.Select(p => p?.ToString() ?? string.Empty).Where(p => p.Length > 0).ToList();
        var indexedBefore = _time.GetUtcNow() - _options.SearchIndexingLag;

        IEnumerable<StoredRecord> matches = _records[objectType].Values
            .Where(r => !r.Archived && r.CreatedAt <= indexedBefore)
            .Where(r => filterGroups.Count == 0 || filterGroups.Any(g => g.All(f => Matches(r, f))))
            .Where(r => string.IsNullOrWhiteSpace(query) || MatchesQuery(r, query));

        matches = ApplySorts(matches, body["sorts"] as JsonArray);
        var all = matches.ToList();
        var page = all.Skip(offset).Take(limit).ToList();
        var response = new JsonObject
        {
            ["total"] = all.Count,
            ["results"] = new JsonArray(page.Select(r => (JsonNode?)ToJson(r, requested)).ToArray()),
        };
        if (offset + limit < all.Count)
        {
            response["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (offset + limit).ToString(CultureInfo.InvariantCulture) } };
        }

        return SimulatorResponse.Json(200, response);
    }

    private SimulatorResponse? ValidateFilter(string objectType, JsonObject filter)
    {
        var property = filter["propertyName"]?.ToString();
        var op = filter["operator"]?.ToString() ?? "EQ";
        if (string.IsNullOrEmpty(property) || !_properties[objectType].ContainsKey(property))
        {
            return Error(400, $"There was a problem with the request. Property {property} does not exist on {objectType}.", "VALIDATION_ERROR");
        }

        if (!SearchOperators.Contains(op))
        {
            return Error(400, $"Unknown operator {op}. Use one of [{string.Join(", ", SearchOperators)}].", "VALIDATION_ERROR");
        }

        if (op is "HAS_PROPERTY" or "NOT_HAS_PROPERTY" && (filter["value"] is not null || filter["values"] is not null))
        {
            return Error(400, $"Operator {op} does not take a value.", "VALIDATION_ERROR");
        }

        if (op is "IN" or "NOT_IN" && filter["values"] is not JsonArray)
        {
            return Error(400, $"Operator {op} requires values.", "VALIDATION_ERROR");
        }

        if (op is "BETWEEN" && (filter["value"] is null || filter["highValue"] is null))
        {
            return Error(400, "Operator BETWEEN requires value and highValue.", "VALIDATION_ERROR");
        }

        if (op is not ("HAS_PROPERTY" or "NOT_HAS_PROPERTY" or "IN" or "NOT_IN") && filter["value"] is null)
        {
            return Error(400, $"Operator {op} requires a value.", "VALIDATION_ERROR");
        }

        return null;
    }

    private static bool Matches(StoredRecord record, JsonObject filter)
    {
        var property = filter["propertyName"]!.ToString();
        var op = filter["operator"]?.ToString() ?? "EQ";
        var actual = record.Properties.GetValueOrDefault(property);
        var value = filter["value"]?.ToString();
        return op switch
        {
            "HAS_PROPERTY" => !string.IsNullOrEmpty(actual),
            "NOT_HAS_PROPERTY" => string.IsNullOrEmpty(actual),
            "EQ" => actual is not null && SameValue(actual, value),
            "NEQ" => actual is null || !SameValue(actual, value),
            "IN" => actual is not null && (filter["values"] as JsonArray)!.Any(v => string.Equals(v?.ToString(), actual, StringComparison.OrdinalIgnoreCase)),
            "NOT_IN" => actual is null || !(filter["values"] as JsonArray)!.Any(v => string.Equals(v?.ToString(), actual, StringComparison.OrdinalIgnoreCase)),
            "LT" => actual is not null && Compare(actual, value!) < 0,
            "LTE" => actual is not null && Compare(actual, value!) <= 0,
            "GT" => actual is not null && Compare(actual, value!) > 0,
            "GTE" => actual is not null && Compare(actual, value!) >= 0,
            "BETWEEN" => actual is not null && Compare(actual, value!) >= 0 && Compare(actual, filter["highValue"]!.ToString()) <= 0,
            "CONTAINS_TOKEN" => actual is not null && ContainsToken(actual, value!),
            "NOT_CONTAINS_TOKEN" => actual is null || !ContainsToken(actual, value!),
            _ => false,
        };
    }

    /// <summary>Equality as HubSpot applies it: datetimes by instant (ISO or epoch milliseconds), everything else case-insensitively.</summary>
    private static bool SameValue(string actual, string? value)
    {
        if (value is null)
        {
            return false;
        }

        // Stored datetimes are ISO strings; filters may give them as ISO or epoch milliseconds.
        var left = default(DateTimeOffset);
        var isDate = actual.Length >= 10 && actual[4] == '-' && TryParseHubSpotDate(actual, out left);
        return isDate && TryParseHubSpotDate(value, out var right)
            ? left == right
            : string.Equals(actual, value, StringComparison.OrdinalIgnoreCase);
    }

    private static int Compare(string left, string right)
    {
        if (decimal.TryParse(left, NumberStyles.Number, CultureInfo.InvariantCulture, out var l) && decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var r))
        {
            return l.CompareTo(r);
        }

        if (TryParseHubSpotDate(left, out var ld) && TryParseHubSpotDate(right, out var rd))
        {
            return ld.CompareTo(rd);
        }

        return string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private static bool ContainsToken(string actual, string token)
    {
        if (token.Contains('*', StringComparison.Ordinal))
        {
            return actual.Contains(token.Replace("*", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        return actual.Split([' ', '@', '.', ',', '-', '_'], StringSplitOptions.RemoveEmptyEntries).Any(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase))
            || string.Equals(actual, token, StringComparison.OrdinalIgnoreCase);
    }

    private static bool MatchesQuery(StoredRecord record, string query)
    {
        string[] fields = record.ObjectType switch
        {
            "contacts" => ["email", "firstname", "lastname", "phone", "mobilephone", "company"],
            "companies" => ["name", "domain", "website", "phone"],
            "deals" => ["dealname"],
            _ => ["hs_note_body", "hs_email_subject", "hs_call_title", "hs_meeting_title", "hs_task_subject"],
        };
        var digits = new string(query.Where(char.IsAsciiDigit).ToArray());
        return fields.Any(f =>
        {
            var value = record.Properties.GetValueOrDefault(f);
            if (string.IsNullOrEmpty(value))
            {
                return false;
            }

            if (value.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return f.Contains("phone", StringComparison.Ordinal) && digits.Length >= 4 && new string(value.Where(char.IsAsciiDigit).ToArray()).Contains(digits, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<StoredRecord> ApplySorts(IEnumerable<StoredRecord> records, JsonArray? sorts)
    {
        var sort = sorts?.FirstOrDefault();
        if (sort is null)
        {
            return records.OrderBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
        }

        string property;
        bool descending;
        if (sort is JsonObject sortObject)
        {
            property = sortObject["propertyName"]?.ToString() ?? "hs_object_id";
            descending = string.Equals(sortObject["direction"]?.ToString(), "DESCENDING", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            var text = sort.ToString();
            descending = text.StartsWith('-');
            property = text.TrimStart('-');
        }

        var comparer = Comparer<string?>.Create((a, b) => (a, b) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => Compare(a, b),
        });
        // Ties keep ascending record id order, so paging a sorted search is deterministic.
        return (descending
            ? records.OrderByDescending(r => r.Properties.GetValueOrDefault(property), comparer)
            : records.OrderBy(r => r.Properties.GetValueOrDefault(property), comparer))
            .ThenBy(r => long.Parse(r.Id, CultureInfo.InvariantCulture));
    }
}
