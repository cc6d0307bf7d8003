using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CrmSync.Providers.Pipedrive.Simulator.Internal;
using WireMock;

namespace CrmSync.Providers.Pipedrive.Simulator;

public sealed partial class PipedriveSimulator
{
    /// <summary>GET /oauth/authorize: a tiny consent page whose "Allow" link redirects with code and state.</summary>
    private ResponseMessage Authorize(IRequestMessage request)
    {
        var query = SimulatorHttp.Query(request);
        query.TryGetValue("client_id", out var clientId);
        query.TryGetValue("redirect_uri", out var redirectUri);
        query.TryGetValue("state", out var state);
        if (!string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            return SimulatorHttp.Text(400, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Invalid client_id</h1></body></html>");
        }

        if (string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return SimulatorHttp.Text(400, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Invalid redirect_uri</h1></body></html>");
        }

        var code = NewSecret("sim-code-");
        _codes[code] = new CodeGrant(AdminUserId, redirectUri, Now + TimeSpan.FromMinutes(5));
        var separator = redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var stateSuffix = state is null ? string.Empty : "&state=" + Uri.EscapeDataString(state);
        var allow = redirectUri + separator + "code=" + Uri.EscapeDataString(code) + stateSuffix;
        var deny = redirectUri + separator + "error=user_denied" + stateSuffix;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><title>Pipedrive simulator: authorize app</title></head>
            <body>
            <h1>Allow access to your Pipedrive account?</h1>
            <p>The app <strong>{WebUtility.HtmlEncode(clientId)}</strong> asks for: {WebUtility.HtmlEncode(_options.GrantedScopes)} on company <strong>{WebUtility.HtmlEncode(_options.CompanyDomain)}</strong>.</p>
            <p><a id="allow" href="{WebUtility.HtmlEncode(allow)}">Allow and Install</a></p>
            <p><a id="deny" href="{WebUtility.HtmlEncode(deny)}">Cancel</a></p>
            </body>
            </html>
            """;
        return SimulatorHttp.Text(200, "text/html; charset=utf-8", html);
    }

    /// <summary>POST /oauth/token: authorization_code and refresh_token grants.</summary>
    private ResponseMessage IssueToken(IRequestMessage request)
    {
        var form = SimulatorHttp.Form(request);
        if (!ClientAuthenticated(request, form))
        {
            return SimulatorHttp.Json(401, new JsonObject
            {
                ["error"] = "invalid_client",
                ["error_description"] = "Invalid client credentials",
            });
        }

        form.TryGetValue("grant_type", out var grantType);
        var now = Now;
        switch (grantType)
        {
            case "authorization_code":
            {
                form.TryGetValue("code", out var code);
                form.TryGetValue("redirect_uri", out var redirectUri);
                if (code is null || !_codes.Remove(code, out var grant) || grant.ExpiresAt <= now)
                {
                    return InvalidGrant("Invalid grant: authorization code is invalid");
                }

                if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
                {
                    return InvalidGrant("Invalid grant: redirect_uri does not match");
                }

                var refreshToken = NewSecret("sim-refresh-");
                _refreshTokens[refreshToken] = new RefreshGrant(grant.UserId, now);
                return TokenResponse(grant.UserId, refreshToken, now);
            }

            case "refresh_token":
            {
                form.TryGetValue("refresh_token", out var refreshToken);
                if (refreshToken is null || !_refreshTokens.TryGetValue(refreshToken, out var grant))
                {
                    return InvalidGrant("Invalid grant: refresh token is invalid");
                }

                if (now - grant.LastUsed > _options.RefreshTokenIdleLifetime)
                {
                    _refreshTokens.Remove(refreshToken);
                    return InvalidGrant("Invalid grant: refresh token is invalid");
                }

                grant.LastUsed = now;
                return TokenResponse(grant.UserId, refreshToken, now);
            }

            default:
                return SimulatorHttp.Json(400, new JsonObject
                {
                    ["error"] = "unsupported_grant_type",
                    ["error_description"] = "Unsupported grant type",
                });
        }
    }

    private bool ClientAuthenticated(IRequestMessage request, Dictionary<string, string> form)
    {
        string? clientId = null;
        string? clientSecret = null;
        var authorization = SimulatorHttp.Header(request, "Authorization");
        if (authorization is not null && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    clientId = decoded[..colon];
                    clientSecret = decoded[(colon + 1)..];
                }
            }
            catch (FormatException)
            {
                return false;
            }
        }
        else
        {
            form.TryGetValue("client_id", out clientId);
            form.TryGetValue("client_secret", out clientSecret);
        }

        return string.Equals(clientId, _options.ClientId, StringComparison.Ordinal)
            && string.Equals(clientSecret, _options.ClientSecret, StringComparison.Ordinal);
    }

    private ResponseMessage TokenResponse(long userId, string refreshToken, DateTimeOffset now)
    {
        var accessToken = NewSecret("v1u:");
        _accessTokens[accessToken] = new AccessGrant(userId, now + _options.AccessTokenLifetime, refreshToken);
        return SimulatorHttp.Json(200, new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["refresh_token"] = refreshToken,
            ["scope"] = _options.GrantedScopes,
            ["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds,
            ["api_domain"] = BaseUrl.GetLeftPart(UriPartial.Authority),
        });
    }

    private static ResponseMessage InvalidGrant(string description) =>
        SimulatorHttp.Json(400, new JsonObject
        {
            ["error"] = "invalid_grant",
            ["error_description"] = description,
        });
}
