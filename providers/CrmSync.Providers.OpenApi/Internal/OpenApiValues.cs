using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.OpenApi.Internal;

/// <summary>Converts CrmSync's text values to the JSON a schema declares, and reads values back by dotted path.</summary>
internal static class OpenApiValues
{
    /// <summary>Converts <paramref name="value"/> to the schema's type; <see langword="null"/> when it does not fit.</summary>
    public static JsonNode? Convert(OpenApiSchema schema, string value)
    {
        switch (schema.Type)
        {
            case "integer":
                return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer) : null;
            case "number":
                return decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : null;
            case "boolean":
                return bool.TryParse(value, out var flag) ? JsonValue.Create(flag) : null;
            case "array":
                var items = schema.Items;
                var array = new JsonArray();
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var item = items is null ? JsonValue.Create(part) : Convert(items, part);
                    if (item is null)
                    {
                        return null;
                    }

                    array.Add(item);
                }

                return array;
            case "object":
                return null;
            default:
                if (schema.Enum.Count > 0 && !schema.Enum.Contains(value, StringComparer.Ordinal))
                {
                    return null;
                }

                if (schema.Format == "date-time" && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                {
                    return null;
                }

                return JsonValue.Create(value);
        }
    }

    /// <summary>Sets a dotted path in an object, creating the objects on the way.</summary>
    public static void Set(JsonObject target, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        var current = target;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is not JsonObject next)
            {
                next = [];
                current[segments[i]] = next;
            }

            current = next;
        }

        current[segments[^1]] = value;
    }

    /// <summary>Returns the node at a dotted path, or <see langword="null"/>.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        var current = node;
        foreach (var segment in path.Split('.'))
        {
            current = Step(current, segment);
        }

        return current;
    }

    /// <summary>Reads a dotted path as text: strings as they are, numbers and booleans invariantly, the first item of an array.</summary>
    public static string? Text(JsonNode? node, string? path)
    {
        if (node is null || path is null)
        {
            return null;
        }

        var current = node;
        foreach (var segment in path.Split('.'))
        {
            current = Step(current, segment);
            if (current is null)
            {
                return null;
            }
        }

        if (current is JsonArray array)
        {
            current = array.Count > 0 ? array[0] : null;
        }

        return current switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => null,
        };
    }

    /// <summary>Reads a dotted path as a time.</summary>
    public static DateTimeOffset? Time(JsonNode? node, string? path) =>
        Text(node, path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    /// <summary>Returns the items array at a path, or empty.</summary>
    public static IReadOnlyList<JsonObject> Items(JsonNode? node, string path)
    {
        var current = node;
        foreach (var segment in path.Split('.'))
        {
            current = Step(current, segment);
        }

        return current is JsonArray array ? array.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>One step of a dotted path; a list in the middle of a path stands for its first (primary) item.</summary>
    private static JsonNode? Step(JsonNode? node, string segment)
    {
        if (node is JsonArray list)
        {
            node = list.Count > 0 ? list[0] : null;
        }

        return node is JsonObject o ? o[segment] : null;
    }
}
