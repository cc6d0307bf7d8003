using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Salesforce;

/// <summary>
/// The Salesforce REST endpoints the provider uses. Data calls carry the connection's <c>instance_url</c> as a request option;
/// <see cref="CrmBaseAddressHandler"/> sends them there.
/// </summary>
internal interface ISalesforceApi
{
    [Patch("/services/data/v{version}/composite/sobjects/{sobject}/{externalIdField}")]
    Task<IApiResponse<List<SalesforceSaveResult>>> UpsertCollectionAsync(string version, string sobject, string externalIdField, [Body] SalesforceCollection body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/composite/sobjects")]
    Task<IApiResponse<List<SalesforceSaveResult>>> CreateCollectionAsync(string version, [Body] SalesforceCollection body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Patch("/services/data/v{version}/composite/sobjects")]
    Task<IApiResponse<List<SalesforceSaveResult>>> UpdateCollectionAsync(string version, [Body] SalesforceCollection body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/sobjects/{sobject}/describe")]
    Task<IApiResponse<SalesforceDescribeResult>> DescribeAsync(string version, string sobject, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/query")]
    Task<IApiResponse<SalesforceQueryResult>> QueryAsync(string version, [AliasAs("q")] string soql, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/query/{locator}")]
    Task<IApiResponse<SalesforceQueryResult>> QueryMoreAsync(string version, string locator, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/")]
    Task<IApiResponse<SalesforceResources>> ResourcesAsync(string version, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/tooling/sobjects/CustomField")]
    Task<IApiResponse<SalesforceSaveResult>> CreateCustomFieldAsync(string version, [Body] SalesforceCustomField body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/sobjects/FieldPermissions")]
    Task<IApiResponse<SalesforceSaveResult>> CreateFieldPermissionsAsync(string version, [Body] SalesforceFieldPermissions body, [Authorize("Bearer")] string accessToken, [Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId, [Property(CrmBaseAddressHandler.OptionName)] Uri instanceUrl, CancellationToken cancellationToken);

    [Post("/services/oauth2/token")]
    Task<IApiResponse<SalesforceTokenResponse>> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] IDictionary<string, string> form, CancellationToken cancellationToken);
}
