using System.Net;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Zoho.Simulator;

public sealed partial class ZohoSimulator
{
    private static readonly TimeSpan MintWindow = TimeSpan.FromMinutes(10);

    /// <summary>GET {accounts}/oauth/v2/auth: consent page whose link redirects with code, location and accounts-server.</summary>
    private ResponseMessage Authorize(IRequestMessage request, ZohoDataCenter dc)
    {
        var query = SimulatorHttp.Query(request);
        query.TryGetValue("client_id", out var clientId);
        query.TryGetValue("redirect_uri", out var redirectUri);
        query.TryGetValue("state", out var state);
        query.TryGetValue("response_type", out var responseType);
        var scope = query.TryGetValue("scope", out var s) && s.Length > 0 ? s : "ZohoCRM.modules.ALL";
        if (!string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            return SimulatorHttp.Text(400, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Invalid Client</h1><p>invalid_client</p></body></html>");
        }

        if (responseType != "code" || string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return SimulatorHttp.Text(400, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Invalid Redirect Uri</h1></body></html>");
        }

        // The organisation lives in one data centre; the redirect tells the client which accounts server to use.
        var home = _options.OrganizationDataCenter;
        var code = NewTokenValue();
        _codes[code] = new CodeGrant(AdminUserId, home, redirectUri, scope, Now + TimeSpan.FromMinutes(2));
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var stateSuffix = state is null ? string.Empty : "&state=" + Uri.EscapeDataString(state);
        var accountsServer = GetAccountsServer(home).ToString().TrimEnd('/');
        var allow = redirectUri + separator + "code=" + Uri.EscapeDataString(code) + "&location=" + ZohoDomains.Location(home)
            + "&accounts-server=" + Uri.EscapeDataString(accountsServer) + stateSuffix;
        var deny = redirectUri + separator + "error=access_denied" + stateSuffix;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><title>Zoho Accounts simulator: consent</title></head>
            <body>
            <h1>{WebUtility.HtmlEncode(ZohoDomains.AccountsHost(dc))}</h1>
            <p>The client <strong>{WebUtility.HtmlEncode(clientId)}</strong> would like to access: {WebUtility.HtmlEncode(scope)}</p>
            <p><a id="accept" href="{WebUtility.HtmlEncode(allow)}">Accept</a></p>
            <p><a id="reject" href="{WebUtility.HtmlEncode(deny)}">Reject</a></p>
            </body>
            </html>
            """;
        return SimulatorHttp.Text(200, "text/html; charset=utf-8", html);
    }

    /// <summary>POST {accounts}/oauth/v2/token. Parameters may come in the query string or the form body.</summary>
    private ResponseMessage IssueToken(IRequestMessage request, ZohoDataCenter dc)
    {
        var parameters = SimulatorHttp.Query(request);
        foreach (var (key, value) in SimulatorHttp.Form(request))
        {
            parameters[key] = value;
        }

        parameters.TryGetValue("client_id", out var clientId);
        parameters.TryGetValue("client_secret", out var clientSecret);
        if (!string.Equals(clientId, _options.ClientId, StringComparison.Ordinal) || !string.Equals(clientSecret, _options.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthError("invalid_client");
        }

        var now = Now;
        parameters.TryGetValue("grant_type", out var grantType);
        switch (grantType)
        {
            case "authorization_code":
            {
                parameters.TryGetValue("code", out var code);
                parameters.TryGetValue("redirect_uri", out var redirectUri);
                if (code is null || !_codes.TryGetValue(code, out var grant))
                {
                    return OAuthError("invalid_code");
                }

                if (grant.DataCenter != dc)
                {
                    return OAuthError("invalid_client");
                }

                _codes.Remove(code);
                if (grant.ExpiresAt <= now)
                {
                    return OAuthError("invalid_code");
                }

                if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
                {
                    return OAuthError("invalid_redirect_uri");
                }

                var refreshToken = NewTokenValue();
                _refreshTokens[refreshToken] = new RefreshGrant(grant.UserId, dc, grant.Scope, ++_refreshSequence);
                EnforceRefreshTokenCap(grant.UserId);
                return TokenResponse(refreshToken, _refreshTokens[refreshToken], includeRefreshToken: true, now);
            }

            case "refresh_token":
            {
                parameters.TryGetValue("refresh_token", out var refreshToken);
                if (refreshToken is null || !_refreshTokens.TryGetValue(refreshToken, out var grant))
                {
                    return OAuthError("invalid_code");
                }

                if (grant.DataCenter != dc)
                {
                    return OAuthError("invalid_client");
                }

                while (grant.Minted.Count > 0 && grant.Minted.Peek() <= now - MintWindow)
                {
                    grant.Minted.Dequeue();
                }

                if (grant.Minted.Count >= _options.AccessTokensPerRefreshTokenPer10Minutes)
                {
                    return SimulatorHttp.Json(400, new JsonObject
                    {
                        ["error_description"] = "You have made too many requests continuously. Please try again after some time.",
                        ["error"] = "Access Denied",
                        ["status"] = "failure",
                    });
                }

                return TokenResponse(refreshToken, grant, includeRefreshToken: false, now);
            }

            default:
                return OAuthError("unsupported_grant_type");
        }
    }

    /// <summary>POST {accounts}/oauth/v2/token/revoke?token=: revokes a refresh token and its access tokens.</summary>
    private ResponseMessage RevokeToken(IRequestMessage request, ZohoDataCenter dc)
    {
        var parameters = SimulatorHttp.Query(request);
        foreach (var (key, value) in SimulatorHttp.Form(request))
        {
            parameters[key] = value;
        }

        if (parameters.TryGetValue("token", out var token) && _refreshTokens.TryGetValue(token, out var grant) && grant.DataCenter == dc)
        {
            _refreshTokens.Remove(token);
            foreach (var access in _accessTokens.Where(a => a.Value.RefreshToken == token).Select(a => a.Key).ToList())
            {
                _accessTokens.Remove(access);
            }
        }
        else if (token is not null && _accessTokens.TryGetValue(token, out var access) && access.DataCenter == dc)
        {
            _accessTokens.Remove(token);
        }

        return SimulatorHttp.Json(200, new JsonObject { ["status"] = "success" });
    }

    private void EnforceRefreshTokenCap(string userId)
    {
        var owned = _refreshTokens.Where(r => r.Value.UserId == userId).OrderBy(r => r.Value.Sequence).ToList();
        foreach (var (oldest, _) in owned.Take(Math.Max(0, owned.Count - _options.MaxRefreshTokensPerUser)))
        {
            _refreshTokens.Remove(oldest);
            foreach (var access in _accessTokens.Where(a => a.Value.RefreshToken == oldest).Select(a => a.Key).ToList())
            {
                _accessTokens.Remove(access);
            }
        }
    }

    private ResponseMessage TokenResponse(string refreshToken, RefreshGrant grant, bool includeRefreshToken, DateTimeOffset now)
    {
        var accessToken = NewTokenValue();
        _accessTokens[accessToken] = new AccessGrant(grant.UserId, grant.DataCenter, now + _options.AccessTokenLifetime, refreshToken);
        grant.Minted.Enqueue(now);
        var body = new JsonObject { ["access_token"] = accessToken };
        if (includeRefreshToken)
        {
            body["refresh_token"] = refreshToken;
        }

        body["scope"] = grant.Scope;
        body["api_domain"] = GetApiDomain(grant.DataCenter).ToString().TrimEnd('/');
        body["token_type"] = "Bearer";
        body["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds;
        return SimulatorHttp.Json(200, body);
    }

    /// <summary>Zoho Accounts answers OAuth errors with HTTP 200 and an error body.</summary>
    private static ResponseMessage OAuthError(string error) => SimulatorHttp.Json(200, new JsonObject { ["error"] = error });
}
