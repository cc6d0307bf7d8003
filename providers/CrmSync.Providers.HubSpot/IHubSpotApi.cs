using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.HubSpot;

/// <summary>
/// The HubSpot endpoints the provider uses. <c>area</c>/<c>version</c> pairs are <c>v3</c>/<c>objects</c> for v3 paths or
/// <c>objects</c>/<c>2026-03</c> for date-versioned paths (see <see cref="HubSpotPaths"/>).
/// </summary>
internal interface IHubSpotApi
{
    [Get("/crm/{first}/{second}/{objectType}/{propertyName}")]
    Task<IApiResponse<HubSpotProperty>> GetPropertyAsync(string first, string second, string objectType, string propertyName, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Get("/crm/{first}/{second}/{objectType}")]
    Task<IApiResponse<HubSpotPropertiesPage>> ListPropertiesAsync(string first, string second, string objectType, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}")]
    Task<IApiResponse<HubSpotProperty>> CreatePropertyAsync(string first, string second, string objectType, [Body] HubSpotPropertyCreate property, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}/batch/upsert")]
    Task<IApiResponse<HubSpotBatchResponse>> BatchUpsertAsync(string first, string second, string objectType, [Body] HubSpotBatchInput<HubSpotUpsertInput> body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}/batch/create")]
    Task<IApiResponse<HubSpotBatchResponse>> BatchCreateAsync(string first, string second, string objectType, [Body] HubSpotBatchInput<HubSpotCreateInput> body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}/batch/update")]
    Task<IApiResponse<HubSpotBatchResponse>> BatchUpdateAsync(string first, string second, string objectType, [Body] HubSpotBatchInput<HubSpotUpdateInput> body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}/batch/read")]
    Task<IApiResponse<HubSpotBatchResponse>> BatchReadAsync(string first, string second, string objectType, [Body] HubSpotBatchRead body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{objectType}/search")]
    Task<IApiResponse<HubSpotSearchResponse>> SearchAsync(string first, string second, string objectType, [Body] HubSpotSearchRequest body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Get("/crm/{first}/{second}/{objectType}")]
    Task<IApiResponse<HubSpotPipelinesResponse>> GetPipelinesAsync(string first, string second, string objectType, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/crm/{first}/{second}/{fromObjectType}/{toObjectType}/batch/read")]
    Task<IApiResponse<HubSpotAssociationsResponse>> ReadAssociationsAsync(string first, string second, string fromObjectType, string toObjectType, [Body] HubSpotBatchInput<HubSpotReadId> body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Get("/account-info/{version}/details")]
    Task<IApiResponse<HubSpotAccountDetails>> GetAccountDetailsAsync(string version, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Get("/crm/{first}/{second}")]
    Task<IApiResponse<HubSpotOwnersPage>> GetOwnersAsync(string first, string second, [Query] int limit, [Query] string? after, [Query] bool archived, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, CancellationToken cancellationToken);

    [Post("/{**tokenPath}")]
    Task<IApiResponse<HubSpotTokenResponse>> TokenAsync(string tokenPath, [Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, CancellationToken cancellationToken);
}
