using System.Collections;
using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace CrmSync.TestUtils;

/// <summary>
/// Everything a logging sink can read from one record: the formatted message, the exception, every structured state
/// key and value and every scope (its text and its key/values). A secret check on the message alone misses values that
/// only structured sinks see (the default <c>IHttpClientFactory</c> logger puts raw header values there at Trace).
/// </summary>
public static class LogRecordText
{
    /// <summary>Returns the text of everything a sink sees of <paramref name="record"/>.</summary>
    /// <param name="record">The captured record.</param>
    /// <returns>Message, exception, state and scopes, one per line.</returns>
    public static string Of(FakeLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder().AppendLine(record.Message).AppendLine(record.Exception?.ToString());
        foreach (var pair in record.StructuredState ?? [])
        {
            text.Append(pair.Key).Append('=').AppendLine(pair.Value);
        }

        foreach (var scope in record.Scopes)
        {
            text.AppendLine(scope?.ToString());
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var pair in pairs)
                {
                    text.Append(pair.Key).Append('=').AppendLine(ValueText(pair.Value));
                }
            }
        }

        return text.ToString();
    }

    private static string? ValueText(object? value) => value switch
    {
        null => null,
        string s => s,
        IEnumerable values => string.Join(",", values.Cast<object?>()),
        _ => value.ToString(),
    };
}
