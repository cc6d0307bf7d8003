using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmSync.Sdk;

/// <summary>JSON settings for everything CrmSync stores.</summary>
internal static class CrmSyncJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
