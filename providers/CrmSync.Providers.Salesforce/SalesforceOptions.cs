using System.ComponentModel.DataAnnotations;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.Options;

namespace CrmSync.Providers.Salesforce;

/// <summary>Options of the Salesforce provider, validated on start. The OAuth client, request budget and transport rules come from <see cref="CrmProviderOptions"/>.</summary>
public sealed class SalesforceOptions : CrmProviderOptions
{
    /// <summary>
    /// Initializes the options. Salesforce has no burst limit for short requests; its daily quota is a rolling 24 hours, learned
    /// from <c>Sforce-Limit-Info</c> (set <see cref="CrmRequestBudgetOptions.DailyLimit"/> to keep part of it for other apps).
    /// One attempt may run up to 60 seconds and a request with its retries 3 minutes.
    /// </summary>
    public SalesforceOptions()
    {
        RequestBudget = new CrmRequestBudgetOptions { DailyWindow = CrmDailyLimitWindow.Rolling24Hours };
        AttemptTimeout = TimeSpan.FromSeconds(60);
        TotalRequestTimeout = TimeSpan.FromMinutes(3);
    }

    /// <summary>
    /// Gets or sets the login server for sign-in and token calls. Defaults to <c>https://login.salesforce.com/</c>
    /// (use <c>https://test.salesforce.com/</c> for sandboxes, or the simulator's address in tests). Data calls always go to the
    /// <c>instance_url</c> Salesforce returns with the tokens.
    /// </summary>
    [Required]
    public Uri LoginBaseAddress { get; set; } = new("https://login.salesforce.com/");

    /// <summary>Gets or sets the REST API version, without the <c>v</c>. Defaults to <c>62.0</c>.</summary>
    [Required]
    [RegularExpression(@"^\d{2,3}\.\d$")]
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Gets or sets the OAuth scopes requested at sign-in. Defaults to <c>api refresh_token</c>.</summary>
    [Required]
    public string Scopes { get; set; } = "api refresh_token";

    /// <summary>
    /// Gets or sets the object contacts are written to: <c>Contact</c> or <c>Lead</c>. A connection may override it with the
    /// <c>salesforce.object</c> provider setting. Defaults to <c>Contact</c>.
    /// </summary>
    [Required]
    [RegularExpression("^(Contact|Lead)$")]
    public string ContactObject { get; set; } = "Contact";

    /// <summary>
    /// Gets or sets the External ID field (custom, unique) that holds the host's record id on Leads and Contacts. Used when the connection's
    /// mapping keeps the default external-id field. Defaults to <c>CrmSync_External_Id__c</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^[A-Za-z][A-Za-z0-9_]*__c$")]
    public string ExternalIdField { get; set; } = "CrmSync_External_Id__c";

    /// <summary>Gets or sets the most records per collections call. Salesforce accepts at most 200. Defaults to 200.</summary>
    [Range(1, 200)]
    public int BatchSize { get; set; } = 200;
}
