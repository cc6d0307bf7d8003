using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace CrmSync.Sdk;

/// <content>OAuth sign-in with <c>state</c> and PKCE.</content>
public partial class CrmSyncClient
{
    private const string OAuthScope = "crmsync:oauth-state";

    /// <summary>Starts OAuth sign-in for a connection: returns the CRM's authorize URL, with a one-time <c>state</c> and a PKCE challenge.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection (create it first to pick a datacenter).</param>
    /// <param name="redirectUri">Where the CRM sends the browser back.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The URL to send the browser to.</returns>
    public virtual async Task<Uri> BeginSignInAsync(string tenantId, Guid connectionId, Uri redirectUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var oauth = _providers.GetOAuth(stored.Provider)
            ?? throw new CrmValidationException("Sign-in", [new("Provider", $"Provider '{stored.Provider}' does not sign in with OAuth.")]);
        var state = Base64Url(RandomNumberGenerator.GetBytes(32));
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var pending = new PendingSignIn(tenantId, connectionId, verifier, redirectUri.ToString());
        var protectedPending = Protector().Protect(JsonSerializer.Serialize(pending, CrmSyncJson.Options));
        await _store.SetValueAsync(OAuthScope, state, protectedPending, _time.GetUtcNow().AddMinutes(15), cancellationToken).ConfigureAwait(false);
        return oauth.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest(state, challenge, redirectUri, stored.Datacenter)
        {
            // A connection that only fetches asks the CRM for read-only access.
            ReadOnly = stored.Settings.Direction == SyncDirection.Fetch,
        });
    }

    /// <summary>Completes OAuth sign-in: checks the one-time <c>state</c>, exchanges the code with the PKCE verifier and stores the credentials encrypted.</summary>
    /// <param name="state">The <c>state</c> the CRM sent back.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connected connection.</returns>
    /// <exception cref="CrmValidationException">The state is unknown, already used or expired.</exception>
    public virtual Task<CrmConnection> CompleteSignInAsync(string state, string code, CancellationToken cancellationToken = default) =>
        CompleteSignInAsync(state, code, new Dictionary<string, string>(), cancellationToken);

    /// <summary>
    /// Completes OAuth sign-in with every query parameter the CRM sent back. When the CRM says the account lives in another
    /// datacenter than the one chosen (Zoho's <c>location</c> and <c>accounts-server</c>), the sign-in completes there, the
    /// connection moves to that datacenter and <see cref="CrmConnection.SignInNotice"/> says so in plain words.
    /// </summary>
    /// <param name="state">The <c>state</c> the CRM sent back.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="callbackParameters">The other query parameters of the redirect.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connected connection.</returns>
    /// <exception cref="CrmValidationException">The state is unknown, already used or expired.</exception>
    public virtual async Task<CrmConnection> CompleteSignInAsync(string state, string code, IReadOnlyDictionary<string, string> callbackParameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callbackParameters);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var value = await _store.TakeValueAsync(OAuthScope, state, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw new CrmValidationException("Sign-in", [new("state", "The sign-in link is unknown, already used or expired. Start the sign-in again.")]);
        var pending = JsonSerializer.Deserialize<PendingSignIn>(Protector().Unprotect(value), CrmSyncJson.Options)!;
        var stored = await LoadAsync(pending.TenantId, pending.ConnectionId, cancellationToken).ConfigureAwait(false);
        var oauth = _providers.GetOAuth(stored.Provider)!;
        var exchange = new CrmOAuthCodeExchange(code, pending.Verifier, new Uri(pending.RedirectUri), stored.Datacenter) { CallbackParameters = callbackParameters };
        var result = await oauth.ExchangeCodeAsync(exchange, cancellationToken).ConfigureAwait(false);
        if (result.Datacenter is { } actual && !string.Equals(actual, stored.Datacenter, StringComparison.OrdinalIgnoreCase))
        {
            ValidateDatacenter(_providers.Get(stored.Provider), actual);
            await UpdateAsync(pending.TenantId, pending.ConnectionId, c => c with { Datacenter = actual }, cancellationToken).ConfigureAwait(false);
        }

        var connected = await SetCredentialsAsync(pending.TenantId, pending.ConnectionId, result.Credentials, result.AccountLabel, cancellationToken).ConfigureAwait(false);
        return connected with { SignInNotice = result.Notice };
    }

    /// <summary>
    /// Changes the datacenter of a connection that is not live (before sign-in, after a failed or abandoned sign-in, or when it
    /// needs reconnecting), so the next sign-in goes to the right region.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="connectionId">The connection.</param>
    /// <param name="datacenter">One of the provider's datacenters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="CrmValidationException">The datacenter is unknown, or the connection is live (disconnect it first).</exception>
    public virtual async Task<CrmConnection> ChangeDatacenterAsync(string tenantId, Guid connectionId, string datacenter, CancellationToken cancellationToken = default)
    {
        var stored = await LoadAsync(tenantId, connectionId, cancellationToken).ConfigureAwait(false);
        var provider = _providers.Get(stored.Provider);
        ValidateDatacenter(provider, datacenter);
        var live = stored.State.ConnectedAt is not null && stored.ProtectedCredentials is not null && stored.State.RevokedAt is null && stored.State.DisconnectedAt is null;
        if (live && !string.Equals(stored.Datacenter, datacenter, StringComparison.OrdinalIgnoreCase))
        {
            throw new CrmValidationException("Datacenter", [new("Datacenter", $"{provider.DisplayName} is connected in {stored.Datacenter}; disconnect it before moving it to another datacenter.")]);
        }

        var canonical = provider.Capabilities.Datacenters.First(d => string.Equals(d.Id, datacenter, StringComparison.OrdinalIgnoreCase)).Id;
        var updated = await UpdateAsync(tenantId, connectionId, c => c with { Datacenter = canonical }, cancellationToken).ConfigureAwait(false);
        return await ToViewAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private IDataProtector Protector() => _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CrmSync.OAuthState.v1");

    private sealed record PendingSignIn(string TenantId, Guid ConnectionId, string Verifier, string RedirectUri);
}
