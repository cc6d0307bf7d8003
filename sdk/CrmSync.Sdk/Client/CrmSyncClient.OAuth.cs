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
    private const string InstallScope = "crmsync:pending-install";

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
    /// Completes OAuth sign-in for the signed-in user's tenant: like <see cref="CompleteSignInAsync(string, string, IReadOnlyDictionary{string, string}, CancellationToken)"/>,
    /// and refuses a <c>state</c> that another tenant began, so a sign-in link cannot connect someone else's workspace.
    /// Hosts with a signed-in user should prefer this overload.
    /// </summary>
    /// <param name="tenantId">The signed-in user's tenant.</param>
    /// <param name="state">The <c>state</c> the CRM sent back.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="callbackParameters">The other query parameters of the redirect.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connected connection.</returns>
    /// <exception cref="CrmValidationException">The state is unknown, already used, expired or began in another tenant.</exception>
    public virtual async Task<CrmConnection> CompleteSignInAsync(string tenantId, string state, string code, IReadOnlyDictionary<string, string> callbackParameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        var value = await _store.GetValueAsync(OAuthScope, state, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (value is not null && !string.Equals(JsonSerializer.Deserialize<PendingSignIn>(Protector().Unprotect(value), CrmSyncJson.Options)!.TenantId, tenantId, StringComparison.Ordinal))
        {
            // Used up, so the link cannot be tried again elsewhere; the tenant that began it starts a new sign-in.
            await _store.TakeValueAsync(OAuthScope, state, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            throw new CrmValidationException("Sign-in", [new("state", "This sign-in was started in another workspace. Start the sign-in again from this workspace's Integrations page.")]);
        }

        return await CompleteSignInAsync(state, code, callbackParameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts an install that the CRM began in its own marketplace and sent back with a code but no <c>state</c> (only for
    /// providers with <see cref="CrmProviderCapabilities.InstallsWithoutState"/>, such as Pipedrive). The code is exchanged at
    /// once (codes are short-lived and single-use) and the tokens are held, encrypted, for 15 minutes for the signed-in user's
    /// tenant only; nothing is connected until that user confirms with <see cref="ConfirmInstallAsync"/>, after seeing which
    /// CRM account it is. The tenant is never guessed from the request.
    /// </summary>
    /// <param name="tenantId">The signed-in user's tenant.</param>
    /// <param name="provider">The provider whose marketplace sent the install.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="redirectUri">The redirect URI registered with the CRM (the callback that received the code).</param>
    /// <param name="callbackParameters">The other query parameters of the redirect.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The install waiting for confirmation.</returns>
    /// <exception cref="CrmValidationException">The provider does not install without state, or a value is missing.</exception>
    public virtual async Task<CrmPendingInstall> BeginInstallAsync(string tenantId, string provider, string code, Uri redirectUri, IReadOnlyDictionary<string, string>? callbackParameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(redirectUri);
        var crm = _providers.Get(provider);
        if (!crm.Capabilities.InstallsWithoutState || _providers.GetOAuth(crm.Name) is not { } oauth)
        {
            throw new CrmValidationException("Install", [new("state", $"{crm.DisplayName} sign-ins must start from {_options.CurrentValue.ProductName}: the sign-in came back without the state CrmSync issued. Start it again from the Integrations page.")]);
        }

        if (string.IsNullOrWhiteSpace(code))
        {
            throw new CrmValidationException("Install", [new("code", $"{crm.DisplayName} did not send an authorization code. Start the install again.")]);
        }

        var result = await oauth.ExchangeCodeAsync(new CrmOAuthCodeExchange(code, string.Empty, redirectUri, null) { CallbackParameters = callbackParameters ?? new Dictionary<string, string>() }, cancellationToken).ConfigureAwait(false);
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expiresAt = _time.GetUtcNow().AddMinutes(15);
        var pending = new PendingInstall(tenantId, crm.Name, result.AccountLabel, result.Credentials, result.Datacenter);
        await _store.SetValueAsync(InstallScope, id, InstallProtector().Protect(JsonSerializer.Serialize(pending, CrmSyncJson.Options)), expiresAt, cancellationToken).ConfigureAwait(false);
        return new CrmPendingInstall(id, crm.Name, crm.DisplayName, result.AccountLabel, expiresAt);
    }

    /// <summary>Gets an install waiting for confirmation, so the confirmation page can say which CRM account it is.</summary>
    /// <param name="tenantId">The signed-in user's tenant.</param>
    /// <param name="installId">The id <see cref="BeginInstallAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The install, or <see langword="null"/> when it is unknown, expired, already decided or another tenant's.</returns>
    public virtual async Task<CrmPendingInstall?> GetPendingInstallAsync(string tenantId, string installId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        if (string.IsNullOrWhiteSpace(installId) || await _store.GetValueAsync(InstallScope, installId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false) is not { } value)
        {
            return null;
        }

        var pending = JsonSerializer.Deserialize<PendingInstall>(InstallProtector().Unprotect(value), CrmSyncJson.Options)!;
        return string.Equals(pending.TenantId, tenantId, StringComparison.Ordinal)
            ? new CrmPendingInstall(installId, pending.Provider, _providers.Get(pending.Provider).DisplayName, pending.AccountLabel, null)
            : null;
    }

    /// <summary>
    /// Confirms or declines an install begun by <see cref="BeginInstallAsync"/>. Confirming connects the tenant's connection
    /// to that CRM account: the one already signed in to the same account, else the newest one not connected, else a new one
    /// (which then asks for a starting point like any first connect).
    /// </summary>
    /// <param name="tenantId">The signed-in user's tenant; must be the tenant that began the install.</param>
    /// <param name="installId">The id <see cref="BeginInstallAsync"/> returned.</param>
    /// <param name="confirm"><see langword="true"/> to connect; <see langword="false"/> to discard the tokens.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connected connection, or <see langword="null"/> when declined.</returns>
    /// <exception cref="CrmValidationException">The install is unknown, expired, already decided or another tenant's.</exception>
    public virtual async Task<CrmConnection?> ConfirmInstallAsync(string tenantId, string installId, bool confirm = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        var value = string.IsNullOrWhiteSpace(installId) ? null : await _store.TakeValueAsync(InstallScope, installId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var pending = value is null ? null : JsonSerializer.Deserialize<PendingInstall>(InstallProtector().Unprotect(value), CrmSyncJson.Options);
        if (pending is null || !string.Equals(pending.TenantId, tenantId, StringComparison.Ordinal))
        {
            throw new CrmValidationException("Install", [new("installId", "This install is unknown, already finished or expired (installs wait 15 minutes). Install the app again from the CRM's marketplace.")]);
        }

        if (!confirm)
        {
            return null;
        }

        var existing = (await _store.GetConnectionsAsync(tenantId, cancellationToken).ConfigureAwait(false))
            .Where(c => string.Equals(c.Provider, pending.Provider, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var target = existing.LastOrDefault(c => pending.AccountLabel is not null && string.Equals(c.AccountLabel, pending.AccountLabel, StringComparison.Ordinal))
            ?? existing.LastOrDefault(c => c.State.ConnectedAt is null || c.ProtectedCredentials is null || c.State.RevokedAt is not null || c.State.DisconnectedAt is not null);
        var connectionId = target?.Id ?? (await CreateConnectionAsync(tenantId, pending.Provider, pending.Datacenter, cancellationToken: cancellationToken).ConfigureAwait(false)).Id;
        return await SetCredentialsAsync(tenantId, connectionId, pending.Credentials, pending.AccountLabel, cancellationToken).ConfigureAwait(false);
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

    private IDataProtector InstallProtector() => _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("CrmSync.PendingInstall.v1");

    private sealed record PendingSignIn(string TenantId, Guid ConnectionId, string Verifier, string RedirectUri);

    private sealed record PendingInstall(string TenantId, string Provider, string? AccountLabel, CrmCredentials Credentials, string? Datacenter);
}
