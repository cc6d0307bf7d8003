using System.Text.RegularExpressions;

namespace CrmSync.Widgets.Tests.Architecture;

/// <summary>
/// Finds styles in a widget's scoped CSS that belong to a primitive: a card surface (rounded and shadowed, or a bordered, rounded,
/// filled and padded box), a button, a spinner (keyframes or animation), a pill (fully rounded and padded, or the pill/chip/tone
/// classes), a table, or any class a primitive defines.
/// </summary>
internal static partial class PrimitiveStyleRules
{
    public static IReadOnlyList<string> FindViolations(string css, IReadOnlySet<string> primitiveClasses)
    {
        var violations = new List<string>();
        var text = Comments().Replace(css, string.Empty);
        if (text.Contains("@keyframes", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add("@keyframes (spinners and animations belong to the Icon/Button primitives)");
        }

        foreach (var (selector, body) in Rules(text))
        {
            var declarations = Declarations(body);
            bool Has(string property) => declarations.ContainsKey(property);
            var radius = declarations.GetValueOrDefault("border-radius") ?? string.Empty;

            if (Has("animation") || Has("animation-name"))
            {
                violations.Add($"{selector}: animation (spinners belong to the Button primitive)");
            }

            if (Has("border-radius") && Has("box-shadow"))
            {
                violations.Add($"{selector}: rounded and shadowed card surface (use CrmSyncCard)");
            }
            else if (!ElementSelector("input|select|textarea").IsMatch(selector) && Has("border-radius") && (Has("border") || Has("border-left")) && (Has("background") || Has("background-color")) && Has("padding"))
            {
                violations.Add($"{selector}: bordered, rounded, filled box (use CrmSyncCard or CrmSyncCallout)");
            }

            if ((radius.Contains("999", StringComparison.Ordinal) || radius.Contains("radius-pill", StringComparison.Ordinal)) && Has("padding"))
            {
                violations.Add($"{selector}: pill shape (use CrmSyncStatusPill)");
            }

            if (ElementSelector("button").IsMatch(selector))
            {
                violations.Add($"{selector}: button selector (use CrmSyncButton)");
            }

            if (ElementSelector("table|thead|tbody|tr|th|td|caption").IsMatch(selector))
            {
                violations.Add($"{selector}: table selector (use CrmSyncTable)");
            }

            foreach (var owned in primitiveClasses.Concat(["crmsync-chip", "crmsync-tone"]))
            {
                if (Regex.IsMatch(selector, @"\." + Regex.Escape(owned) + @"(?![\w])", RegexOptions.CultureInvariant))
                {
                    violations.Add($"{selector}: restyles .{owned}, a primitive's class");
                }
            }
        }

        return violations;
    }

    /// <summary>The classes a stylesheet defines (every <c>.crmsync-…</c> in its selectors), without modifiers and elements.</summary>
    public static IEnumerable<string> DefinedRootClasses(string css) =>
        Rules(Comments().Replace(css, string.Empty))
            .SelectMany(r => ClassName().Matches(r.Selector).Select(m => m.Groups[1].Value))
            .Select(c => c.Split("__")[0].Split("--")[0])
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<(string Selector, string Body)> Rules(string css)
    {
        var depth = 0;
        var start = 0;
        var stack = new Stack<string>();
        for (var i = 0; i < css.Length; i++)
        {
            if (css[i] == '{')
            {
                var prelude = css[start..i].Trim();
                stack.Push(prelude);
                depth++;
                start = i + 1;
            }
            else if (css[i] == '}')
            {
                var prelude = stack.Count > 0 ? stack.Pop() : string.Empty;
                if (!prelude.StartsWith('@') && prelude.Length > 0)
                {
                    yield return (prelude, css[start..i]);
                }

                depth--;
                start = i + 1;
            }
            else if (css[i] == ';' && depth > 0 && stack.Count > 0 && stack.Peek().StartsWith('@'))
            {
                start = i + 1;
            }
        }
    }

    private static Dictionary<string, string> Declarations(string body) =>
        body.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(':', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim().ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.Ordinal);

    private static Regex ElementSelector(string elements) =>
        new(@"(^|[\s,>+~(])(" + elements + @")(?![\w-])", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"\.(crmsync-[\w-]+)")]
    private static partial Regex ClassName();
}
