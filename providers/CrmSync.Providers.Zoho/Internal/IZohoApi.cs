using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Zoho.Internal;

/// <summary>
/// Zoho CRM v8 below the connection's API domain (<see cref="CrmBaseAddressHandler"/>), with
/// <c>Authorization: Zoho-oauthtoken …</c> and the connection id for the request budget.
/// </summary>
[Headers("Accept: application/json")]
internal interface IZohoApi
{
    [Post("/crm/v8/{module}/upsert")]
    Task<IApiResponse<ZohoWriteResponse>> UpsertAsync(
        string module,
        [Body] ZohoWriteRequest body,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Post("/crm/v8/{module}")]
    Task<IApiResponse<ZohoWriteResponse>> InsertAsync(
        string module,
        [Body] ZohoWriteRequest body,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Put("/crm/v8/{module}")]
    Task<IApiResponse<ZohoWriteResponse>> UpdateAsync(
        string module,
        [Body] ZohoWriteRequest body,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Related records of a lead or contact (204 when there are none).</summary>
    [Get("/crm/v8/{module}/{id}/{related}")]
    Task<IApiResponse<ZohoRecordList>> GetRelatedAsync(
        string module,
        string id,
        string related,
        string fields,
        int page,
        [AliasAs("per_page")] int perPage,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>A COQL query (filtered, ordered reads and counts); 204 when nothing matches.</summary>
    [Post("/crm/v8/coql")]
    Task<IApiResponse<ZohoRecordList>> QueryAsync(
        [Body] ZohoCoqlRequest body,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Records of a module; with <c>If-Modified-Since</c> Zoho answers 304 when none changed after it.</summary>
    [Get("/crm/v8/{module}")]
    Task<IApiResponse<ZohoRecordList>> ListRecordsAsync(
        string module,
        string fields,
        string? ids,
        [AliasAs("per_page")] int perPage,
        [Header("If-Modified-Since")] string? ifModifiedSince,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>The fields of a module (<c>ZohoCRM.settings.fields.READ</c>).</summary>
    [Get("/crm/v8/settings/fields")]
    Task<IApiResponse<ZohoFieldList>> GetFieldsAsync(
        string module,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>Creates custom fields in a module (<c>ZohoCRM.settings.fields.CREATE</c>); per-field results in <c>fields</c>.</summary>
    [Post("/crm/v8/settings/fields")]
    Task<IApiResponse<ZohoFieldCreateResponse>> CreateFieldsAsync(
        string module,
        [Body] ZohoFieldCreateRequest body,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    [Get("/crm/v8/users")]
    Task<IApiResponse<ZohoUserList>> GetUsersAsync(
        string type,
        int page,
        [AliasAs("per_page")] int perPage,
        [Header("Authorization")] string authorization,
        [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);

    /// <summary>The signed-in user, right after sign-in (no connection id yet, so outside the budget).</summary>
    [Get("/crm/v8/users?type=CurrentUser")]
    Task<IApiResponse<ZohoUserList>> GetCurrentUserAsync(
        [Header("Authorization")] string authorization,
        [Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress,
        CancellationToken cancellationToken);
}

/// <summary>Zoho Accounts of the connection's datacenter (<see cref="CrmBaseAddressHandler"/>).</summary>
[Headers("Accept: application/json")]
internal interface IZohoAccountsApi
{
    [Post("/oauth/v2/token")]
    Task<IApiResponse<ZohoTokenResponse>> TokenAsync(
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        [Property(CrmBaseAddressHandler.OptionName)] Uri accountsServer,
        CancellationToken cancellationToken);
}
