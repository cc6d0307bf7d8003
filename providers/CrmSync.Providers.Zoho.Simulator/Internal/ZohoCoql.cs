using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Zoho.Simulator.Internal;

/// <summary>
/// A parsed COQL query: <c>select f1, f2 from Module where … order by f [asc|desc], … limit [offset,] n</c> (or
/// <c>limit n offset m</c>), or <c>select COUNT(id) from Module where …</c>. Conditions: <c>= != &gt; &gt;= &lt; &lt;=</c>,
/// <c>[not] in (…)</c>, <c>[not] like</c>, <c>is [not] null</c>, <c>and</c>/<c>or</c> and parentheses. Lookups compare by id
/// (<c>Owner = '…'</c> or <c>Owner.id = '…'</c>); strings compare case-insensitively; date-times and numbers by value.
/// </summary>
internal sealed class ZohoCoql
{
    private ZohoCoql(string module, IReadOnlyList<string> fields, bool count, Func<JsonObject, bool> where, IReadOnlyList<(string Field, bool Descending)> orderBy, int offset, int limit)
    {
        Module = module;
        Fields = fields;
        IsCount = count;
        Where = where;
        OrderBy = orderBy;
        Offset = offset;
        Limit = limit;
    }

    public string Module { get; }

    public IReadOnlyList<string> Fields { get; }

    public bool IsCount { get; }

    public Func<JsonObject, bool> Where { get; }

    public IReadOnlyList<(string Field, bool Descending)> OrderBy { get; }

    public int Offset { get; }

    public int Limit { get; }

    public static ZohoCoql Parse(string text)
    {
        var p = new Parser(Tokenize(text));
        return p.ParseQuery();
    }

    /// <summary>Reads a field: <c>Name</c>, or <c>Lookup.id</c>; a lookup object reads as its id.</summary>
    public static JsonNode? Read(JsonObject record, string field)
    {
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return record[field];
        }

