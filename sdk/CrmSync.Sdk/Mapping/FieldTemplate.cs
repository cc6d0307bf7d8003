using System.Text;

namespace CrmSync.Sdk;

/// <summary>Parses and renders <c>{{field}}</c> templates.</summary>
public static class FieldTemplate
{
    /// <summary>Renders a template; placeholders whose field is missing render as empty text.</summary>
    /// <param name="template">The template, already validated.</param>
    /// <param name="source">The host field values.</param>
    /// <returns>The rendered text.</returns>
    public static string Render(string template, IReadOnlyDictionary<string, string?> source)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(source);
        var builder = new StringBuilder(template.Length);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(template, position, template.Length - position);
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                builder.Append(template, position, template.Length - position);
                break;
            }

            builder.Append(template, position, open - position);
            var name = template.Substring(open + 2, close - open - 2).Trim();
            if (source.TryGetValue(name, out var value) && value is not null)
            {
                builder.Append(value);
            }

            position = close + 2;
        }

        return builder.ToString();
    }

    /// <summary>Finds the placeholders of a template, or describes why it is malformed.</summary>
    /// <param name="template">The template text.</param>
    /// <param name="placeholders">The field names referenced.</param>
    /// <param name="error">Why the template is malformed, when it is.</param>
    /// <returns><see langword="true"/> when the template is well formed.</returns>
    public static bool TryParse(string template, out IReadOnlyList<string> placeholders, out string? error)
    {
        ArgumentNullException.ThrowIfNull(template);
        var found = new List<string>();
        placeholders = found;
        error = null;
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            var stray = template.IndexOf("}}", position, StringComparison.Ordinal);
            if (stray >= 0 && (open < 0 || stray < open))
            {
                error = $"'}}}}' at position {stray} has no matching '{{{{'";
                return false;
            }

            if (open < 0)
            {
                break;
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"'{{{{' at position {open} is never closed with '}}}}'";
                return false;
            }

            var name = template.Substring(open + 2, close - open - 2).Trim();
            if (name.Length == 0)
            {
                error = $"empty placeholder '{{{{}}}}' at position {open}";
                return false;
            }

            if (name.Contains('{', StringComparison.Ordinal) || !IsFieldName(name))
            {
                error = $"placeholder '{{{{{name}}}}}' is not a field name (letters, digits, '_', '.' or '-')";
                return false;
            }

            found.Add(name);
            position = close + 2;
        }

        return true;
    }

    internal static bool IsFieldName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not '_' and not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
