using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace CrmSync.Simulation;

/// <summary>Small helpers to read WireMock requests and build WireMock responses.</summary>
internal static class SimulatorHttp
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = false };

    public static ResponseMessage Json(int status, JsonNode? body) =>
        Text(status, "application/json; charset=utf-8", body?.ToJsonString(WriteOptions) ?? "null");

    public static ResponseMessage Text(int status, string contentType, string body)
    {
        var message = Empty(status);
        message.BodyData = new BodyData
        {
            BodyAsString = body,
            DetectedBodyType = BodyType.String,
            Encoding = Encoding.UTF8,
        };
        message.AddHeader("Content-Type", contentType);
        return message;
    }

    public static ResponseMessage Empty(int status) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase),
    };

    public static string? Header(IRequestMessage request, string name)
    {
        if (request.Headers is null)
        {
            return null;
        }

        foreach (var pair in request.Headers)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase) && pair.Value.Count > 0)
            {
                return pair.Value[0];
            }
        }

        return null;
    }

    /// <summary>Parses the raw query string; keys are case-sensitive, the last value wins.</summary>
    public static Dictionary<string, string> Query(IRequestMessage request) => ParseUrlEncoded(request.RawQuery);

    /// <summary>Parses an application/x-www-form-urlencoded body.</summary>
    public static Dictionary<string, string> Form(IRequestMessage request) => ParseUrlEncoded(request.Body);

    public static Dictionary<string, string> ParseUrlEncoded(string? raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(raw))
        {
            return result;
        }

        var text = raw[0] == '?' ? raw[1..] : raw;
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var index = part.IndexOf('=', StringComparison.Ordinal);
            var key = index < 0 ? part : part[..index];
            var value = index < 0 ? string.Empty : part[(index + 1)..];
            result[Decode(key)] = Decode(value);
        }

        return result;
    }

    public static JsonObject? BodyObject(IRequestMessage request)
    {
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Path(IRequestMessage request) => request.Path ?? "/";

    public static long SecondsUntil(DateTimeOffset now, DateTimeOffset moment) =>
        Math.Max(0, (long)Math.Ceiling((moment - now).TotalSeconds));

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
