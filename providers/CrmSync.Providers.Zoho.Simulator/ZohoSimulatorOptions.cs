namespace CrmSync.Providers.Zoho.Simulator;

/// <summary>Options for <see cref="ZohoSimulator"/>. Every property has a working default.</summary>
public sealed class ZohoSimulatorOptions
{
    /// <summary>Gets or sets the clock used for token expiry, limits and timestamps.</summary>
    /// <value>Defaults to <see langword="null"/>, which means <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the data centres this instance answers for. Requests meant for other hosts get <c>INVALID_URL_PATTERN</c>.</summary>
    /// <value>Defaults to all five: US, EU, IN, AU and JP.</value>
    public IList<ZohoDataCenter> DataCenters { get; set; } = [ZohoDataCenter.Us, ZohoDataCenter.Eu, ZohoDataCenter.In, ZohoDataCenter.Au, ZohoDataCenter.Jp];

    /// <summary>Gets or sets the data centre that hosts the simulated organisation. The authorize page redirects with its <c>location</c> and <c>accounts-server</c>, and its tokens only work there.</summary>
    /// <value>Defaults to <see cref="ZohoDataCenter.Us"/>.</value>
    public ZohoDataCenter OrganizationDataCenter { get; set; } = ZohoDataCenter.Us;

    /// <summary>Gets or sets the OAuth client id.</summary>
    /// <value>Defaults to <c>1000.SIMCLIENT</c>.</value>
    public string ClientId { get; set; } = "1000.SIMCLIENT";

    /// <summary>Gets or sets the OAuth client secret.</summary>
    /// <value>Defaults to <c>sim-client-secret</c>.</value>
    public string ClientSecret { get; set; } = "sim-client-secret";

    /// <summary>Gets or sets the lifetime of access tokens.</summary>
    /// <value>Defaults to 3600 seconds.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>Gets or sets how many access tokens one refresh token may mint per 10 minutes (the stricter Accounts rule).</summary>
    /// <value>Defaults to 10.</value>
    public int AccessTokensPerRefreshTokenPer10Minutes { get; set; } = 10;

    /// <summary>Gets or sets how many refresh tokens a user may hold; issuing one more deletes the oldest.</summary>
    /// <value>Defaults to 20.</value>
    public int MaxRefreshTokensPerUser { get; set; } = 20;

    /// <summary>
    /// Gets or sets the API name of the unique external-id field of Leads and Contacts that a new organization has when
    /// <see cref="ExternalIdFieldExists"/> is <see langword="true"/> (label <c>External Id</c>).
    /// </summary>
    /// <value>Defaults to <c>External_Id</c>.</value>
    public string ExternalIdField { get; set; } = "External_Id";

    /// <summary>
    /// Gets or sets whether Leads and Contacts start with the unique <see cref="ExternalIdField"/>, as if an admin had created
    /// it before. Without it a client creates its own field (<c>POST /crm/v8/settings/fields</c>), or an admin adds one
    /// (<see cref="ZohoSimulator.AddUniqueTextField"/>).
    /// </summary>
    /// <value>Defaults to <see langword="false"/>: a new organization has no external-id field.</value>
    public bool ExternalIdFieldExists { get; set; }

    /// <summary>
    /// Gets or sets whether the signed-in user's profile may customize Zoho CRM (the <c>Customize Zoho CRM</c> permission
    /// of the Administrator profile). Without it creating a field answers 403 <c>NO_PERMISSION</c>.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>: the simulated user is an administrator.</value>
    public bool UserCanCustomize { get; set; } = true;

    /// <summary>Gets or sets the API credits per rolling 24 hours.</summary>
    /// <value>Defaults to 50,000 (Standard edition base).</value>
    public long DailyCreditLimit { get; set; } = 50_000;

    /// <summary>Gets or sets the number of concurrent in-flight API calls allowed (per organisation and app).</summary>
    /// <value>Defaults to 10 (Standard edition).</value>
    public int ConcurrencyLimit { get; set; } = 10;

    /// <summary>Gets or sets an optional request-rate limit per <see cref="BurstWindow"/>; <see langword="null"/> disables it.</summary>
    /// <value>Defaults to <see langword="null"/>: Zoho documents concurrency, not rate, limits.</value>
    public int? BurstLimit { get; set; }

    /// <summary>Gets or sets the window of <see cref="BurstLimit"/>.</summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the search lag: records created less than this long ago are not found by search.</summary>
    /// <value>Defaults to <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan SearchLag { get; set; } = TimeSpan.Zero;
}
