namespace CrmSync.Sdk;

/// <summary>OAuth sign-in for a provider. CrmSync owns <c>state</c>, PKCE, storage and single-flight refresh; the provider owns the CRM's URLs and bodies.</summary>
public interface ICrmOAuthProvider
{
    /// <summary>Gets the provider name this OAuth flow belongs to.</summary>
    string Name { get; }

    /// <summary>Builds the CRM's authorize URL.</summary>
    /// <param name="request">State, PKCE challenge, redirect URI and datacenter.</param>
    /// <returns>The URL to send the browser to.</returns>
    Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request);

    /// <summary>Exchanges an authorization code for tokens.</summary>
    /// <param name="request">The code, the PKCE verifier, redirect URI and datacenter.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The credentials and the account label to show.</returns>
    Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default);

    /// <summary>Refreshes an access token. Throws <see cref="CrmAuthRevokedException"/> on <c>invalid_grant</c> or a revoked app.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="current">The current credentials.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new credentials.</returns>
    Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default);
}

/// <summary>What an authorize URL needs.</summary>
/// <param name="State">The opaque anti-forgery state.</param>
/// <param name="CodeChallenge">The PKCE S256 challenge.</param>
/// <param name="RedirectUri">Where the CRM sends the browser back.</param>
/// <param name="Datacenter">The datacenter chosen before sign-in, when the CRM has several.</param>
public sealed record CrmOAuthAuthorizeRequest(string State, string CodeChallenge, Uri RedirectUri, string? Datacenter)
{
    /// <summary>
    /// Gets whether the connection only reads from the CRM (direction Fetch), so the provider asks for read-only scopes.
    /// Defaults to <see langword="false"/>.
    /// </summary>
    public bool ReadOnly { get; init; }
}

/// <summary>What a code exchange needs.</summary>
/// <param name="Code">The authorization code.</param>
/// <param name="CodeVerifier">The PKCE verifier.</param>
/// <param name="RedirectUri">The redirect URI used for the authorize call.</param>
/// <param name="Datacenter">The datacenter chosen before sign-in.</param>
public sealed record CrmOAuthCodeExchange(string Code, string CodeVerifier, Uri RedirectUri, string? Datacenter)
{
    /// <summary>
    /// Gets the other query parameters the CRM sent back with the code (for example Zoho's <c>location</c> and
    /// <c>accounts-server</c>, which say where the account really lives). Defaults to none.
    /// </summary>
    public IReadOnlyDictionary<string, string> CallbackParameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>The outcome of a code exchange.</summary>
/// <param name="Credentials">The tokens.</param>
/// <param name="AccountLabel">The account to show on the connection card (for example the portal or org name).</param>
public sealed record CrmOAuthResult(CrmCredentials Credentials, string? AccountLabel)
{
    /// <summary>Gets the datacenter the account really lives in, when the CRM said it is not the one chosen before sign-in. Defaults to none.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Gets a plain sentence for the user about the sign-in (for example "Your Zoho account is in Europe; we switched to zoho.eu."). Defaults to none.</summary>
    public string? Notice { get; init; }
}
