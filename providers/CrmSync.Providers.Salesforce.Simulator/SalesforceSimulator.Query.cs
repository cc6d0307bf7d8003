using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Salesforce.Simulator;

public sealed partial class SalesforceSimulator
{
    private static readonly string[] DateTimeFields = ["CreatedDate", "LastModifiedDate", "SystemModstamp", "StartDateTime", "EndDateTime", "ActivityDateTime", "ReminderDateTime"];
    private static readonly string[] DateFields = ["CloseDate", "ActivityDate"];

    private readonly Dictionary<string, List<JsonObject>> _queryCursors = new(StringComparer.Ordinal);
    private long _cursorSequence;

    /// <summary>
    /// Runs the SOQL subset clients need: <c>SELECT f1, Account.Name | COUNT() FROM Obj [WHERE …] [ORDER BY f1 [ASC|DESC], f2 …] [LIMIT n]</c>.
    /// WHERE takes <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses over <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;= IN NOT IN LIKE</c>; date-time
    /// fields take unquoted literals (<c>2026-11-23T09:00:00Z</c>) and refuse quoted ones, as Salesforce does.
    /// </summary>
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
        var related = new List<string>();
        if (!isCount)
        {
            foreach (var raw in selectText.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (raw.Split('.') is [var relationship, var relatedField])
                {
                    if (!string.Equals(relationship, "Account", StringComparison.OrdinalIgnoreCase) || objectType is not ("Contact" or "Opportunity"))
                    {
                        return RestError(400, "INVALID_FIELD", $"Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.");
                    }

                    var accountField = ResolveField("Account", relatedField);
                    if (accountField is null)
                    {
                        return UnknownColumn(relatedField, "Account");
                    }

                    related.Add(accountField);
                    continue;
                }

                var field = ResolveField(objectType, raw);
                if (field is null)
                {
                    return UnknownColumn(raw, objectType);
                }

                selected.Add(field);
            }
        }

        Func<Dictionary<string, string?>, bool> where = _ => true;
        if (match.Groups["where"].Success)
        {
            var parsed = new WhereParser(this, objectType, match.Groups["where"].Value).Parse(out var whereError);
            if (whereError is not null)
            {
                return whereError;
            }

            where = parsed!;
        }

        var rows = objectType == "User"
            ? _options.Users.Select(u => (Values: UserValues(u), Json: (Func<JsonObject>)(() => UserJson(version, u, selected)))).ToList()
            : objectType == "PermissionSet"
            ? ProfilePermissionSets().Select(p => (Values: PermissionSetValues(p), Json: (Func<JsonObject>)(() => PermissionSetJson(version, p, selected)))).ToList()
            : _records[objectType].Values.OrderBy(r => r.Sequence)
                .Select(r => (Values: RecordValues(r), Json: (Func<JsonObject>)(() => QueryRecordJson(version, r, selected, related)))).ToList();

        var filtered = rows.Where(r => where(r.Values)).ToList();

