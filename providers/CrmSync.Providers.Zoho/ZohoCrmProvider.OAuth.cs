using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace CrmSync.Providers.Zoho;

/// <content>OAuth against the accounts server of the connection's datacenter.</content>
public sealed partial class ZohoCrmProvider
{
    /// <inheritdoc />
    /// <remarks>The sign-in goes to the accounts server of the datacenter picked before sign-in (<c>accounts.zoho.eu</c> for Europe…).</remarks>
    public Uri BuildAuthorizeUri(CrmOAuthAuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accounts = GetDataCenter(request.Datacenter).AccountsBaseAddress;
        var query = string.Join('&',
            "scope=" + Uri.EscapeDataString(request.ReadOnly ? _options.ReadOnlyScopes : _options.Scopes),
            "client_id=" + Uri.EscapeDataString(_options.ClientId),
            "response_type=code",
            "access_type=offline",
            "prompt=consent",
            "redirect_uri=" + Uri.EscapeDataString(request.RedirectUri.ToString()),
            "state=" + Uri.EscapeDataString(request.State));
        return Append(accounts, "/oauth/v2/auth?" + query);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Zoho redirects back with <c>location</c> and <c>accounts-server</c>: where the account really lives. When that is not the
    /// datacenter picked before sign-in, the code is exchanged at that accounts server (only ever one of the configured
    /// datacenters: the client secret never goes anywhere else), and the result moves the connection there with a plain notice.
    /// </remarks>
    public async Task<CrmOAuthResult> ExchangeCodeAsync(CrmOAuthCodeExchange request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chosen = string.IsNullOrWhiteSpace(request.Datacenter) ? _options.DefaultDataCenter : request.Datacenter;
        var actual = ResolveReturnedDataCenter(request.CallbackParameters) ?? chosen;
        request = request with { Datacenter = actual };
        var credentials = await RequestTokenAsync(request.Datacenter, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret,
            ["redirect_uri"] = request.RedirectUri.ToString(),
            ["code"] = request.Code,
        }, null, cancellationToken).ConfigureAwait(false);

        var region = GetDataCenter(request.Datacenter).DisplayName;
        string label = $"Zoho CRM ({region})";
        try
        {
            using var me = await Api.GetCurrentUserAsync(AuthorizationOf(credentials), GetApiBaseUri(request.Datacenter, credentials), cancellationToken).ConfigureAwait(false);
            if (me.IsSuccessStatusCode && me.Content?.Users is [{ } user, ..])
            {
                label = $"{user.Email ?? user.FullName} (Zoho CRM, {region})";
            }
        }
        catch (Exception ex) when (CrmHttpFailures.IsTransportFailure(ex, cancellationToken) || ex is ApiRequestException)
        {
            // The label is cosmetic; the connection works without it.
        }

        var moved = !string.Equals(actual, chosen, StringComparison.OrdinalIgnoreCase);
        return new CrmOAuthResult(credentials, label)
        {
            Datacenter = moved ? actual : null,
            Notice = moved ? $"Your Zoho account is in {region}; we switched to {ZohoDomainOf(GetDataCenter(actual))}." : null,
        };
    }

    /// <summary>Finds the configured datacenter of the <c>accounts-server</c> (or, without one, the <c>location</c>) Zoho sent back.</summary>
    /// <exception cref="CrmValidationException">Zoho named an accounts server that is not one of the configured datacenters.</exception>
    private string? ResolveReturnedDataCenter(IReadOnlyDictionary<string, string> callback)
    {
        if (callback.TryGetValue("accounts-server", out var server) && !string.IsNullOrWhiteSpace(server))
        {
            var match = _options.DataCenters.FirstOrDefault(d => SameServer(d.Value.AccountsBaseAddress, server));
            return match.Key ?? throw new CrmValidationException("Sign-in", [new("accounts-server",
                $"Zoho sent the sign-in back from {server}, which is not one of the configured Zoho datacenters ({string.Join(", ", _options.DataCenters.Keys)}). Add that datacenter to ZohoOptions.DataCenters, or choose the datacenter of your Zoho account and connect again.")]);
        }

        return callback.TryGetValue("location", out var location) && _options.DataCenters.ContainsKey(location) ? location.ToLowerInvariant() : null;
    }

