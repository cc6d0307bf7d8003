using System.Globalization;
using System.Text;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.HubSpot;

/// <content>OAuth: authorize URL with state and PKCE, code exchange and refresh.</content>
public sealed partial class HubSpotCrmProvider
{
    /// <inheritdoc />
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = Options;
        var query = new StringBuilder("oauth/authorize");
        Append(query, '?', "client_id", options.ClientId);
        Append(query, '&', "redirect_uri", request.RedirectUri.ToString());
        Append(query, '&', "scope", request.ReadOnly ? options.ReadOnlyScopes : options.Scopes);
        if (!string.IsNullOrWhiteSpace(options.OptionalScopes))
        {
            Append(query, '&', "optional_scope", options.OptionalScopes);
        }
        Append(query, '&', "state", request.State);
        Append(query, '&', "code_challenge", request.CodeChallenge);
        Append(query, '&', "code_challenge_method", "S256");
        return new Uri(options.AuthorizeBaseAddress, query.ToString());
    }

    /// <inheritdoc />
    public async Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = Options;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["redirect_uri"] = request.RedirectUri.ToString(),
            ["code"] = request.Code,
            ["code_verifier"] = request.CodeVerifier,
        };
        var response = await TokenAsync(form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content?.AccessToken is null)
        {
            var body = ParseError(response.Error is ApiException api ? api.Content : null);
            throw new CrmRequestFailedException(
                $"HubSpot refused the sign-in ({body?.Status ?? "HTTP " + (StatusOf(response)).ToString(CultureInfo.InvariantCulture)}): {CrmHttpFailures.DescribeBody(body?.Message, [request.Code, request.CodeVerifier, options.ClientSecret])} {(IsClientRejected(body) ? "Check the HubSpot app's client id and secret." : "Start the sign-in again.")}",
                Name, StatusOf(response), CrmProblemType.PermissionDenied, body?.Status ?? body?.Category);
        }

        var credentials = ToCredentials(response.Content, null);
        var label = credentials.Properties.TryGetValue(HubIdProperty, out var hub) ? $"HubSpot portal {hub}" : null;
        return new CrmOAuthResult(credentials, label);
    }

    /// <inheritdoc />
    public async Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            throw new CrmAuthRevokedException("HubSpot rejected the saved access token and there is no refresh token. Reconnect HubSpot.", Name);
        }

        var options = Options;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["refresh_token"] = current.RefreshToken,
        };
        var response = await TokenAsync(form, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && response.Content?.AccessToken is not null)
        {
            var fresh = ToCredentials(response.Content, current);
            Remember(context.ConnectionId, fresh);
            return fresh;
        }

        var status = StatusOf(response);
        var body = ParseError(response.Error is ApiException error ? error.Content : null);
        if (status == 429 || status == 477 || CrmHttpFailures.IsTransientStatus(status))
        {
            throw ToException(response, context.ConnectionId);
        }

        if (status is 400 or 401)
        {
            throw new CrmAuthRevokedException(
                IsClientRejected(body)
                    ? "HubSpot no longer recognises this app's client id or secret. Check the HubSpot app settings, then reconnect HubSpot."
                    : "HubSpot refused to renew access: the app was uninstalled or its access was revoked. Reconnect HubSpot to resume syncing.",
                Name);
        }

        throw new CrmRequestFailedException($"HubSpot could not refresh the access token (HTTP {status}).", Name, status, CrmProblemType.Unknown, body?.Status ?? body?.Category);
    }

    /// <summary>
    /// Returns whether HubSpot refused the app's own credentials (<c>BAD_CLIENT_ID</c>, <c>BAD_CLIENT_SECRET</c>), as opposed to
    /// a revoked or unknown grant. HubSpot's token errors carry <c>status</c>, <c>message</c>, <c>correlationId</c> and
    /// <c>category</c>; the message decides when the status word is missing.
    /// </summary>
    private static bool IsClientRejected(HubSpotErrorBody? body) =>
        body?.Status is "BAD_CLIENT_ID" or "BAD_CLIENT_SECRET"
        || (body?.Message is { } message && (message.Contains("client id", StringComparison.OrdinalIgnoreCase) || message.Contains("client secret", StringComparison.OrdinalIgnoreCase)));

    private Task<IApiResponse<HubSpotTokenResponse>> TokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken) =>
        CrmProviderCall.SendOAuthAsync(this, ct => Api.TokenAsync(Options.TokenPath.TrimStart('/'), form, ct), cancellationToken);

    private CrmCredentials ToCredentials(HubSpotTokenResponse token, CrmCredentials? previous)
    {
        var properties = new Dictionary<string, string>(previous?.Properties ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (token.HubId is { } hubId)
        {
            properties[HubIdProperty] = Invariant(hubId);
        }

        return new CrmCredentials
        {
            AccessToken = token.AccessToken,
            RefreshToken = token.RefreshToken ?? previous?.RefreshToken,
            ExpiresAt = token.ExpiresIn is { } seconds ? _time.GetUtcNow().AddSeconds(seconds) : null,
            Properties = properties,
        };
    }

    private static void Append(StringBuilder builder, char separator, string name, string value) =>
        builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
}
