using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;
using WireMock;

namespace CrmSync.Simulation;

/// <summary>A request as seen by the simulator's handlers, decoupled from WireMock's types.</summary>
internal sealed class SimulatorRequest
{
    private readonly Dictionary<string, string> _headers;

    private SimulatorRequest(string method, string path, NameValueCollection query, string body, Dictionary<string, string> headers)
    {
        Method = method;
        Path = path;
        Query = query;
        Body = body;
        _headers = headers;
        Segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
    }

    public string Method { get; }

    public string Path { get; }

    public string[] Segments { get; }

    public NameValueCollection Query { get; }

    public string Body { get; }

    public static SimulatorRequest From(IRequestMessage message)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (message.Headers is not null)
        {
            foreach (var header in message.Headers)
            {
                headers[header.Key] = string.Join(",", header.Value);
            }
        }

        var body = message.BodyAsBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : message.Body ?? string.Empty;
        var rawQuery = message.RawQuery ?? string.Empty;
        return new SimulatorRequest(
            message.Method.ToUpperInvariant(),
            message.AbsolutePath,
            HttpUtility.ParseQueryString(rawQuery.TrimStart('?')),
            body,
            headers);
    }

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    public NameValueCollection Form() => HttpUtility.ParseQueryString(Body);

    /// <summary>Parses the body as a JSON object, or returns <see langword="null"/> when it is not one.</summary>
    public JsonObject? JsonBody()
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? BearerToken()
    {
        var authorization = Header("Authorization");
        const string Prefix = "Bearer ";
        return authorization is not null && authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[Prefix.Length..].Trim()
            : null;
    }
}
