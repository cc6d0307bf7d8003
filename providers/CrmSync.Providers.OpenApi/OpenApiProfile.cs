using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmSync.Providers.OpenApi;

/// <summary>
/// Describes how CrmSync talks to one CRM through its OpenAPI document: which operations search, create, update, list
/// users and list changes, how CrmSync's fields map onto the CRM's, how the CRM pages, signs in and limits requests.
/// Profiles are plain JSON (see <see cref="Load(Stream)"/>) and are validated against the document when the host starts.
/// </summary>
public sealed record OpenApiProfile
{
    /// <summary>Gets the stable provider name stored on connections (for example <c>reapit</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the name users see (for example <c>Reapit</c>).</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the OpenAPI 3 document (JSON) the profile refers to: a file name of an embedded document or a path on disk.</summary>
    public required string Document { get; init; }

    /// <summary>Gets the API base URL used when the host does not override it (normally the document's server).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Gets how connections sign in.</summary>
    public required OpenApiAuthProfile Auth { get; init; }

    /// <summary>
    /// Gets headers sent with every API request. A value <c>{credentials:apiKey}</c> is replaced by the connection's key
    /// (for client-credentials profiles, the account the connection reads: Reapit's <c>reapit-customer</c>) and
    /// <c>{credentials:NAME}</c> by the credential property <c>NAME</c>; such a header is left out when the connection has no value.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets how list operations page.</summary>
    public required OpenApiPagingProfile Paging { get; init; }

    /// <summary>Gets the CRM's published limits, which the request budget keeps under.</summary>
    public OpenApiLimitsProfile Limits { get; init; } = new();

    /// <summary>Gets the contact (person) object. Required.</summary>
    public required OpenApiObjectProfile Contact { get; init; }

    /// <summary>Gets the object leads are read from in the fetch direction, when the CRM has one. Lead updates pushed by the host go to the contact object.</summary>
    public OpenApiObjectProfile? Lead { get; init; }

    /// <summary>Gets the activity object emails, calls and meetings are written to, when the CRM has one.</summary>
    public OpenApiActivityProfile? Activity { get; init; }

    /// <summary>Gets how users (record owners) are listed, when the CRM can list them.</summary>
    public OpenApiUsersProfile? Users { get; init; }

    /// <summary>Gets a link template to a contact in the CRM's web app (<c>{id}</c> is replaced), when it has one.</summary>
    public string? ContactLinkTemplate { get; init; }

    /// <summary>Reads a profile from JSON.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="OpenApiProfileException">The JSON is not a profile.</exception>
    public static OpenApiProfile Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<OpenApiProfile>(json, SerializerOptions)
                ?? throw new OpenApiProfileException("(profile)", "The profile is empty.");
        }
        catch (JsonException ex)
        {
            throw new OpenApiProfileException(ex.Path is { Length: > 0 } path ? path.TrimStart('$', '.') : "(profile)", "The profile is not valid JSON for an OpenAPI profile: " + ex.Message, ex);
        }
    }

    /// <summary>Reads a profile from a JSON stream.</summary>
    /// <param name="json">The stream.</param>
    /// <returns>The profile.</returns>
    public static OpenApiProfile Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var reader = new StreamReader(json);
        return Parse(reader.ReadToEnd());
    }

    internal static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };
}

/// <summary>How connections of a profile sign in.</summary>
public enum OpenApiAuthKind
{
    /// <summary>A key the user pastes, sent in a header on every request.</summary>
    ApiKey = 0,

    /// <summary>OAuth 2 client credentials of the host's app; each connection's key names the customer it reads (for example Reapit Connect machine tokens and <c>reapit-customer</c>).</summary>
    ClientCredentials = 1,

    /// <summary>OAuth 2 authorization code with PKCE and refresh tokens.</summary>
    AuthorizationCode = 2,
}

/// <summary>Sign-in settings of a profile.</summary>
public sealed record OpenApiAuthProfile
{
    /// <summary>Gets the sign-in kind.</summary>
    public required OpenApiAuthKind Kind { get; init; }

    /// <summary>Gets the header that carries the API key (<see cref="OpenApiAuthKind.ApiKey"/>). Defaults to <c>X-API-Key</c>.</summary>
    public string ApiKeyHeader { get; init; } = "X-API-Key";

