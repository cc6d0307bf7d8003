namespace CrmSync.Providers.HubSpot.Simulator;

/// <summary>
/// Options for <see cref="HubSpotSimulator.Start(HubSpotSimulatorOptions?)"/>.
/// </summary>
public sealed class HubSpotSimulatorOptions
{
    /// <summary>Gets or sets the clock used for token expiry, rate-limit windows, timestamps and search indexing lag.</summary>
    /// <value>The default is <see langword="null"/>, which means <see cref="System.TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the TCP port to listen on.</summary>
    /// <value>The default is <see langword="null"/>, which picks a free localhost port.</value>
    public int? Port { get; set; }

    /// <summary>Gets or sets the OAuth client id the simulator accepts.</summary>
    /// <value>The default is <c>crmsync-simulator-client</c>.</value>
    public string ClientId { get; set; } = "crmsync-simulator-client";

    /// <summary>Gets or sets the OAuth client secret the simulator accepts.</summary>
    /// <value>The default is <c>crmsync-simulator-secret</c>.</value>
    public string ClientSecret { get; set; } = "crmsync-simulator-secret";

    /// <summary>Gets the redirect URIs registered for the app.</summary>
    /// <value>The default is empty, which accepts any absolute <c>http</c> or <c>https</c> URI.</value>
    public IList<string> RedirectUris { get; } = new List<string>();

    /// <summary>Gets or sets the lifetime of issued access tokens; HubSpot sends it as <c>expires_in</c>.</summary>
    /// <value>The default is 1800 seconds.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(1800);

    /// <summary>Gets or sets the lifetime of an authorization code.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the portal (hub) id reported in token responses.</summary>
    /// <value>The default is <c>20260101</c>.</value>
    public long HubId { get; set; } = 20260101;

    /// <summary>Gets static private-app tokens (<c>pat-na1-…</c>) that never expire and are accepted besides OAuth tokens.</summary>
    /// <value>The default is empty.</value>
    public IList<string> PrivateAppTokens { get; } = new List<string>();

    /// <summary>
    /// Gets the scopes each private-app token was created with, keyed by token. Calls to an endpoint whose scope the token
    /// lacks get 403 <c>MISSING_SCOPES</c>, as OAuth tokens do.
    /// </summary>
    /// <value>The default is empty: a token in <see cref="PrivateAppTokens"/> without an entry holds every scope in <see cref="HubSpotSimulator.SupportedScopes"/>.</value>
    public IDictionary<string, IReadOnlyCollection<string>> PrivateAppTokenScopes { get; } = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);

    /// <summary>Gets or sets the maximum number of API calls in the rolling burst window (<c>TEN_SECONDLY_ROLLING</c>).</summary>
    /// <value>The default is 110, the public-app limit.</value>
    public int BurstLimit { get; set; } = 110;

    /// <summary>Gets or sets the length of the rolling burst window.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the maximum number of API calls per day of private-app tokens; the counter resets at midnight in <see cref="AccountTimeZone"/>. OAuth apps have no daily limit.</summary>
    /// <value>The default is 250,000.</value>
    public int DailyLimit { get; set; } = 250_000;

    /// <summary>
    /// Gets or sets the account's time zone: the daily limit of private-app tokens resets at midnight there, and
    /// <c>/account-info/v3/details</c> reports it.
    /// </summary>
    /// <value>The default is UTC.</value>
    public TimeZoneInfo AccountTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Gets or sets the maximum number of search requests per second (<c>SECONDLY</c>).</summary>
    /// <value>The default is 5.</value>
    public int SearchRequestsPerSecond { get; set; } = 5;

    /// <summary>Gets or sets the <c>Retry-After</c> value sent with 429 responses.</summary>
    /// <value>The default is <see langword="null"/>: like most real API responses, no <c>Retry-After</c> header is sent.</value>
    public TimeSpan? RateLimitRetryAfter { get; set; }

    /// <summary>Gets or sets how long a created or updated record stays invisible to search (eventual consistency).</summary>
    /// <value>The default is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan SearchIndexingLag { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets how long a request is held when a <see cref="HubSpotOutageKind.Timeout"/> outage is active.</summary>
    /// <value>The default is 100 seconds, the default <see cref="System.Net.Http.HttpClient.Timeout"/>.</value>
    public TimeSpan OutageTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets unique (<c>hasUniqueValue</c>) contact properties that exist from the start, for example <c>crm_sync_ext_id</c>.</summary>
    /// <value>The default is empty: clients must create their external-id property through the properties API.</value>
    public IList<string> PredefinedUniqueContactProperties { get; } = new List<string>();

    /// <summary>Gets the owners served by the owners API.</summary>
    /// <value>The default holds two active owners, ids <c>1001</c> and <c>1002</c>.</value>
    public IList<HubSpotSimulatorOwner> Owners { get; } = new List<HubSpotSimulatorOwner>
    {
        new("1001", "alex.owner@example.com", "Alex", "Owner", 9001),
        new("1002", "sam.seller@example.com", "Sam", "Seller", 9002),
    };
}
