using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace CrmSync.Simulation;

/// <summary>A response built by the simulator's handlers, converted to a WireMock message at the end.</summary>
internal sealed class SimulatorResponse
{
    /// <summary>The header that tells the connection-dropping middleware to abort the connection.</summary>
    internal const string DropConnectionHeader = "X-CrmSync-Simulator-Drop-Connection";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public SimulatorResponse(int status, string? body, string contentType)
    {
        Status = status;
        Body = body;
        ContentType = contentType;
    }

    public int Status { get; }

    public string? Body { get; }

    public string ContentType { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool DropConnection { get; set; }

    public static SimulatorResponse Json(int status, JsonNode? body) =>
        new(status, body?.ToJsonString(JsonOptions), "application/json;charset=utf-8");

    public static SimulatorResponse Html(int status, string html) => new(status, html, "text/html;charset=utf-8");

    public static SimulatorResponse Empty(int status) => new(status, null, "text/plain");

    public static SimulatorResponse Dropped()
    {
        var response = Empty(200);
        response.DropConnection = true;
        return response;
    }

    public SimulatorResponse WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public ResponseMessage ToResponseMessage()
    {
        var headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in Headers)
        {
            headers[header.Key] = new WireMockList<string>(header.Value);
        }

        if (DropConnection)
        {
            headers[DropConnectionHeader] = new WireMockList<string>("true");
        }

        var message = new ResponseMessage
        {
            StatusCode = Status,
            Headers = headers,
        };

        if (Body is not null)
        {
            headers["Content-Type"] = new WireMockList<string>(ContentType);
            message.BodyData = new BodyData
            {
                DetectedBodyType = BodyType.String,
                BodyAsString = Body,
                Encoding = new UTF8Encoding(false),
            };
        }

        return message;
    }
}