    /// <summary>Gets the OAuth token endpoint (client credentials, authorization code and refresh).</summary>
    public Uri? TokenUrl { get; init; }

    /// <summary>Gets the OAuth authorize page (authorization code).</summary>
    public Uri? AuthorizeUrl { get; init; }

    /// <summary>Gets the scopes to ask for. Defaults to none.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Gets whether the client id and secret go in an HTTP Basic header (<see langword="true"/>, Reapit Connect) or in the form body. Defaults to Basic.</summary>
    public bool ClientSecretBasic { get; init; } = true;
}

/// <summary>How a profile's list operations page.</summary>
public enum OpenApiPagingStyle
{
    /// <summary>Numbered pages (<c>pageNumber</c>/<c>pageSize</c>) with a total page count in the body (HAL paged results).</summary>
    PageNumber = 0,

    /// <summary>An opaque cursor returned in the body and passed back as a query parameter.</summary>
    Cursor = 1,
}

/// <summary>Paging settings of a profile.</summary>
public sealed record OpenApiPagingProfile
{
    /// <summary>Gets the paging style.</summary>
    public required OpenApiPagingStyle Style { get; init; }

    /// <summary>Gets the query parameter of the page size.</summary>
    public required string SizeParameter { get; init; }

    /// <summary>Gets the query parameter of the page number or cursor.</summary>
    public required string PageParameter { get; init; }

    /// <summary>Gets the largest page the CRM serves.</summary>
    public int MaxPageSize { get; init; } = 100;

    /// <summary>Gets the property of a list response that holds the items (for example <c>_embedded</c>).</summary>
    public required string ItemsPath { get; init; }

    /// <summary>Gets the property with the total page count (<see cref="OpenApiPagingStyle.PageNumber"/>).</summary>
    public string? TotalPagesPath { get; init; }

    /// <summary>Gets the property with the next cursor, absent or null on the last page (<see cref="OpenApiPagingStyle.Cursor"/>).</summary>
    public string? NextCursorPath { get; init; }
}

/// <summary>The CRM's published request limits.</summary>
public sealed record OpenApiLimitsProfile
{
    /// <summary>Gets the requests allowed per <see cref="BurstWindow"/>, or <see langword="null"/> when the CRM publishes none.</summary>
    public int? BurstLimit { get; init; }

    /// <summary>Gets the burst window. Defaults to 1 second.</summary>
    public TimeSpan BurstWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the requests allowed per UTC day, or <see langword="null"/>.</summary>
    public int? DailyLimit { get; init; }

    /// <summary>Gets how many requests of one connection may be in flight at once. Defaults to 4.</summary>
    public int MaxConcurrency { get; init; } = 4;
}

/// <summary>One operation of the document, named by its <c>operationId</c>, with the parameter CrmSync fills.</summary>
public sealed record OpenApiOperationRef
{
    /// <summary>Gets the <c>operationId</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the parameter CrmSync fills (the search value, the record id or the modified-since time).</summary>
    public string? Parameter { get; init; }

    /// <summary>Gets a template for the parameter value where <c>{value}</c> is replaced (for filter expressions). Defaults to the value itself.</summary>
    public string? Value { get; init; }

    /// <summary>Gets whether an update sends the record's ETag in <c>If-Match</c> (read first with the profile's get operation).</summary>
    public bool IfMatch { get; init; }

    /// <summary>Gets fixed query parameters sent with every call of the operation.</summary>
    public IReadOnlyDictionary<string, string> FixedParameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>Where a create answer carries the new record's id.</summary>
public enum OpenApiCreatedIdSource
{
    /// <summary>The response body (at <see cref="OpenApiObjectProfile.IdPath"/>).</summary>
    Body = 0,

    /// <summary>The last segment of the <c>Location</c> header (201 with an empty body, as Reapit answers).</summary>
    Location = 1,
}

/// <summary>How CrmSync reads and writes one kind of record.</summary>
public record OpenApiObjectProfile
{
    /// <summary>Gets the search by external id (exact). Required for objects CrmSync writes.</summary>
    public OpenApiOperationRef? SearchByExternalId { get; init; }