        if (match.Groups["order"].Success)
        {
            var keys = new List<(string Field, bool Descending)>();
            foreach (var part in match.Groups["order"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var orderField = ResolveField(objectType, words[0]);
                if (orderField is null)
                {
                    return UnknownColumn(words[0], objectType);
                }

                if (words.Length > 1 && !(words[1].ToUpperInvariant() is "ASC" or "DESC" or "NULLS"))
                {
                    return RestError(400, "MALFORMED_QUERY", $"unexpected token: '{words[1]}'");
                }

                keys.Add((orderField, words.Length > 1 && string.Equals(words[1], "DESC", StringComparison.OrdinalIgnoreCase)));
            }

            filtered.Sort((a, b) =>
            {
                foreach (var (field, descending) in keys)
                {
                    var c = CompareValues(field, a.Values.GetValueOrDefault(field), b.Values.GetValueOrDefault(field));
                    if (c != 0)
                    {
                        return descending ? -c : c;
                    }
                }

                return 0;
            });
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

    private JsonObject QueryRecordJson(string version, StoredRecord record, List<string> selected, List<string> accountFields)
    {
        var json = RecordJson(version, record, selected);
        if (accountFields.Count > 0)
        {
            var accountId = Text(record.Fields.GetValueOrDefault("AccountId"));
            var account = accountId is null ? null : FindById("Account", accountId);
            json["Account"] = account is null ? null : RecordJson(version, account, accountFields);
        }

        return json;
    }

    private Dictionary<string, string?> RecordValues(StoredRecord record)
    {
        var fields = SystemFields.Concat(WritableFieldsOf(record.ObjectType)).Concat(ComputedFields[record.ObjectType]).Concat(CustomFieldsOf(record.ObjectType));
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
            ["ProfileId"] = user.ProfileId,
        };

    /// <summary>Compares two stored values of a field: date-times as instants, dates and numbers by value, text case-insensitively; nulls first.</summary>
    private static int CompareValues(string field, string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }

        if (DateTimeFields.Contains(field) && TryParseDateTime(left, out var l) && TryParseDateTime(right, out var r))
        {
            return l.CompareTo(r);
        }

        if (decimal.TryParse(left, NumberStyles.Number, CultureInfo.InvariantCulture, out var a) && decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var b))
        {
            return a.CompareTo(b);
        }

        return string.Compare(left, right, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses a SOQL date-time literal or a stored stamp: <c>yyyy-MM-ddTHH:mm:ss[.fff](Z|±hh:mm|±hhmm)</c>.</summary>
    private static bool TryParseDateTime(string value, out DateTimeOffset result)
    {
        var m = DateTimeLiteral().Match(value);
        if (!m.Success)
        {
            result = default;
            return false;
        }

        var zone = m.Groups["zone"].Value;
        var offset = zone == "Z" ? "+00:00" : zone.Length == 5 ? zone[..3] + ":" + zone[3..] : zone;
        return DateTimeOffset.TryParse(m.Groups["local"].Value + offset, CultureInfo.InvariantCulture, DateTimeStyles.None, out result);
    }

    private static SimulatorResponse UnknownColumn(string field, string objectType) =>
        RestError(400, "INVALID_FIELD", $"No such column '{field}' on entity '{objectType}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    [GeneratedRegex(@"^SELECT\s+(?<fields>.+?)\s+FROM\s+(?<object>\w+)(?:\s+WHERE\s+(?<where>.+?))?(?:\s+ORDER\s+BY\s+(?<order>.+?))?(?:\s+LIMIT\s+(?<limit>\d+))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex SelectPattern();

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(?<zone>Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex DateTimeLiteral();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateLiteral();

    /// <summary>One lexical token of a WHERE clause.</summary>
    private readonly record struct WhereToken(string Text, bool Quoted);

    /// <summary>A recursive-descent parser of WHERE clauses into predicates over a row's text values.</summary>
    private sealed class WhereParser(SalesforceSimulator simulator, string objectType, string text)
    {
        private readonly List<WhereToken> _tokens = [];
        private int _position;
        private SimulatorResponse? _error;

        public Func<Dictionary<string, string?>, bool>? Parse(out SimulatorResponse? error)
        {
            error = Tokenize();
            if (error is not null)
            {
                return null;
            }

            var predicate = ParseOr();
            if (_error is null && _position < _tokens.Count)
            {
                Fail($"unexpected token: '{_tokens[_position].Text}'");
            }

            error = _error;
            return error is null ? predicate : null;
        }

        private SimulatorResponse? Tokenize()
        {
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '(' or ')' or ',')
                {
                    _tokens.Add(new WhereToken(c.ToString(), false));
                    i++;
                }
                else if (c == '\'')
                {
                    var value = new StringBuilder();
                    i++;
                    while (i < text.Length && text[i] != '\'')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length)
                        {
                            i++;
                        }

                        value.Append(text[i]);
                        i++;
                    }

                    if (i >= text.Length)
                    {
                        return RestError(400, "MALFORMED_QUERY", "unterminated string literal");
                    }

                    _tokens.Add(new WhereToken(value.ToString(), true));
                    i++;
                }
                else if (c is '=' or '!' or '<' or '>')
                {
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
                    var op = two is "!=" or "<>" or "<=" or ">=" ? two : c.ToString();
                    if (op == "!")
                    {
                        return RestError(400, "MALFORMED_QUERY", "unexpected token: '!'");
                    }

                    _tokens.Add(new WhereToken(op, false));
                    i += op.Length;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '\'' or '=' or '!' or '<' or '>'))
                    {
                        i++;
                    }

                    _tokens.Add(new WhereToken(text[start..i], false));
                }
            }

