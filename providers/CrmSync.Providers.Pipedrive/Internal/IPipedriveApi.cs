using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Pipedrive.Internal;

/// <summary>
/// The Pipedrive REST API (v2 where it exists, v1 for notes and users). Every call carries the connection id (for the
/// request budget), the connection's <c>api_domain</c> (see <see cref="CrmBaseAddressHandler"/>) and its auth header
/// (<c>x-api-token</c> or <c>Authorization: Bearer</c>).
/// </summary>
[Headers("Accept: application/json")]
internal interface IPipedriveApi
{
    /// <summary>Exact-match search. Pipedrive counts searches in their own burst window, so the provider budgets them itself (no connection id here).</summary>
    [Get("/api/v2/persons/search")]
    Task<IApiResponse<PipedriveResponse<PipedriveSearchData>>> SearchPersonsAsync(
        string term,
        string fields,
        [AliasAs("exact_match")] string exactMatch,
        int limit,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/api/v2/persons/{id}")]
    Task<IApiResponse<PipedriveResponse<PipedrivePerson>>> GetPersonAsync(
        long id,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Post("/api/v2/persons")]
    Task<IApiResponse<PipedriveResponse<PipedrivePerson>>> CreatePersonAsync(
        [Body] PipedrivePersonBody body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Patch("/api/v2/persons/{id}")]
    Task<IApiResponse<PipedriveResponse<PipedrivePerson>>> UpdatePersonAsync(
        long id,
        [Body] PipedrivePersonBody body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/api/v2/personFields")]
    Task<IApiResponse<PipedriveResponse<List<PipedrivePersonField>>>> GetPersonFieldsAsync(
        string? cursor,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Post("/api/v2/personFields")]
    Task<IApiResponse<PipedriveResponse<PipedrivePersonField>>> CreatePersonFieldAsync(
        [Body] PipedriveNewPersonField body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Post("/api/v2/activities")]
    Task<IApiResponse<PipedriveResponse<PipedriveActivity>>> CreateActivityAsync(
        [Body] PipedriveActivityBody body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Patch("/api/v2/activities/{id}")]
    Task<IApiResponse<PipedriveResponse<PipedriveActivity>>> UpdateActivityAsync(
        long id,
        [Body] PipedriveActivityBody body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/api/v2/activities")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveActivity>>>> ListActivitiesAsync(
        [AliasAs("person_id")] long personId,
        int limit,
        string? cursor,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Post("/api/v1/notes")]
    Task<IApiResponse<PipedriveResponse<PipedriveNote>>> CreateNoteAsync(
        [Body] PipedriveNoteBody body,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/api/v1/notes")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveNote>>>> ListNotesAsync(
        [AliasAs("person_id")] long personId,
        int start,
        int limit,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Deals (v2) with keyset paging; every filter is optional.</summary>
    [Get("/api/v2/deals")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveDeal>>>> ListDealsAsync(
        [AliasAs("owner_id")] long? ownerId,
        [AliasAs("stage_id")] long? stageId,
        string? status,
        [AliasAs("updated_since")] string? updatedSince,
        [AliasAs("updated_until")] string? updatedUntil,
        [AliasAs("sort_by")] string sortBy,
        [AliasAs("sort_direction")] string sortDirection,
        int limit,
        string? cursor,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Persons (v2) with keyset paging; every filter is optional.</summary>
    [Get("/api/v2/persons")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveListedPerson>>>> ListPersonsAsync(
        [AliasAs("owner_id")] long? ownerId,
        [AliasAs("updated_since")] string? updatedSince,
        [AliasAs("updated_until")] string? updatedUntil,
        [AliasAs("sort_by")] string sortBy,
        [AliasAs("sort_direction")] string sortDirection,
        int limit,
        string? cursor,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Organizations (v2) by id (at most 100 ids, comma separated).</summary>
    [Get("/api/v2/organizations")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveOrganization>>>> GetOrganizationsAsync(
        string ids,
        int limit,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Pipeline stages (v2), to turn stage names into ids.</summary>
    [Get("/api/v2/stages")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveStage>>>> ListStagesAsync(
        int limit,
        string? cursor,
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/api/v1/users")]
    Task<IApiResponse<PipedriveResponse<List<PipedriveUser>>>> GetUsersAsync(
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>The signed-in user and company; used right after sign-in, before the connection has an id.</summary>
    [Get("/api/v1/users/me")]
    Task<IApiResponse<PipedriveResponse<PipedriveUser>>> GetCurrentUserAsync(
        [HeaderCollection] IDictionary<string, string> auth,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);
}

/// <summary>Pipedrive's OAuth server (<c>oauth.pipedrive.com</c>).</summary>
[Headers("Accept: application/json")]
internal interface IPipedriveOAuthApi
{
    [Post("/oauth/token")]
    Task<IApiResponse<PipedriveTokenResponse>> TokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Header("Authorization")] string authorization,
        CancellationToken cancellationToken);
}
