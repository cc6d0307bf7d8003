using System.Net;
using System.Text;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace CrmSync.Providers.Pipedrive;

/// <content>OAuth: authorize URL, code exchange (which also yields the company's <c>api_domain</c>) and refresh.</content>
public sealed partial class PipedriveCrmProvider
{
    /// <inheritdoc />
    /// <remarks>Pipedrive does not support PKCE; CrmSync's one-time <c>state</c> still protects the round trip.</remarks>
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientId = RequireClientId();
        var query = $"client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(request.RedirectUri.ToString())}&state={Uri.EscapeDataString(request.State)}";
        return new Uri(_options.OAuthBaseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/oauth/authorize?" + query);
    }

    /// <summary>Gets the token endpoint codes and refresh tokens are sent to.</summary>
    public Uri TokenUri => new(_options.OAuthBaseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/oauth/token");

    /// <inheritdoc />
    public async Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = await RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = request.Code,
            ["redirect_uri"] = request.RedirectUri.ToString(),
        }, null, cancellationToken).ConfigureAwait(false);

        // The account label: the company behind the api_domain.
        string? label = null;
        try
        {
            var baseAddress = credentials.InstanceUrl is { } domain ? new Uri(domain) : _options.ApiBaseAddress;
            using var me = await Api.GetCurrentUserAsync(AuthHeaders(credentials), baseAddress, cancellationToken).ConfigureAwait(false);
            if (me.IsSuccessStatusCode && me.Content?.Data is { } user)
            {
                label = user.CompanyName is { Length: > 0 } company
                    ? (user.CompanyDomain is { Length: > 0 } sub ? $"{company} ({sub}.pipedrive.com)" : company)
                    : user.Email;
            }
        }
        catch (Exception ex) when (CrmHttpFailures.IsTransportFailure(ex, cancellationToken) || ex is ApiRequestException)
        {
            // The label is cosmetic; the connection works without it.
        }

        return new CrmOAuthResult(credentials, label);
    }

    /// <inheritdoc />
    public Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            throw new CrmAuthRevokedException("Pipedrive rejected the saved API token. Enter a valid token or Reconnect to restore syncing.", Name);
        }

        return RequestTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = current.RefreshToken,
        }, current, cancellationToken);
    }

    private string RequireClientId() =>
        string.IsNullOrWhiteSpace(_options.ClientId)
            ? throw new InvalidOperationException("Pipedrive OAuth is not configured: set PipedriveOptions.ClientId and ClientSecret, or connect with an API token.")
            : _options.ClientId;

    private async Task<CrmCredentials> RequestTokenAsync(Dictionary<string, string> form, CrmCredentials? current, CancellationToken cancellationToken)
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{RequireClientId()}:{_options.ClientSecret}"));
        var secrets = new[] { _options.ClientSecret, form.GetValueOrDefault("code"), form.GetValueOrDefault("refresh_token") };
        var response = await CrmProviderCall.SendOAuthAsync(this, ct => _oauthClients.Create().TokenAsync(form, basic, ct), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var status = (int?)response.StatusCode ?? 0;
            if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0 } token)
            {
                return new CrmCredentials
                {
                    AccessToken = token.AccessToken,
                    RefreshToken = token.RefreshToken ?? current?.RefreshToken,
                    ExpiresAt = token.ExpiresIn is > 0 and var seconds ? _time.GetUtcNow().AddSeconds(seconds) : null,
                    InstanceUrl = token.ApiDomain ?? current?.InstanceUrl,
                    Properties = token.Scope is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["scope"] = token.Scope },
                };
            }

            if (CrmHttpFailures.IsTransientStatus(status) || status == 429)
            {
                throw status == 429
                    ? new CrmRateLimitedException("Pipedrive's sign-in server is throttling token requests; CrmSync retries shortly.", Name, CrmHttpHeaders.GetRetryAfter(response.Headers, _time.GetUtcNow()) ?? TimeSpan.FromSeconds(30))
                    : CrmHttpFailures.Unavailable(status, Name, DisplayName, CrmHttpHeaders.GetRetryAfter(response.Headers, _time.GetUtcNow()));
            }

            var body = CrmHttpFailures.DescribeBody((response.Error as ApiException)?.Content, secrets);
            var error = ReadOAuthError((response.Error as ApiException)?.Content);
            if (error is "invalid_grant" or "invalid_client" or "unauthorized_client" || response.StatusCode is HttpStatusCode.Unauthorized)
            {
                var reason = error == "invalid_grant"
                    ? "Pipedrive refused to renew the sign-in (the app was uninstalled or the access was revoked). Reconnect to restore syncing."
                    : "Pipedrive refused this app's client credentials. Check the Pipedrive app settings, then Reconnect.";
                Log.RefreshRefused(_logger, body);
                throw new CrmAuthRevokedException(reason, Name);
            }

            throw new CrmRequestFailedException($"Pipedrive's token endpoint answered HTTP {status}: {body}", Name, status, CrmProblemType.Unknown, error);
        }
    }

    private static string? ReadOAuthError(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