            return null;
        }

        private WhereToken? Peek => _position < _tokens.Count ? _tokens[_position] : null;

        private bool IsKeyword(string keyword) => Peek is { Quoted: false } t && string.Equals(t.Text, keyword, StringComparison.OrdinalIgnoreCase);

        private Func<Dictionary<string, string?>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (_error is null && IsKeyword("OR"))
            {
                _position++;
                var l = left;
                var r = ParseAnd();
                left = row => l(row) || r(row);
            }

            return left;
        }

        private Func<Dictionary<string, string?>, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (_error is null && IsKeyword("AND"))
            {
                _position++;
                var l = left;
                var r = ParseUnary();
                left = row => l(row) && r(row);
            }

            return left;
        }

        private Func<Dictionary<string, string?>, bool> ParseUnary()
        {
            if (IsKeyword("NOT"))
            {
                _position++;
                var inner = ParseUnary();
                return row => !inner(row);
            }

            if (Peek is { Quoted: false, Text: "(" })
            {
                _position++;
                var inner = ParseOr();
                if (Peek is not { Quoted: false, Text: ")" })
                {
                    return Fail("expecting ')'");
                }

                _position++;
                return inner;
            }

            return ParseCondition();
        }

        private Func<Dictionary<string, string?>, bool> ParseCondition()
        {
            if (Peek is not { Quoted: false } fieldToken)
            {
                return Fail("expecting a field name");
            }

            _position++;
            var field = simulator.ResolveField(objectType, fieldToken.Text);
            if (field is null)
            {
                _error ??= UnknownColumn(fieldToken.Text, objectType);
                return _ => false;
            }

            string op;
            if (IsKeyword("NOT"))
            {
                _position++;
                if (!IsKeyword("IN"))
                {
                    return Fail("expecting IN after NOT");
                }

                _position++;
                op = "NOT IN";
            }
            else if (IsKeyword("IN") || IsKeyword("LIKE"))
            {
                op = Peek!.Value.Text.ToUpperInvariant();
                _position++;
            }
            else if (Peek is { Quoted: false, Text: "=" or "!=" or "<>" or "<" or "<=" or ">" or ">=" } symbol)
            {
                op = symbol.Text;
                _position++;
            }
            else
            {
                return Fail($"unexpected token: '{Peek?.Text}'");
            }

            var values = new List<string?>();
            if (op is "IN" or "NOT IN")
            {
                if (Peek is not { Quoted: false, Text: "(" })
                {
                    return Fail("expecting '('");
                }

                _position++;
                while (_error is null)
                {
                    values.Add(Value(field));
                    if (Peek is { Quoted: false, Text: "," })
                    {
                        _position++;
                        continue;
                    }

                    if (Peek is { Quoted: false, Text: ")" })
                    {
                        _position++;
                        break;
                    }

                    return Fail("expecting ')'");
                }
            }
            else
            {
                values.Add(Value(field));
            }

            var value = values.FirstOrDefault();
            return op switch
            {
                "=" => row => value is null ? row.GetValueOrDefault(field) is null : Same(field, row.GetValueOrDefault(field), value),
                "!=" or "<>" => row => value is null ? row.GetValueOrDefault(field) is not null : !Same(field, row.GetValueOrDefault(field), value),
                "IN" => row => values.Any(v => Same(field, row.GetValueOrDefault(field), v)),
                "NOT IN" => row => !values.Any(v => Same(field, row.GetValueOrDefault(field), v)),
                "LIKE" => row => row.GetValueOrDefault(field) is { } actual && value is not null && Regex.IsMatch(actual, "^" + Regex.Escape(value).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase),
                "<" => row => row.GetValueOrDefault(field) is { } actual && CompareValues(field, actual, value) < 0,
                "<=" => row => row.GetValueOrDefault(field) is { } actual && CompareValues(field, actual, value) <= 0,
                ">" => row => row.GetValueOrDefault(field) is { } actual && CompareValues(field, actual, value) > 0,
                _ => row => row.GetValueOrDefault(field) is { } actual && CompareValues(field, actual, value) >= 0,
            };
        }

        /// <summary>Reads one literal, checking it fits the field: date-times and dates unquoted, as Salesforce requires.</summary>
        private string? Value(string field)
        {
            if (Peek is not { } token || (!token.Quoted && token.Text is "(" or ")" or ","))
            {
                Fail("expecting a value");
                return null;
            }

            _position++;
            if (!token.Quoted && string.Equals(token.Text, "null", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (DateTimeFields.Contains(field))
            {
                if (token.Quoted || !TryParseDateTime(token.Text, out _))
                {
                    Fail($"value of filter criterion for field '{field}' must be of type dateTime and should not be enclosed in quotes", "INVALID_FIELD");
                }

                return token.Text;
            }

            if (DateFields.Contains(field))
            {
                if (token.Quoted || !DateLiteral().IsMatch(token.Text))
                {
                    Fail($"value of filter criterion for field '{field}' must be of type date and should not be enclosed in quotes", "INVALID_FIELD");
                }

                return token.Text;
            }

            return token.Quoted ? token.Text : token.Text.ToLowerInvariant() is "true" or "false" ? token.Text.ToLowerInvariant() : token.Text;
        }

        private static bool Same(string field, string? actual, string? value) =>
            actual is not null && value is not null && (DateTimeFields.Contains(field) ? CompareValues(field, actual, value) == 0 : string.Equals(actual, value, StringComparison.OrdinalIgnoreCase));

        private Func<Dictionary<string, string?>, bool> Fail(string message, string code = "MALFORMED_QUERY")
        {
            _error ??= RestError(400, code, message);
            return _ => false;
        }
    }
}
