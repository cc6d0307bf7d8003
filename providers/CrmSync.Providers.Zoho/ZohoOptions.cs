using System.ComponentModel.DataAnnotations;
using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Zoho;

/// <summary>Options of the Zoho CRM provider, validated on start. The OAuth client, request budget and transport rules come from <see cref="CrmProviderOptions"/>.</summary>
public sealed class ZohoOptions : CrmProviderOptions
{
    /// <summary>
    /// Initializes the options. Zoho documents no request rate, only concurrency (<see cref="MaxConcurrentRequests"/>) and API
    /// credits per rolling 24 hours (edition dependent: 5,000 Free, 50,000 + per-user on paid editions), so the request budget
    /// has no burst limit and a rolling daily window; set <see cref="CrmRequestBudgetOptions.DailyLimit"/> to the org's credits
    /// to pace a run, otherwise the connection pauses when Zoho answers 429 <c>LIMIT_EXCEEDED</c>.
    /// </summary>
    public ZohoOptions()
    {
        RequestBudget = new CrmRequestBudgetOptions { BurstWindow = TimeSpan.FromSeconds(1), DailyWindow = CrmDailyLimitWindow.Rolling24Hours };
    }

    /// <summary>The datacenter ids of the real Zoho regions CrmSync offers by default, in picker order.</summary>
    public static readonly IReadOnlyList<string> DefaultDataCenterIds = ["us", "eu", "in", "au", "jp"];

    /// <summary>
    /// Gets or sets the scopes asked for at sign-in by connections that push. Defaults to modules, users, field metadata,
    /// COQL, and <c>ZohoCRM.settings.fields.CREATE</c> so CrmSync can add its external-id field (<see cref="ExternalIdField"/>).
    /// </summary>
    [Required]
    public string Scopes { get; set; } = "ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.settings.fields.READ,ZohoCRM.settings.fields.CREATE,ZohoCRM.coql.READ";

    /// <summary>
    /// Gets or sets the scopes asked for instead of <see cref="Scopes"/> when the connection only fetches (direction Fetch): read
    /// access only. Defaults to reading modules (and COQL), users and field metadata.
    /// </summary>
    [Required]
    public string ReadOnlyScopes { get; set; } = "ZohoCRM.modules.READ,ZohoCRM.coql.READ,ZohoCRM.users.READ,ZohoCRM.settings.fields.READ";

    /// <summary>
    /// Gets or sets the datacenters by id (the id stored on the connection). Defaults to the real regions the Datacenter
    /// picker offers: <c>us</c> (.com), <c>eu</c> (.eu), <c>in</c> (.in), <c>au</c> (.com.au) and <c>jp</c> (.jp). Replace
    /// the URLs to point a region at a simulator.
    /// </summary>
    public IDictionary<string, ZohoDataCenterEndpoints> DataCenters { get; set; } = new Dictionary<string, ZohoDataCenterEndpoints>(StringComparer.OrdinalIgnoreCase)
    {
        ["us"] = ZohoDataCenterEndpoints.ForDomain("United States", "com"),
        ["eu"] = ZohoDataCenterEndpoints.ForDomain("Europe", "eu"),
        ["in"] = ZohoDataCenterEndpoints.ForDomain("India", "in"),
        ["au"] = ZohoDataCenterEndpoints.ForDomain("Australia", "com.au"),
        ["jp"] = ZohoDataCenterEndpoints.ForDomain("Japan", "jp"),
    };

    /// <summary>Gets or sets the datacenter of connections that did not pick one. Defaults to <c>us</c>.</summary>
    [Required]
    public string DefaultDataCenter { get; set; } = "us";

    /// <summary>
    /// Gets or sets the module contacts are written to: <c>Contacts</c> or <c>Leads</c>. A connection overrides it with the
    /// provider setting <see cref="ZohoCrmProvider.ModuleSetting"/>. Lead updates always go to <c>Leads</c>. Defaults to <c>Contacts</c>.
    /// </summary>
    [Required]
    public string ContactModule { get; set; } = "Contacts";

    /// <summary>The default of <see cref="ExternalIdField"/>.</summary>
    public const string DefaultExternalIdField = "External_Id";

    /// <summary>
    /// Gets or sets the API name of the unique field that holds the host's record id, used when the field mapping keeps the
    /// default external-id field. Defaults to <c>External_Id</c>. With the default, CrmSync finds or creates the field itself
    /// before the first write to a module: it uses <c>External_Id</c> when the module has it, else the field labelled
    /// <see cref="ZohoCrmProvider.ExternalIdFieldLabel"/>, else it creates that one (a unique Single Line field; Zoho names it
    /// <c>CrmSync_External_Id</c>). A field named here or in the field mapping that is not the default must exist in Zoho CRM
    /// (Setup › Customization › Modules and Fields, "Do not allow duplicate values").
    /// </summary>
    [Required]
    public string ExternalIdField { get; set; } = DefaultExternalIdField;

    /// <summary>Gets or sets how many requests one connection may have in flight (Zoho limits concurrency per org and app: 10 on Standard). Defaults to 10.</summary>
    [Range(1, 100)]
    public int MaxConcurrentRequests { get; set; } = 10;

    /// <summary>Gets or sets the pause after 429 <c>TOO_MANY_REQUESTS</c>, which carries no Retry-After. Defaults to 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ThrottleDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the deal stages that mean closed-lost (imports map them to <c>CrmDealStatus.ClosedLost</c>). Defaults to Zoho's standard <c>Closed Lost</c> and <c>Closed-Lost to Competition</c>.</summary>
    [Required]
    public ICollection<string> ClosedLostStages { get; set; } = ["Closed Lost", "Closed-Lost to Competition"];

    /// <summary>Gets or sets the deal stages that mean closed-won. Defaults to Zoho's standard <c>Closed Won</c>.</summary>
    [Required]
    public ICollection<string> ClosedWonStages { get; set; } = ["Closed Won"];
}
