using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmSync.Providers.HubSpot;

internal sealed record HubSpotTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("hub_id")] long? HubId);

internal sealed record HubSpotProperty(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("hasUniqueValue")] bool HasUniqueValue);

internal sealed record HubSpotPropertyOption([property: JsonPropertyName("value")] string? Value, [property: JsonPropertyName("hidden")] bool Hidden);

internal sealed record HubSpotModificationMetadata(
    [property: JsonPropertyName("readOnlyValue")] bool ReadOnlyValue,
    [property: JsonPropertyName("readOnlyDefinition")] bool ReadOnlyDefinition);

/// <summary>A property as <c>GET /crm/v3/properties/{objectType}</c> lists it (only what field mapping needs).</summary>
internal sealed record HubSpotPropertyDefinition(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("fieldType")] string? FieldType,
    [property: JsonPropertyName("calculated")] bool Calculated,
    [property: JsonPropertyName("archived")] bool Archived,
    [property: JsonPropertyName("hubspotDefined")] bool? HubspotDefined,
    [property: JsonPropertyName("options")] IReadOnlyList<HubSpotPropertyOption>? Options,
    [property: JsonPropertyName("modificationMetadata")] HubSpotModificationMetadata? ModificationMetadata);

internal sealed record HubSpotPropertiesPage([property: JsonPropertyName("results")] IReadOnlyList<HubSpotPropertyDefinition>? Results);

internal sealed record HubSpotPropertyCreate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("fieldType")] string FieldType,
    [property: JsonPropertyName("groupName")] string GroupName,
    [property: JsonPropertyName("hasUniqueValue")] bool HasUniqueValue,
    [property: JsonPropertyName("description")] string Description);

internal sealed record HubSpotAssociationType(
    [property: JsonPropertyName("associationCategory")] string Category,
    [property: JsonPropertyName("associationTypeId")] int TypeId);

internal sealed record HubSpotAssociationTarget([property: JsonPropertyName("id")] string Id);

internal sealed record HubSpotAssociation(
    [property: JsonPropertyName("to")] HubSpotAssociationTarget To,
    [property: JsonPropertyName("types")] IReadOnlyList<HubSpotAssociationType> Types);

internal sealed record HubSpotBatchInput<T>([property: JsonPropertyName("inputs")] IReadOnlyList<T> Inputs);

internal sealed record HubSpotUpsertInput(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("idProperty")] string IdProperty,
    [property: JsonPropertyName("objectWriteTraceId")] string ObjectWriteTraceId,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string> Properties);

internal sealed record HubSpotCreateInput(
    [property: JsonPropertyName("objectWriteTraceId")] string ObjectWriteTraceId,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string> Properties,
    [property: JsonPropertyName("associations")] IReadOnlyList<HubSpotAssociation> Associations);

internal sealed record HubSpotUpdateInput(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("objectWriteTraceId")] string ObjectWriteTraceId,
    [property: JsonPropertyName("properties")] IReadOnlyDictionary<string, string> Properties);

internal sealed record HubSpotReadId([property: JsonPropertyName("id")] string Id);

internal sealed record HubSpotBatchRead(
    [property: JsonPropertyName("idProperty")] string? IdProperty,
    [property: JsonPropertyName("inputs")] IReadOnlyList<HubSpotReadId> Inputs,
    [property: JsonPropertyName("properties")] IReadOnlyList<string> Properties);

internal sealed record HubSpotObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("properties")] Dictionary<string, string?>? Properties,
    [property: JsonPropertyName("new")] bool? New);

internal sealed record HubSpotInnerError(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("context")] Dictionary<string, JsonElement>? Context);

internal sealed record HubSpotStandardError(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("errors")] IReadOnlyList<HubSpotInnerError>? Errors,
    [property: JsonPropertyName("context")] Dictionary<string, JsonElement>? Context);

internal sealed record HubSpotBatchResponse(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotObject>? Results,
    [property: JsonPropertyName("errors")] IReadOnlyList<HubSpotStandardError>? Errors);

internal sealed record HubSpotOwner(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("firstName")] string? FirstName,
    [property: JsonPropertyName("lastName")] string? LastName,
    [property: JsonPropertyName("archived")] bool Archived);

internal sealed record HubSpotPagingNext([property: JsonPropertyName("after")] string? After);

internal sealed record HubSpotPaging([property: JsonPropertyName("next")] HubSpotPagingNext? Next);

internal sealed record HubSpotOwnersPage(
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotOwner>? Results,
    [property: JsonPropertyName("paging")] HubSpotPaging? Paging);

internal sealed record HubSpotFilter(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("operator")] string Operator,
    [property: JsonPropertyName("value")] string? Value = null,
    [property: JsonPropertyName("values")] IReadOnlyList<string>? Values = null);

internal sealed record HubSpotFilterGroup([property: JsonPropertyName("filters")] IReadOnlyList<HubSpotFilter> Filters);

internal sealed record HubSpotSort(
    [property: JsonPropertyName("propertyName")] string PropertyName,
    [property: JsonPropertyName("direction")] string Direction);

internal sealed record HubSpotSearchRequest(
    [property: JsonPropertyName("filterGroups")] IReadOnlyList<HubSpotFilterGroup> FilterGroups,
    [property: JsonPropertyName("sorts")] IReadOnlyList<HubSpotSort> Sorts,
    [property: JsonPropertyName("properties")] IReadOnlyList<string> Properties,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("after")] string? After);

internal sealed record HubSpotSearchResponse(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotObject>? Results,
    [property: JsonPropertyName("paging")] HubSpotPaging? Paging);

internal sealed record HubSpotPipelineStage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("metadata")] Dictionary<string, JsonElement>? Metadata);

internal sealed record HubSpotPipeline(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("stages")] IReadOnlyList<HubSpotPipelineStage>? Stages);

internal sealed record HubSpotPipelinesResponse([property: JsonPropertyName("results")] IReadOnlyList<HubSpotPipeline>? Results);

internal sealed record HubSpotAssociationTypeInfo(
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("typeId")] int TypeId,
    [property: JsonPropertyName("label")] string? Label);

internal sealed record HubSpotAssociatedObject(
    [property: JsonPropertyName("toObjectId")] JsonElement ToObjectId,
    [property: JsonPropertyName("associationTypes")] IReadOnlyList<HubSpotAssociationTypeInfo>? AssociationTypes);

internal sealed record HubSpotAssociationResult(
    [property: JsonPropertyName("from")] HubSpotReadId From,
    [property: JsonPropertyName("to")] IReadOnlyList<HubSpotAssociatedObject>? To);

internal sealed record HubSpotAssociationsResponse(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("results")] IReadOnlyList<HubSpotAssociationResult>? Results);

/// <summary>An error body: the whole-request envelope, the rate-limit body or the OAuth error body.</summary>
internal sealed record HubSpotErrorBody(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("policyName")] string? PolicyName,
    [property: JsonPropertyName("errorType")] string? ErrorType,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription,
    [property: JsonPropertyName("errors")] IReadOnlyList<HubSpotInnerError>? Errors = null);

internal sealed record HubSpotAccountDetails(
    [property: JsonPropertyName("portalId")] long? PortalId,
    [property: JsonPropertyName("timeZone")] string? TimeZone,
    [property: JsonPropertyName("utcOffsetMilliseconds")] long? UtcOffsetMilliseconds);
