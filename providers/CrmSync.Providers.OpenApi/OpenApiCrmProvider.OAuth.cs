using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CrmSync.Providers.OpenApi.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;

namespace CrmSync.Providers.OpenApi;

/// <content>Sign-in: authorization code with PKCE and refresh, and client-credentials app tokens.</content>
public sealed partial class OpenApiCrmProvider
{
    private Uri TokenUrl => _options.TokenUrl ?? Profile.Auth.TokenUrl ?? throw new InvalidOperationException($"The {DisplayName} profile has no token endpoint.");

    /// <inheritdoc />
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorize = _options.AuthorizeUrl ?? Profile.Auth.AuthorizeUrl ?? throw new InvalidOperationException($"The {DisplayName} profile does not sign in with an authorization code.");
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = _options.ClientId ?? string.Empty,
            ["redirect_uri"] = request.RedirectUri.ToString(),
            ["state"] = request.State,
            ["code_challenge"] = request.CodeChallenge,
            ["code_challenge_method"] = "S256",
        };
        if (Profile.Auth.Scopes.Count > 0)
        {
            query["scope"] = string.Join(' ', Profile.Auth.Scopes);
        }

        var separator = authorize.Query.Length > 0 ? "&" : "?";
        return new Uri(authorize + separator + string.Join('&', query.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
    }

    /// <inheritdoc />
    public async Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = await TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = request.Code,
            ["redirect_uri"] = request.RedirectUri.ToString(),
            ["code_verifier"] = request.CodeVerifier,
        }, "sign in", cancellationToken).ConfigureAwait(false);
        return new CrmOAuthResult(credentials, DisplayName);
    }

    /// <inheritdoc />
    public Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            throw new CrmAuthRevokedException($"{DisplayName} needs you to sign in again: there is no refresh token. Reconnect to restore syncing.", Name);
        }

        return RefreshCoreAsync(current, cancellationToken);
    }

    private async Task<CrmCredentials> RefreshCoreAsync(CrmCredentials current, CancellationToken cancellationToken)
    {
        var fresh = await TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken!,
        }, "refresh the sign-in", cancellationToken).ConfigureAwait(false);
        return fresh with { Properties = current.Properties, RefreshToken = fresh.RefreshToken ?? current.RefreshToken };
    }

    /// <summary>Returns the app token of the host's client credentials, fetching a new one when it is missing, expiring, or the one the CRM just rejected.</summary>
    private async Task<string> GetAppTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_appToken is { } cached && cached.Token != rejected && cached.ExpiresAt - _options.TokenRefreshMargin > now)
        {
            return cached.Token;
        }

        await _appTokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = _time.GetUtcNow();
            if (_appToken is { } again && again.Token != rejected && again.ExpiresAt - _options.TokenRefreshMargin > now)
            {
                return again.Token;
            }

            var fresh = await TokenRequestAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, "issue an app token", cancellationToken).ConfigureAwait(false);
            _appToken = (fresh.AccessToken!, fresh.ExpiresAt ?? now.AddHours(1));
            Log.AppTokenIssued(_logger, Name);
            return fresh.AccessToken!;
        }
        finally
        {
            _appTokenGate.Release();
        }
    }

    private async Task<CrmCredentials> TokenRequestAsync(Dictionary<string, string> form, string what, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.ClientId) || string.IsNullOrEmpty(_options.ClientSecret))
        {
            throw new CrmAuthRevokedException($"The host has no {DisplayName} app credentials (client id and secret), so it cannot {what}.", Name);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, TokenUrl);
        if (Profile.Auth.ClientSecretBasic)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_options.ClientId + ":" + _options.ClientSecret)));
        }
        else
        {
            form["client_id"] = _options.ClientId;
            form["client_secret"] = _options.ClientSecret;
        }

        if (Profile.Auth.Scopes.Count > 0 && form["grant_type"] == "client_credentials")
        {
            form["scope"] = string.Join(' ', Profile.Auth.Scopes);
        }

        message.Content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await _httpClients.CreateClient(OAuthClientName(Name)).SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, Name, DisplayName);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (CrmHttpFailures.IsTransientStatus(status) || status == 429)
            {
                throw CrmHttpFailures.Unavailable(status, Name, DisplayName, CrmHttpHeaders.GetRetryAfter(response.Headers, _time.GetUtcNow()));
            }

            string? error = null;
            JsonElement root = default;
            try
            {
                using var json = JsonDocument.Parse(text);
                root = json.RootElement.Clone();
                error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            }
            catch (JsonException)
            {
                error = response.IsSuccessStatusCode ? "invalid_response" : null;
            }

            if (!response.IsSuccessStatusCode || error is not null || root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var token) || token.GetString() is not { Length: > 0 } accessToken)
            {
                if (status is 400 or 401 or 403 && error is "invalid_grant" or "invalid_client" or "unauthorized_client" or "access_denied" or null)
                {
                    throw new CrmAuthRevokedException($"{DisplayName} refused to {what} ({error ?? "HTTP " + status}). Reconnect to restore syncing.", Name);
                }

                throw new CrmRequestFailedException($"{DisplayName} could not {what}: {error ?? "HTTP " + status}.", Name, status, CrmProblemType.Unknown);
            }

            var expiresIn = root.TryGetProperty("expires_in", out var e2) && e2.TryGetInt32(out var seconds) ? seconds : (int?)null;
            var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
            return new CrmCredentials
            {
                AccessToken = accessToken,
                RefreshToken = refresh,
                ExpiresAt = expiresIn is { } s ? _time.GetUtcNow().AddSeconds(s) : null,
            };
        }
    }
}
