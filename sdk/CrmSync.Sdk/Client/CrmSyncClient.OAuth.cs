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
        return oauth.BuildAuthorizeUri(new CrmOAuthAuthorizeRequest(state, challenge, redirectUri, stored.Datacenter));
    }

    /// <summary>Completes OAuth sign-in: checks the one-time <c>state</c>, exchanges the code with the PKCE verifier and stores the credentials encrypted.</summary>
    /// <param name="state">The <c>state</c> the CRM sent back.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connected connection.</returns>
    /// <exception cref="CrmValidationException">The state is unknown, already used or expired.</exception>
    public virtual async Task<CrmConnection> CompleteSignInAsync(string state, string code, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        var value = await _store.TakeValueAsync(OAuthScope, state, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ?? throw new CrmValidationException("Sign-in", [new("state", "The sign-in link is unknown, already used or expired. Start the sign-in again.")]);
        var pending = JsonSerializer.Deserialize<PendingSignIn>(Protector().Unprotect(value), CrmSyncJson.Options)!;
        var stored = await LoadAsync(pending.TenantId, pending.ConnectionId, cancellationToken).ConfigureAwait(false);
        var oauth = _providers.GetOAuth(stored.Provider)!;
        var result = await oauth.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, pending.Verifier, new Uri(pending.RedirectUri), stored.Datacenter), cancellationToken).ConfigureAwait(false);
        return await SetCredentialsAsync(pending.TenantId, pending.ConnectionId, result.Credentials, result.AccountLabel, cancellationToken).ConfigureAwait(false);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private IDataProtector Protector() => _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CrmSync.OAuthState.v1");

    private sealed record PendingSignIn(string TenantId, Guid ConnectionId, string Verifier, string RedirectUri);
}