    private static bool SameServer(Uri configured, string returned) =>
        Uri.TryCreate(returned.TrimEnd('/'), UriKind.Absolute, out var uri)
        && string.Equals(configured.GetLeftPart(UriPartial.Path).TrimEnd('/'), uri.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The region's domain users recognise (<c>zoho.eu</c>), from its web app's host.</summary>
    private static string ZohoDomainOf(ZohoDataCenterEndpoints endpoints)
    {
        var host = endpoints.AppBaseAddress.AbsolutePath.Trim('/') is { Length: > 0 } prefixed && prefixed.StartsWith("crm.", StringComparison.Ordinal)
            ? prefixed
            : endpoints.AppBaseAddress.Host;
        return host.StartsWith("crm.", StringComparison.Ordinal) ? host["crm.".Length..] : host;
    }

    /// <inheritdoc />
    public Task<CrmCredentials> RefreshAsync(CrmProviderContext context, CrmCredentials current, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(current);
        if (string.IsNullOrEmpty(current.RefreshToken))
        {
            throw new CrmAuthRevokedException("Zoho CRM has no refresh token for this connection. Reconnect to restore syncing.", Name);
        }

        return RequestTokenAsync(context.Datacenter, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret,
            ["refresh_token"] = current.RefreshToken,
        }, current, cancellationToken);
    }

    private async Task<CrmCredentials> RequestTokenAsync(string? datacenter, Dictionary<string, string> form, CrmCredentials? current, CancellationToken cancellationToken)
    {
        var accounts = GetDataCenter(datacenter).AccountsBaseAddress;
        var secrets = new[] { _options.ClientSecret, form.GetValueOrDefault("code"), form.GetValueOrDefault("refresh_token") };
        var response = await CrmProviderCall.SendOAuthAsync(this, ct => _accountsClients.Create().TokenAsync(form, accounts, ct), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var status = (int?)response.StatusCode ?? 0;
            var token = response.Content ?? ReadToken((response.Error as ApiException)?.Content);
            if (response.IsSuccessStatusCode && token is { AccessToken.Length: > 0 })
            {
                return new CrmCredentials
                {
                    AccessToken = token.AccessToken,
                    RefreshToken = token.RefreshToken ?? current?.RefreshToken,
                    ExpiresAt = _time.GetUtcNow().AddSeconds(token.ExpiresIn is > 0 and var seconds ? seconds : 3600),
                    InstanceUrl = token.ApiDomain ?? current?.InstanceUrl,
                    Properties = new Dictionary<string, string> { ["datacenter"] = string.IsNullOrWhiteSpace(datacenter) ? _options.DefaultDataCenter : datacenter },
                };
            }

            if (CrmHttpFailures.IsTransientStatus(status))
            {
                throw CrmHttpFailures.Unavailable(status, Name, DisplayName, CrmHttpHeaders.GetRetryAfter(response.Headers, _time.GetUtcNow()));
            }

            var error = token?.Error;
            Log.RefreshRefused(_logger, CrmHttpFailures.DescribeBody(error ?? (response.Error as ApiException)?.Content, secrets));
            switch (error)
            {
                case "invalid_code":
                case "invalid_grant":
                    throw new CrmAuthRevokedException(
                        current is null
                            ? "Zoho CRM did not accept the sign-in code (it expired or was already used). Sign in again."
                            : "Zoho CRM refused to renew the sign-in: the access was revoked (or Zoho deleted the oldest of more than 20 sign-ins). Reconnect to restore syncing.",
                        Name);
                case "invalid_client":
                    throw new CrmAuthRevokedException(
                        $"Zoho CRM ({GetDataCenter(datacenter).DisplayName}) did not recognise this app. Your Zoho account may be in another region: choose your Zoho datacenter and connect again.",
                        Name);
                case "Access Denied":
                    throw new CrmRateLimitedException("Zoho Accounts limits how often a token can be renewed; CrmSync tries again in a few minutes.", Name, TimeSpan.FromMinutes(5), policyName: "TOKEN_REFRESH");
                default:
                    throw new CrmRequestFailedException($"Zoho Accounts answered HTTP {status}: {CrmHttpFailures.DescribeBody(error ?? (response.Error as ApiException)?.Content, secrets)}", Name, status, CrmProblemType.Unknown, error);
            }
        }
    }

    private static ZohoTokenResponse? ReadToken(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ZohoTokenResponse>(body, ZohoJson.Options);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