        return record[field[..dot]] is JsonObject lookup ? lookup[field[(dot + 1)..]] : null;
    }

    public static int CompareValues(JsonNode? left, string? right)
    {
        var l = ZohoCriteria.FieldText(left);
        if (l is null || right is null)
        {
            return l is null ? (right is null ? 0 : -1) : 1;
        }

        if (l.Contains('T', StringComparison.Ordinal) && right.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(l, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ld)
            && DateTimeOffset.TryParse(right, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var rd))
        {
            return ld.CompareTo(rd);
        }

        if (decimal.TryParse(l, NumberStyles.Number, CultureInfo.InvariantCulture, out var ln) && decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var rn))
        {
            return ln.CompareTo(rn);
        }

        return string.Compare(l, right, StringComparison.OrdinalIgnoreCase);
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var b = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("Unterminated string.");
                    }

                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        b.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '\'')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        b.Append(text[i++]);
                    }
                }

                tokens.Add(new Token(TokenKind.String, b.ToString()));
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '$' or '.' or '-')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$' or '.' or '-'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i]));
            }
            else if (c is '>' or '<' or '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(new Token(TokenKind.Symbol, text.Substring(i, 2)));
                i += 2;
            }
            else if (c is '(' or ')' or ',' or '=' or '>' or '<' or '*')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
            else
            {
                throw new FormatException($"Unexpected '{c}'.");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        String,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;

        public ZohoCoql ParseQuery()
        {
            Expect("select");
            var fields = new List<string>();
            var count = false;
            if (PeekWord("count"))
            {
                _at++;
                ExpectSymbol("(");
                Word();
                ExpectSymbol(")");
                count = true;
            }
            else
            {
                do
                {
                    fields.Add(Word());
                }
                while (TrySymbol(","));
            }

            Expect("from");
            var module = Word();
            Func<JsonObject, bool> where = _ => true;
            if (TryWord("where"))
            {
                where = Or();
            }

            var order = new List<(string, bool)>();
            if (TryWord("order"))
            {
                Expect("by");
                do
                {
                    var field = Word();
                    var descending = false;
                    if (TryWord("desc"))
                    {
                        descending = true;
                    }
                    else
                    {
                        TryWord("asc");
                    }

                    order.Add((field, descending));
                }
                while (TrySymbol(","));
            }

            var offset = 0;
            var limit = 200;
            if (TryWord("limit"))
            {
                var first = Number();
                if (TrySymbol(","))
                {
                    offset = first;
                    limit = Number();
                }
                else
                {
                    limit = first;
                    if (TryWord("offset"))
                    {
                        offset = Number();
                    }
                }
            }

            if (_at != tokens.Count)
            {
                throw new FormatException($"Unexpected '{tokens[_at].Text}'.");
            }

            return new ZohoCoql(module, fields, count, where, order, offset, limit);
        }

        private Func<JsonObject, bool> Or()
        {
            var left = And();
            while (TryWord("or"))
            {
                var l = left;
                var r = And();
                left = x => l(x) || r(x);
            }

            return left;
        }

        private Func<JsonObject, bool> And()
        {
            var left = Primary();
            while (TryWord("and"))
            {
                var l = left;
                var r = Primary();
                left = x => l(x) && r(x);
            }

            return left;
        }

        private Func<JsonObject, bool> Primary()
        {
            if (TrySymbol("("))
            {
                var inner = Or();
                ExpectSymbol(")");
                return inner;
            }

            var field = Word();
            if (TryWord("is"))
            {
                var not = TryWord("not");
                Expect("null");
                return x => (Read(x, field) is null) != not;
            }

            var negate = TryWord("not");
            if (TryWord("in"))
            {
                ExpectSymbol("(");
                var values = new List<string?>();
                do
                {
                    values.Add(Value());
                }
                while (TrySymbol(","));
                ExpectSymbol(")");
                return x => values.Any(v => CompareValues(Read(x, field), v) == 0) != negate;
            }

            if (TryWord("like"))
            {
                var pattern = Value() ?? string.Empty;
                return x => Like(ZohoCriteria.FieldText(Read(x, field)), pattern) != negate;
            }

            if (negate)
            {
                throw new FormatException("Expected in or like after not.");
            }

            var op = Symbol();
            var value = Value();
            return op switch
            {
                "=" => x => CompareValues(Read(x, field), value) == 0,
                "!=" => x => CompareValues(Read(x, field), value) != 0,
                ">" => x => Read(x, field) is not null && CompareValues(Read(x, field), value) > 0,
                ">=" => x => Read(x, field) is not null && CompareValues(Read(x, field), value) >= 0,
                "<" => x => Read(x, field) is not null && CompareValues(Read(x, field), value) < 0,
                "<=" => x => Read(x, field) is not null && CompareValues(Read(x, field), value) <= 0,
                _ => throw new FormatException($"Unknown operator '{op}'."),
            };
        }

        private static bool Like(string? text, string pattern)
        {
            if (text is null)
            {
                return false;
            }

            var starts = pattern.EndsWith('%');
            var ends = pattern.StartsWith('%');
            var core = pattern.Trim('%');
            return (starts, ends) switch
            {
                (true, true) => text.Contains(core, StringComparison.OrdinalIgnoreCase),
                (true, false) => text.StartsWith(core, StringComparison.OrdinalIgnoreCase),
                (false, true) => text.EndsWith(core, StringComparison.OrdinalIgnoreCase),
                _ => string.Equals(text, core, StringComparison.OrdinalIgnoreCase),
            };
        }

        private string? Value()
        {
            var t = Next();
            return t.Kind switch
            {
                TokenKind.String => t.Text,
                TokenKind.Word when t.Text.Equals("null", StringComparison.OrdinalIgnoreCase) => null,
                TokenKind.Word when decimal.TryParse(t.Text, NumberStyles.Number, CultureInfo.InvariantCulture, out _) => t.Text,
                _ => throw new FormatException($"Expected a value, got '{t.Text}'."),
            };
        }

        private int Number() =>
            int.TryParse(Word(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException("Expected a number.");

        private Token Next() => _at < tokens.Count ? tokens[_at++] : throw new FormatException("Unexpected end of query.");

        private string Word()
        {
            var t = Next();
            return t.Kind == TokenKind.Word ? t.Text : throw new FormatException($"Expected a name, got '{t.Text}'.");
        }

        private string Symbol()
        {
            var t = Next();
            return t.Kind == TokenKind.Symbol ? t.Text : throw new FormatException($"Expected an operator, got '{t.Text}'.");
        }

        private bool PeekWord(string word) => _at < tokens.Count && tokens[_at].Kind == TokenKind.Word && tokens[_at].Text.Equals(word, StringComparison.OrdinalIgnoreCase);

        private bool TryWord(string word)
        {
            if (!PeekWord(word))
            {
                return false;
            }

            _at++;
            return true;
        }

        private void Expect(string word)
        {
            if (!TryWord(word))
            {
                throw new FormatException($"Expected '{word}'.");
            }
        }

        private bool TrySymbol(string symbol)
        {
            if (_at < tokens.Count && tokens[_at].Kind == TokenKind.Symbol && tokens[_at].Text == symbol)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void ExpectSymbol(string symbol)
        {
            if (!TrySymbol(symbol))
            {
                throw new FormatException($"Expected '{symbol}'.");
            }
        }
    }
}
