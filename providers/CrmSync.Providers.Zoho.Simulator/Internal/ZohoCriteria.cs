using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Internal;

/// <summary>
/// Parser and evaluator for Zoho search criteria such as <c>((Email:equals:a@b.com)or(Phone:equals:123))</c>.
/// Supports <c>equals</c>, <c>not_equal</c>, <c>starts_with</c> and <c>in</c>, nested groups, <c>and</c>/<c>or</c>,
/// and backslash escapes of <c>( ) ,</c> in values. Comparison is case-insensitive, as in Zoho.
/// </summary>
internal sealed class ZohoCriteria
{
    private readonly Func<JsonObject, bool> _predicate;

    private ZohoCriteria(Func<JsonObject, bool> predicate, int leafCount)
    {
        _predicate = predicate;
        LeafCount = leafCount;
    }

    public int LeafCount { get; }

    public bool Matches(JsonObject record) => _predicate(record);

    public static bool TryParse(string text, out ZohoCriteria? criteria)
    {
        criteria = null;
        var parser = new Parser(text.Trim());
        try
        {
            var predicate = parser.ParseExpression();
            if (!parser.AtEnd)
            {
                return false;
            }

            criteria = new ZohoCriteria(predicate, parser.Leaves);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string? FieldText(JsonNode? node) => node switch
    {
        null => null,
        JsonObject lookup => lookup["id"]?.ToString(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private sealed class Parser(string text)
    {
        private int _position;

        public int Leaves { get; private set; }

        public bool AtEnd => _position >= text.Length;

        public Func<JsonObject, bool> ParseExpression()
        {
            var left = ParseTerm();
            while (!AtEnd && text[_position] != ')')
            {
                string op;
                if (Matches("and"))
                {
                    op = "and";
                }
                else if (Matches("or"))
                {
                    op = "or";
                }
                else
                {
                    throw new FormatException("Expected and/or.");
                }

                _position += op.Length;
                var right = ParseTerm();
                var l = left;
                left = op == "and" ? r => l(r) && right(r) : r => l(r) || right(r);
            }

            return left;
        }

        private bool Matches(string word) =>
            string.Compare(text, _position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;

        private Func<JsonObject, bool> ParseTerm()
        {
            if (AtEnd)
            {
                throw new FormatException("Unexpected end.");
            }

            if (text[_position] != '(')
            {
                // A bare leaf without parentheses is accepted only for the whole criteria.
                return ParseLeaf(untilEnd: true);
            }

            _position++;
            Func<JsonObject, bool> result = !AtEnd && text[_position] == '(' ? ParseExpression() : ParseLeaf(untilEnd: false);
            if (AtEnd || text[_position] != ')')
            {
                throw new FormatException("Expected ')'.");
            }

            _position++;
            return result;
        }

        private Func<JsonObject, bool> ParseLeaf(bool untilEnd)
        {
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var c = text[_position];
                if (c == '\\' && _position + 1 < text.Length)
                {
                    builder.Append('\\').Append(text[_position + 1]);
                    _position += 2;
                    continue;
                }

                if (c == ')' && !untilEnd)
                {
                    break;
                }

                builder.Append(c);
                _position++;
            }

            var leaf = builder.ToString();
            var first = leaf.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : leaf.IndexOf(':', first + 1);
            if (first <= 0 || second < 0)
            {
                throw new FormatException("A criterion is field:operator:value.");
            }

            var field = leaf[..first].Trim();
            var op = leaf[(first + 1)..second].Trim().ToLowerInvariant();
            var rawValue = leaf[(second + 1)..];
            Leaves++;
            var values = SplitValues(rawValue);
            var value = Unescape(rawValue);
            return op switch
            {
                "equals" => r => string.Equals(FieldText(r[field]), value, StringComparison.OrdinalIgnoreCase),
                "not_equal" => r => !string.Equals(FieldText(r[field]), value, StringComparison.OrdinalIgnoreCase),
                "starts_with" => r => FieldText(r[field])?.StartsWith(value, StringComparison.OrdinalIgnoreCase) == true,
                "in" => r => values.Contains(FieldText(r[field]) ?? "\0", StringComparer.OrdinalIgnoreCase),
                _ => throw new FormatException("Unsupported operator."),
            };
        }

        private static string Unescape(string value)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length)
                {
                    i++;
                }

                builder.Append(value[i]);
            }

            return builder.ToString();
        }

        private static List<string> SplitValues(string value)
        {
            var result = new List<string>();
            var current = new StringBuilder();
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length)
                {
                    current.Append(value[++i]);
                }
                else if (value[i] == ',')
                {
                    result.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(value[i]);
                }
            }

            result.Add(current.ToString());
            return result;
        }
    }
}
