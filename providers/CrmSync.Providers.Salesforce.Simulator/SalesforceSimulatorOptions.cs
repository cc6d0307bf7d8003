namespace CrmSync.Providers.Salesforce.Simulator;

/// <summary>
/// Options for <see cref="SalesforceSimulator.Start(SalesforceSimulatorOptions?)"/>.
/// </summary>
public sealed class SalesforceSimulatorOptions
{
    /// <summary>Gets or sets the clock used for session expiry, API usage windows and timestamps.</summary>
    /// <value>The default is <see langword="null"/>, which means <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the TCP port to listen on.</summary>
    /// <value>The default is <see langword="null"/>, which picks a free localhost port.</value>
    public int? Port { get; set; }

    /// <summary>Gets or sets the connected app's consumer key.</summary>
    /// <value>The default is <c>crmsync-simulator-client</c>.</value>
    public string ClientId { get; set; } = "crmsync-simulator-client";

    /// <summary>Gets or sets the connected app's consumer secret.</summary>
    /// <value>The default is <c>crmsync-simulator-secret</c>.</value>
    public string ClientSecret { get; set; } = "crmsync-simulator-secret";

    /// <summary>Gets the callback URLs registered for the connected app.</summary>
    /// <value>The default is empty, which accepts any absolute <c>http</c> or <c>https</c> URI.</value>
    public IList<string> RedirectUris { get; } = new List<string>();

    /// <summary>Gets or sets the session timeout. Sessions expire silently after this much inactivity (no <c>expires_in</c> is sent).</summary>
    /// <value>The default is 2 hours.</value>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Gets or sets the lifetime of an authorization code.</summary>
    /// <value>The default is 15 minutes.</value>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets a value indicating whether a refresh returns a new refresh token and invalidates the old one.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>Gets or sets the API version used in URLs the simulator generates (record <c>attributes.url</c>, <c>nextRecordsUrl</c>). Any <c>vNN.N</c> is accepted in requests.</summary>
    /// <value>The default is <c>62.0</c>.</value>
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Gets or sets the number of API requests allowed in a rolling 24 hours.</summary>
    /// <value>The default is 15,000 (Developer Edition).</value>
    public int DailyApiLimit { get; set; } = 15_000;

    /// <summary>
    /// Gets or sets how many long-running API requests (in flight for <see cref="LongRequestThreshold"/> or more) may run at
    /// once. While that many are running, every further request is answered 403 <c>REQUEST_LIMIT_EXCEEDED</c>
    /// ("ConcurrentPerOrgLongTxn Limit exceeded."), as Salesforce's concurrent API request limit does.
    /// </summary>
    /// <value>The default is 25 (production and sandbox orgs; Developer Edition and trial orgs allow 5).</value>
    public int ConcurrentLongRequestLimit { get; set; } = 25;

    /// <summary>Gets or sets how long a request must have been running to count as long-running.</summary>
    /// <value>The default is 20 seconds, Salesforce's threshold.</value>
    public TimeSpan LongRequestThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gets or sets an optional fault injection: at most this many requests per <see cref="BurstWindow"/>, the rest answered
    /// 403 <c>REQUEST_LIMIT_EXCEEDED</c> with the concurrency error text. Salesforce has no such per-window limit (see
    /// <see cref="ConcurrentLongRequestLimit"/> for its real rule); this forces the error without slow requests.
    /// </summary>
    /// <value>The default is <see langword="null"/>: off, as on the real platform.</value>
    public int? BurstLimit { get; set; }

    /// <summary>Gets or sets the window of <see cref="BurstLimit"/>.</summary>
    /// <value>The default is 20 seconds.</value>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets the API name of CrmSync's External ID (and Unique) text field on Lead and Contact.</summary>
    /// <value>The default is <c>CrmSync_External_Id__c</c>.</value>
    public string ExternalIdField { get; set; } = "CrmSync_External_Id__c";

    /// <summary>
    /// Gets or sets a value indicating whether the org already has <see cref="ExternalIdField"/> on Lead and Contact, visible
    /// and editable for the connected user, as if an admin had created it. Without it the field is missing: a client creates
    /// it through the Tooling API (<c>POST …/tooling/sobjects/CustomField</c>) and grants field-level security
    /// (<c>POST …/sobjects/FieldPermissions</c>), or an admin adds it with <see cref="SalesforceSimulator.AddExternalIdField"/>.
    /// </summary>
    /// <value>The default is <see langword="false"/>: a new org, where the field does not exist yet.</value>
    public bool ExternalIdFieldExists { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the connected user has "Customize Application" (and "Manage Profiles and
    /// Permission Sets"), which creating custom fields and field permissions needs. Without it those calls are answered
    /// 403 <c>INSUFFICIENT_ACCESS_OR_READONLY</c>. <see cref="SalesforceSimulator.SetCanCustomizeApplication"/> changes it at run time.
    /// </summary>
    /// <value>The default is <see langword="true"/>: the user who connects is an administrator.</value>
    public bool CanCustomizeApplication { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the org has Salesforce Call Center, whose Task fields <c>CallObject</c>,
    /// <c>CallType</c>, <c>CallDurationInSeconds</c> and <c>CallDisposition</c> exist only then. Without it, writing or
    /// querying them is refused with <c>INVALID_FIELD</c> ("No such column"), and describing Task does not list them.
    /// </summary>
    /// <value>The default is <see langword="false"/>: an org without Call Center, the stricter case.</value>
    public bool CallCenter { get; set; }

    /// <summary>Gets further custom text fields (ending in <c>__c</c>) that exist on Lead and Contact, visible and editable for the connected user.</summary>
    /// <value>The default is empty.</value>
    public IList<string> CustomFields { get; } = new List<string>();

    /// <summary>Gets or sets a value indicating whether the standard duplicate rules block a Lead or Contact whose email already exists (<c>DUPLICATES_DETECTED</c>).</summary>
    /// <value>The default is <see langword="true"/>. The header <c>Sforce-Duplicate-Rule-Header: allowSave=true</c> bypasses the rules per request.</value>
    public bool DuplicateRulesEnabled { get; set; } = true;

    /// <summary>Gets or sets how many records one query response holds before <c>nextRecordsUrl</c> is used.</summary>
    /// <value>The default is 2,000.</value>
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>Gets or sets how long a request is held when a <see cref="SalesforceOutageKind.Timeout"/> outage is active.</summary>
    /// <value>The default is 100 seconds.</value>
    public TimeSpan OutageTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets the org's users. The first active one is the user who authorizes and the default owner of new records.</summary>
    /// <value>The default holds two active users and one inactive user.</value>
    public IList<SalesforceSimulatorUser> Users { get; } = new List<SalesforceSimulatorUser>
    {
        new("005SIM000000001AAA", "Alex", "Owner", "alex.owner@example.com"),
        new("005SIM000000002AAA", "Sam", "Seller", "sam.seller@example.com"),
        new("005SIM000000003AAA", "Former", "Employee", "former@example.com") { IsActive = false },
    };
}