    /// <summary>Gets the search by email (exact), used to adopt a record the CRM already has.</summary>
    public OpenApiOperationRef? SearchByEmail { get; init; }

    /// <summary>Gets the search by phone (exact).</summary>
    public OpenApiOperationRef? SearchByPhone { get; init; }

    /// <summary>Gets the read of one record by id (its parameter is the id); needed for <see cref="OpenApiOperationRef.IfMatch"/> updates.</summary>
    public OpenApiOperationRef? Get { get; init; }

    /// <summary>Gets the create operation.</summary>
    public OpenApiOperationRef? Create { get; init; }

    /// <summary>Gets the update operation (its parameter is the record id).</summary>
    public OpenApiOperationRef? Update { get; init; }

    /// <summary>Gets the list of records modified since a time (its parameter takes the time), used by fetch.</summary>
    public OpenApiOperationRef? ListModifiedSince { get; init; }

    /// <summary>Gets the request-body path that holds the host's record id (for example <c>metadata.crmSyncExternalId</c>).</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>Gets host field name (<c>email</c>, <c>firstName</c>…) → body path in the CRM's create/update schema.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets body path → value written on create (for example Reapit's <c>marketingConsent</c> = <c>notAsked</c>). Converted to the schema's type.</summary>
    public IReadOnlyDictionary<string, string> FixedValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the body path of the record owner (a string or an array of ids), set on create only.</summary>
    public string? OwnerField { get; init; }

    /// <summary>Gets where a create answer carries the new id. Defaults to the body.</summary>
    public OpenApiCreatedIdSource CreatedId { get; init; } = OpenApiCreatedIdSource.Body;

    /// <summary>Gets the response path of the record id. Defaults to <c>id</c>.</summary>
    public string IdPath { get; init; } = "id";

    /// <summary>Gets the response path of the last-modified time.</summary>
    public string? ModifiedPath { get; init; }

    /// <summary>Gets the response path of the creation time.</summary>
    public string? CreatedPath { get; init; }

    /// <summary>Gets the response path of the owner id (a string or an array whose first item is the primary owner).</summary>
    public string? OwnerPath { get; init; }

    /// <summary>Gets response path → host field for fetched records, on top of the inverted <see cref="Fields"/>.</summary>
    public IReadOnlyDictionary<string, string> ReadFields { get; init; } = new Dictionary<string, string>();
}

/// <summary>How CrmSync writes emails, calls and meetings.</summary>
public sealed record OpenApiActivityProfile : OpenApiObjectProfile
{
    /// <summary>Gets the body path that holds the CRM id of the activity's contact.</summary>
    public required string ContactField { get; init; }

    /// <summary>Gets the body path of the activity kind.</summary>
    public required string TypeField { get; init; }

    /// <summary>Gets the value of <see cref="TypeField"/> per kind: <c>email</c>, <c>call</c>, <c>meeting</c>.</summary>
    public required IReadOnlyDictionary<string, string> TypeValues { get; init; }

    /// <summary>
    /// Gets the list of a contact's activities (its parameter takes the contact id). When the activity object has no
    /// field for the external id, <see cref="OpenApiObjectProfile.ExternalIdField"/> names a text field and CrmSync appends
    /// a reference marker to it; this list finds the activity by that marker.
    /// </summary>
    public OpenApiOperationRef? ListByContact { get; init; }

    /// <summary>Gets whether <see cref="OpenApiObjectProfile.ExternalIdField"/> is a text field that carries a reference marker rather than a field of its own.</summary>
    public bool ExternalIdAsMarker { get; init; }
}

/// <summary>How users (record owners) are listed.</summary>
public sealed record OpenApiUsersProfile
{
    /// <summary>Gets the list operation.</summary>
    public required OpenApiOperationRef List { get; init; }

    /// <summary>Gets the path of the user id. Defaults to <c>id</c>.</summary>
    public string IdPath { get; init; } = "id";

    /// <summary>Gets the path of the display name. Defaults to <c>name</c>.</summary>
    public string NamePath { get; init; } = "name";

    /// <summary>Gets the path of the email, when users have one.</summary>
    public string? EmailPath { get; init; }

    /// <summary>Gets the path of a boolean that is false for inactive users, when they have one.</summary>
    public string? ActivePath { get; init; }
}
