using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CrmSync.Providers.Zoho.Internal;

internal sealed class ZohoWriteRequest
{
    public List<JsonObject> Data { get; set; } = [];

    public List<string>? DuplicateCheckFields { get; set; }

    public List<string>? Trigger { get; set; }
}

/// <summary>A write answer: per-record results in <c>data</c>, or a whole-request error at the top level.</summary>
internal sealed class ZohoWriteResponse
{
    public List<ZohoResult>? Data { get; set; }

    public string? Code { get; set; }

    public JsonElement? Details { get; set; }

    public string? Message { get; set; }

    public string? Status { get; set; }
}

/// <summary><c>{code, details, message, status}</c>, per record or for a whole request.</summary>
internal sealed class ZohoResult
{
    public string? Code { get; set; }

    public JsonElement? Details { get; set; }

    public string? Message { get; set; }

    public string? Status { get; set; }

    public string? Action { get; set; }

    public string? DuplicateField { get; set; }
}

internal sealed class ZohoRecordList
{
    public List<JsonObject>? Data { get; set; }

    public ZohoPageInfo? Info { get; set; }
}

internal sealed class ZohoPageInfo
{
    public int Page { get; set; }

    public bool MoreRecords { get; set; }
}

internal sealed record ZohoCoqlRequest(string SelectQuery);

/// <summary>The answer of <c>GET /settings/fields?module=</c>.</summary>
internal sealed class ZohoFieldList
{
    public List<ZohoField>? Fields { get; set; }
}

/// <summary>The body of <c>POST /settings/fields?module=</c>: up to 25 field definitions.</summary>
internal sealed class ZohoFieldCreateRequest
{
    public List<ZohoFieldDefinition> Fields { get; set; } = [];
}

/// <summary>A new custom field: Zoho derives its API name from the label.</summary>
internal sealed class ZohoFieldDefinition
{
    public string? FieldLabel { get; set; }

    public string? DataType { get; set; }

    public int? Length { get; set; }

    public ZohoUniqueSetting? Unique { get; set; }
}

/// <summary>"Do not allow duplicate values".</summary>
internal sealed class ZohoUniqueSetting
{
    public bool CaseSensitive { get; set; }
}

/// <summary>The answer of a field creation: per-field results in <c>fields</c>, or a whole-request error at the top level.</summary>
internal sealed class ZohoFieldCreateResponse
{
    public List<ZohoResult>? Fields { get; set; }

    public string? Code { get; set; }

    public JsonElement? Details { get; set; }

    public string? Message { get; set; }

    public string? Status { get; set; }
}

/// <summary>One field's metadata; only what CrmSync reads.</summary>
internal sealed class ZohoField
{
    public string? Id { get; set; }

    public string? ApiName { get; set; }

    public string? FieldLabel { get; set; }

    public string? DisplayLabel { get; set; }

    public string? DataType { get; set; }

    public bool SystemMandatory { get; set; }

    public bool CustomField { get; set; }

    public bool ReadOnly { get; set; }

    public bool? FieldReadOnly { get; set; }

    public ZohoOperationType? OperationType { get; set; }

    public List<ZohoPicklistValue>? PickListValues { get; set; }
}

/// <summary>Which operations a field allows (<c>api_create</c>, <c>api_update</c>, …).</summary>
internal sealed class ZohoOperationType
{
    public bool? ApiCreate { get; set; }

    public bool? ApiUpdate { get; set; }
}

/// <summary>One picklist value: <c>actual_value</c> is what the API takes, <c>display_value</c> what users see.</summary>
internal sealed class ZohoPicklistValue
{
    public string? ActualValue { get; set; }

    public string? DisplayValue { get; set; }

    public string? Type { get; set; }
}

internal sealed class ZohoUserList
{
    public List<ZohoUser>? Users { get; set; }

    public ZohoPageInfo? Info { get; set; }
}

internal sealed class ZohoUser
{
    public string? Id { get; set; }

    public string? FullName { get; set; }

    public string? Email { get; set; }

    public string? Status { get; set; }
}

internal sealed class ZohoTokenResponse
{
    public string? AccessToken { get; set; }

    public string? RefreshToken { get; set; }

    public string? Scope { get; set; }

    public string? ApiDomain { get; set; }

    public string? TokenType { get; set; }

    public long? ExpiresIn { get; set; }

    public string? Error { get; set; }

    public string? ErrorDescription { get; set; }
}

/// <summary>Zoho's wire format: snake_case envelopes (record fields are API names kept as written), nulls left out.</summary>
internal static class ZohoJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
