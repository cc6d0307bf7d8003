using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Salesforce;

/// <content>OAuth web-server flow with state and PKCE, code exchange and refresh.</content>
public sealed partial class SalesforceCrmProvider
{
    /// <inheritdoc />
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = Options;
        var query = new StringBuilder("services/oauth2/authorize?response_type=code");
        Append(query, "client_id", options.ClientId);
        Append(query, "redirect_uri", request.RedirectUri.ToString());
        Append(query, "scope", options.Scopes);
        Append(query, "state", request.State);
        Append(query, "code_challenge", request.CodeChallenge);
        Append(query, "code_challenge_method", "S256");
        return new Uri(options.LoginBaseAddress, query.ToString());
    }

    /// <inheritdoc />
    public async Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = Options;
        var response = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = request.Code,
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["redirect_uri"] = request.RedirectUri.ToString(),
            ["code_verifier"] = request.CodeVerifier,
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content is not { AccessToken: not null, InstanceUrl: not null } token)
        {
            var error = ParseError(response.Error is ApiException api ? api.Content : null);
            throw new CrmRequestFailedException(
                $"Salesforce refused the sign-in ({error?.Error ?? "HTTP " + StatusOf(response)}): {CrmHttpFailures.DescribeBody(error?.ErrorDescription, [request.Code, request.CodeVerifier, options.ClientSecret])} Start the sign-in again.",
                Name, StatusOf(response), CrmProblemType.PermissionDenied, error?.Error);
        }

        var label = Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instance) ? instance.Host : null;
        return new CrmOAuthResult(new CrmCredentials { AccessToken = token.AccessToken, RefreshToken = token.RefreshToken, InstanceUrl = token.InstanceUrl }, label);
    }

    /// <inheritdoc />
    public async Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            throw new CrmAuthRevokedException("Salesforce ended the session and there is no refresh token. Reconnect Salesforce.", Name);
        }

        var options = Options;
        var response = await TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken,
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
        }, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Content is { AccessToken: not null } token)
        {
            // Salesforce rotates the refresh token only when the org enables rotation; otherwise keep the current one.
            return current with { AccessToken = token.AccessToken, RefreshToken = token.RefreshToken ?? current.RefreshToken, InstanceUrl = token.InstanceUrl ?? current.InstanceUrl, ExpiresAt = null };
        }

        var status = StatusOf(response);
        if (CrmHttpFailures.IsTransientStatus(status))
        {
            throw CrmHttpFailures.Unavailable(status, Name, DisplayName);
        }

        var error = ParseError(response.Error is ApiException api ? api.Content : null);
        if (error?.Error is "invalid_grant" or "invalid_client" || status is 400 or 401)
        {
            if (error?.Error == "invalid_client")
            {
                throw new CrmAuthRevokedException("Salesforce no longer recognises this app's consumer key or secret. Check the connected app, then reconnect Salesforce.", Name);
            }

            // Salesforce answers "expired access/refresh token" when the refresh token expired under the org's policy (and also
            // when an admin revoked it: the answer does not tell them apart). Say what Salesforce said: the sign-in expired.
            var expired = error?.ErrorDescription?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true;
            throw new CrmAuthRevokedException(
                expired
                    ? "Salesforce says the saved sign-in expired (the refresh token expired or was revoked). Reconnect Salesforce to resume syncing."
                    : "Salesforce refused to renew access: the app's access was revoked. Reconnect Salesforce to resume syncing.",
                Name,
                credentialsExpired: expired);
        }

        throw new CrmRequestFailedException($"Salesforce could not refresh the session (HTTP {status}).", Name, status, CrmProblemType.Unknown, error?.Error);
    }

    private Task<Refit.IApiResponse<SalesforceTokenResponse>> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken) =>
        CrmProviderCall.SendOAuthAsync(this, ct => Api.TokenAsync(form, ct), cancellationToken);

    private static void Append(StringBuilder builder, string name, string value) =>
        builder.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
}
