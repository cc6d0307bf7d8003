namespace CrmSync.Providers.Pipedrive.Simulator;

/// <summary>Options for <see cref="PipedriveSimulator"/>. Every property has a working default.</summary>
public sealed class PipedriveSimulatorOptions
{
    /// <summary>Gets or sets the clock used for token expiry, rate-limit windows and timestamps.</summary>
    /// <value>Defaults to <see langword="null"/>, which means <see cref="TimeProvider.System"/>.</value>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets or sets the API token accepted in the <c>x-api-token</c> header.</summary>
    /// <value>Defaults to <c>sim-pipedrive-api-token</c>.</value>
    public string ApiToken { get; set; } = "sim-pipedrive-api-token";

    /// <summary>Gets or sets the OAuth client id accepted by <c>/oauth/authorize</c> and <c>/oauth/token</c>.</summary>
    /// <value>Defaults to <c>sim-client-id</c>.</value>
    public string ClientId { get; set; } = "sim-client-id";

    /// <summary>Gets or sets the OAuth client secret.</summary>
    /// <value>Defaults to <c>sim-client-secret</c>.</value>
    public string ClientSecret { get; set; } = "sim-client-secret";

    /// <summary>
    /// Gets or sets the scopes the simulated app was given in Pipedrive's Developer Hub, space separated: every OAuth token
    /// holds them (Pipedrive's authorize URL takes no scope), the token response reports them in <c>scope</c>, and a call to an
    /// endpoint they do not cover gets 403 "Scope and URL mismatch". API tokens (<c>x-api-token</c>) hold every scope.
    /// </summary>
    /// <value>Defaults to <c>base contacts:full activities:full users:read</c>.</value>
    public string GrantedScopes { get; set; } = "base contacts:full activities:full users:read";

    /// <summary>Gets or sets the company sub-domain reported by <c>/api/v1/users/me</c>.</summary>
    /// <value>Defaults to <c>acme</c>.</value>
    public string CompanyDomain { get; set; } = "acme";

    /// <summary>Gets or sets the lifetime of OAuth access tokens.</summary>
    /// <value>Defaults to 3599 seconds, as Pipedrive reports in <c>expires_in</c>.</value>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(3599);

    /// <summary>Gets or sets how long an unused refresh token stays valid.</summary>
    /// <value>Defaults to 60 days.</value>
    public TimeSpan RefreshTokenIdleLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>Gets or sets the burst limit: requests per token per <see cref="BurstWindow"/>.</summary>
    /// <value>Defaults to 40 (Growth plan, API token).</value>
    public int BurstLimit { get; set; } = 40;

    /// <summary>Gets or sets the burst window.</summary>
    /// <value>Defaults to 2 seconds.</value>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the burst limit of search endpoints per <see cref="BurstWindow"/>.</summary>
    /// <value>Defaults to 10 on all plans.</value>
    public int SearchBurstLimit { get; set; } = 10;

    /// <summary>Gets or sets the daily token budget of the company; it resets at UTC midnight.</summary>
    /// <value>Defaults to 60,000 (30,000 × Growth multiplier 2 × 1 seat).</value>
    public long DailyTokenBudget { get; set; } = 60_000;

    /// <summary>
    /// Gets or sets whether answers carry <c>x-daily-ratelimit-token-limit</c> and <c>x-daily-ratelimit-token-remaining</c>.
    /// Pipedrive does not document them and does not always send them, so clients must work without them.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool SendDailyTokenHeaders { get; set; }

    /// <summary>Gets or sets the fair-usage limit of POST/PUT requests per API-token user per UTC day, reported in <c>x-daily-requests-left</c>.</summary>
    /// <value>Defaults to 10,000 (Pipedrive's documented fair usage).</value>
    public int DailyWriteRequests { get; set; } = 10_000;

    /// <summary>Gets or sets the <c>Retry-After</c> of a burst 429: Pipedrive's staff describe a 10-second penalty.</summary>
    /// <value>Defaults to 10 seconds.</value>
    public TimeSpan RateLimitPenalty { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many 429 answers within <see cref="AbuseWindow"/> trigger the HTML 403 block page.</summary>
    /// <value>Defaults to 10.</value>
    public int AbuseThreshold { get; set; } = 10;

    /// <summary>Gets or sets the window in which ignored 429 answers are counted.</summary>
    /// <value>Defaults to 60 seconds.</value>
    public TimeSpan AbuseWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how long the block page is served once triggered.</summary>
    /// <value>Defaults to 10 minutes.</value>
    public TimeSpan AbuseBlockDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the search lag: persons created less than this long ago are not found by search.</summary>
    /// <value>Defaults to <see cref="TimeSpan.Zero"/> (search is immediately consistent).</value>
    public TimeSpan SearchLag { get; set; } = TimeSpan.Zero;
}
