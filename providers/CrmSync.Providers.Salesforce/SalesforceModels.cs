using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmSync.Providers.Salesforce;

internal sealed record SalesforceTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("instance_url")] string? InstanceUrl,
    [property: JsonPropertyName("id")] string? Id);

internal sealed record SalesforceCollection(
    [property: JsonPropertyName("allOrNone")] bool AllOrNone,
    [property: JsonPropertyName("records")] IReadOnlyList<Dictionary<string, object?>> Records);

internal sealed record SalesforceItemError(
    [property: JsonPropertyName("statusCode")] string? StatusCode,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("fields")] IReadOnlyList<string>? Fields);

internal sealed record SalesforceSaveResult(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("created")] bool? Created,
    [property: JsonPropertyName("errors")] IReadOnlyList<SalesforceItemError>? Errors);

/// <summary>The resources of a REST API version (<c>GET /services/data/vXX.X/</c>); only the session user's identity URL is read.</summary>
internal sealed record SalesforceResources(
    [property: JsonPropertyName("identity")] string? Identity);

/// <summary>A Tooling API <c>CustomField</c> to create: <c>FullName</c> is <c>Object.Field__c</c>.</summary>
internal sealed record SalesforceCustomField(
    [property: JsonPropertyName("FullName")] string FullName,
    [property: JsonPropertyName("Metadata")] SalesforceCustomFieldMetadata Metadata);

/// <summary>The <c>CustomFieldMetadata</c> of a Text External ID field.</summary>
internal sealed record SalesforceCustomFieldMetadata(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("externalId")] bool ExternalId,
    [property: JsonPropertyName("unique")] bool Unique,
    [property: JsonPropertyName("caseSensitive")] bool CaseSensitive,
    [property: JsonPropertyName("description")] string Description);

/// <summary>A <c>FieldPermissions</c> record: read and edit on <c>Field</c> for the permission set <c>ParentId</c>.</summary>
internal sealed record SalesforceFieldPermissions(
    [property: JsonPropertyName("ParentId")] string ParentId,
    [property: JsonPropertyName("SobjectType")] string SobjectType,
    [property: JsonPropertyName("Field")] string Field,
    [property: JsonPropertyName("PermissionsRead")] bool PermissionsRead,
    [property: JsonPropertyName("PermissionsEdit")] bool PermissionsEdit);

internal sealed record SalesforceQueryResult(
    [property: JsonPropertyName("totalSize")] int TotalSize,
    [property: JsonPropertyName("done")] bool Done,
    [property: JsonPropertyName("nextRecordsUrl")] string? NextRecordsUrl,
    [property: JsonPropertyName("records")] IReadOnlyList<Dictionary<string, JsonElement>>? Records);

/// <summary>One entry of a REST error array (<c>[{"message","errorCode","fields"}]</c>) or an OAuth error object.</summary>
internal sealed record SalesforceRestError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("errorCode")] string? ErrorCode,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record SalesforceDescribeResult(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("fields")] IReadOnlyList<SalesforceDescribeField>? Fields);

/// <summary>One field of a describe result (<c>DescribeFieldResult</c>); only what CrmSync reads.</summary>
internal sealed record SalesforceDescribeField(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("createable")] bool Createable,
    [property: JsonPropertyName("updateable")] bool Updateable)
{
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("nillable")]
    public bool Nillable { get; init; } = true;

    [JsonPropertyName("defaultedOnCreate")]
    public bool DefaultedOnCreate { get; init; }

    [JsonPropertyName("custom")]
    public bool Custom { get; init; }

    [JsonPropertyName("externalId")]
    public bool ExternalId { get; init; }

    [JsonPropertyName("idLookup")]
    public bool IdLookup { get; init; }

    [JsonPropertyName("picklistValues")]
    public IReadOnlyList<SalesforcePicklistValue>? PicklistValues { get; init; }
}

/// <summary>One value of a picklist field.</summary>
internal sealed record SalesforcePicklistValue(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("active")] bool Active);
