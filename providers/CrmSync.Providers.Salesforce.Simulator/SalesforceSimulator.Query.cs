using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Salesforce.Simulator;

public sealed partial class SalesforceSimulator
{
    private readonly Dictionary<string, List<JsonObject>> _queryCursors = new(StringComparer.Ordinal);
    private long _cursorSequence;

    /// <summary>Runs the SOQL subset clients need for lookups: <c>SELECT f1, f2 | COUNT() FROM Obj [WHERE a = 'x' AND|OR b IN ('y') …] [ORDER BY f [ASC|DESC]] [LIMIT n]</c>.</summary>
    private SimulatorResponse Query(string version, string? soql)
    {
        if (string.IsNullOrWhiteSpace(soql))
        {
            return RestError(400, "MALFORMED_QUERY", "A query string has to be specified");
        }

        var match = SelectPattern().Match(soql.Trim());
        if (!match.Success)
        {
            return RestError(400, "MALFORMED_QUERY", $"unexpected token in query: {soql}");
        }

        var objectType = NormalizeObjectType(match.Groups["object"].Value);
        if (objectType is null)
        {
            return RestError(400, "INVALID_TYPE", $"sObject type '{match.Groups["object"].Value}' is not supported.");
        }

        var selectText = match.Groups["fields"].Value.Trim();
        var isCount = string.Equals(selectText.Replace(" ", string.Empty, StringComparison.Ordinal), "COUNT()", StringComparison.OrdinalIgnoreCase);
        var selected = new List<string>();
        if (!isCount)
        {
            foreach (var raw in selectText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var field = ResolveField(objectType, raw);
                if (field is null)
                {
                    return UnknownColumn(raw, objectType);
                }

                selected.Add(field);
            }
        }

        List<List<Condition>> groups = [];
        if (match.Groups["where"].Success && ParseWhere(objectType, match.Groups["where"].Value, out groups) is { } whereError)
        {
            return whereError;
        }

        var rows = objectType == "User"
            ? _options.Users.Select(u => (Values: UserValues(u), Json: (Func<JsonObject>)(() => UserJson(version, u, selected)))).ToList()
            : _records[objectType].Values.OrderBy(r => r.Sequence)
                .Select(r => (Values: RecordValues(r), Json: (Func<JsonObject>)(() => RecordJson(version, r, selected)))).ToList();

        var filtered = rows.Where(r => groups.Count == 0 || groups.Any(g => g.All(c => c.Matches(r.Values.GetValueOrDefault(c.Field))))).ToList();

        if (match.Groups["order"].Success)
        {
            var orderField = ResolveField(objectType, match.Groups["order"].Value);
            if (orderField is null)
            {
                return UnknownColumn(match.Groups["order"].Value, objectType);
            }

            var descending = string.Equals(match.Groups["direction"].Value, "DESC", StringComparison.OrdinalIgnoreCase);
            filtered = descending
                ? filtered.OrderByDescending(r => r.Values.GetValueOrDefault(orderField), StringComparer.OrdinalIgnoreCase).ToList()
                : filtered.OrderBy(r => r.Values.GetValueOrDefault(orderField), StringComparer.OrdinalIgnoreCase).ToList();
        }

        if (match.Groups["limit"].Success)
        {
            filtered = filtered.Take(int.Parse(match.Groups["limit"].Value, CultureInfo.InvariantCulture)).ToList();
        }

        if (isCount)
        {
            return SimulatorResponse.Json(200, new JsonObject { ["totalSize"] = filtered.Count, ["done"] = true, ["records"] = new JsonArray() });
        }

        var records = filtered.Select(r => r.Json()).ToList();
        return QueryPage(version, records, records.Count);
    }

    private SimulatorResponse QueryMore(string cursor)
    {
        return _queryCursors.Remove(cursor, out var remaining)
            ? QueryPage(_apiVersion, remaining, remaining.Count)
            : RestError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    private SimulatorResponse QueryPage(string version, List<JsonObject> records, int totalSize)
    {
        var batch = Math.Max(1, _options.QueryBatchSize);
        var page = records.Take(batch).ToList();
        var body = new JsonObject { ["totalSize"] = totalSize, ["done"] = records.Count <= batch };
        if (records.Count > batch)
        {
            var cursor = $"01gSIM{++_cursorSequence:D9}-{batch}";
            _queryCursors[cursor] = records.Skip(batch).ToList();
            body["nextRecordsUrl"] = $"/services/data/v{version}/query/{cursor}";
        }

        body["records"] = new JsonArray(page.Select(r => (JsonNode?)r).ToArray());
        return SimulatorResponse.Json(200, body);
    }

    private SimulatorResponse? ParseWhere(string objectType, string where, out List<List<Condition>> groups)
    {
        groups = [[]];
        var position = 0;
        while (position < where.Length)
        {
            var match = ConditionPattern().Match(where, position);
            if (!match.Success || match.Index != position)
            {
                return RestError(400, "MALFORMED_QUERY", $"unexpected token: '{where[position..].Trim()}'");
            }

            var field = ResolveField(objectType, match.Groups["field"].Value);
            if (field is null)
            {
                return UnknownColumn(match.Groups["field"].Value, objectType);
            }

            groups[^1].Add(new Condition(field, Regex.Replace(match.Groups["op"].Value.ToUpperInvariant(), @"\s+", " "), ParseValues(match.Groups["value"].Value)));
            position = match.Index + match.Length;
            var connector = match.Groups["connector"].Value.ToUpperInvariant();
            if (connector == "OR")
            {
                groups.Add([]);
            }
            else if (connector.Length == 0 && position < where.Length)
            {
                return RestError(400, "MALFORMED_QUERY", $"unexpected token: '{where[position..].Trim()}'");
            }
        }

        return null;
    }

    private static List<string?> ParseValues(string raw)
    {
        raw = raw.Trim();
        if (raw.StartsWith('('))
        {
            return raw.Trim('(', ')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseScalar).ToList();
        }

        return [ParseScalar(raw)];
    }

    private static string? ParseScalar(string raw) =>
        raw.StartsWith('\'') ? raw[1..^1].Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
        : string.Equals(raw, "null", StringComparison.OrdinalIgnoreCase) ? null
        : raw.ToLowerInvariant() is "true" or "false" ? raw.ToLowerInvariant()
        : raw;

    private Dictionary<string, string?> RecordValues(StoredRecord record)
    {
        var fields = SystemFields.Concat(WritableFields[record.ObjectType]).Concat(ComputedFields[record.ObjectType]).Concat(CustomFieldsOf(record.ObjectType));
        return fields.Distinct(StringComparer.Ordinal).ToDictionary(f => f, f => Text(FieldValue(record, f)), StringComparer.Ordinal);
    }

    private static Dictionary<string, string?> UserValues(SalesforceSimulatorUser user) =>
        new(StringComparer.Ordinal)
        {
            ["Id"] = user.Id,
            ["Name"] = $"{user.FirstName} {user.LastName}",
            ["FirstName"] = user.FirstName,
            ["LastName"] = user.LastName,
            ["Email"] = user.Email,
            ["Username"] = user.Email,
            ["IsActive"] = user.IsActive ? "true" : "false",
        };

    private static SimulatorResponse UnknownColumn(string field, string objectType) =>
        RestError(400, "INVALID_FIELD", $"No such column '{field}' on entity '{objectType}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    [GeneratedRegex(@"^SELECT\s+(?<fields>.+?)\s+FROM\s+(?<object>\w+)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ORDER\s+BY\s+(?<order>\w+)(?:\s+(?<direction>ASC|DESC))?)?(?:\s+LIMIT\s+(?<limit>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SelectPattern();

    [GeneratedRegex(@"\s*(?<field>[A-Za-z_][A-Za-z0-9_]*)\s*(?<op>!=|<>|<=|>=|=|<|>|NOT\s+IN\b|IN\b|LIKE\b)\s*(?<value>'(?:[^'\\]|\\.)*'|\([^)]*\)|[^\s()]+)\s*(?:(?<connector>AND|OR)\b\s*)?", RegexOptions.IgnoreCase)]
    private static partial Regex ConditionPattern();

    private sealed record Condition(string Field, string Operator, List<string?> Values)
    {
        public bool Matches(string? actual)
        {
            var value = Values.FirstOrDefault();
            return Operator switch
            {
                "=" => value is null ? actual is null : string.Equals(actual, value, StringComparison.OrdinalIgnoreCase),
                "!=" or "<>" => value is null ? actual is not null : !string.Equals(actual, value, StringComparison.OrdinalIgnoreCase),
                "IN" => Values.Any(v => string.Equals(actual, v, StringComparison.OrdinalIgnoreCase)),
                "NOT IN" => !Values.Any(v => string.Equals(actual, v, StringComparison.OrdinalIgnoreCase)),
                "LIKE" => actual is not null && value is not null && Regex.IsMatch(actual, "^" + Regex.Escape(value).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase),
                "<" => actual is not null && Compare(actual, value) < 0,
                "<=" => actual is not null && Compare(actual, value) <= 0,
                ">" => actual is not null && Compare(actual, value) > 0,
                ">=" => actual is not null && Compare(actual, value) >= 0,
                _ => false,
            };
        }

        private static int Compare(string actual, string? value) =>
            decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
                ? a.CompareTo(b)
                : string.Compare(actual, value, StringComparison.OrdinalIgnoreCase);
    }
}
