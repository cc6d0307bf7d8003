using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CrmSync.Providers.HubSpot.Simulator.Internal;

namespace CrmSync.Providers.HubSpot.Simulator;

public sealed partial class HubSpotSimulator
{
    private const string AuthenticationNotFoundMessage =
        "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    private readonly Dictionary<string, PendingAuthorization> _pendingAuthorizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _authorizationCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenGrant> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _refreshTokens = new(StringComparer.Ordinal);
    private bool _privateAppTokensRevoked;

    private SimulatorResponse HandleOAuth(SimulatorRequest request)
    {
        return (request.Method, request.Path.TrimEnd('/')) switch
        {
            ("GET", "/oauth/authorize") => Authorize(request),
            ("GET", "/oauth/authorize/allow") => CompleteAuthorization(request, allow: true),
            ("GET", "/oauth/authorize/deny") => CompleteAuthorization(request, allow: false),
            ("POST", "/oauth/v1/token") => Token(request),
            ("POST", "/oauth/v3/token") => Token(request),
            _ => NotFound(),
        };
    }

    private SimulatorResponse Authorize(SimulatorRequest request)
    {
        var clientId = request.Query["client_id"];
        var redirectUri = request.Query["redirect_uri"];
        var state = request.Query["state"];
        var scope = request.Query["scope"];
        var optionalScope = request.Query["optional_scope"];
        var challenge = request.Query["code_challenge"];
        var challengeMethod = request.Query["code_challenge_method"];

        if (string.IsNullOrEmpty(clientId) || !string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            return AuthorizeErrorPage("Authorization failed because the client_id is missing or unknown.");
        }

        if (!IsAllowedRedirectUri(redirectUri))
        {
            return AuthorizeErrorPage("Authorization failed because the redirect_uri is missing or does not match the app's redirect URLs.");
        }

        if (string.IsNullOrEmpty(state))
        {
            return AuthorizeErrorPage("Authorization failed because the state parameter is missing.");
        }

        if (string.IsNullOrWhiteSpace(scope))
        {
            return RedirectWithError(redirectUri!, state, "invalid_scope", "scope is required");
        }

        if (challenge is not null || challengeMethod is not null)
        {
            var method = challengeMethod ?? "plain";
            if (method is not ("S256" or "plain"))
            {
                return RedirectWithError(redirectUri!, state, "invalid_request", "code_challenge_method must be S256 or plain");
            }

            if (!IsValidPkceValue(challenge))
            {
                return RedirectWithError(redirectUri!, state, "invalid_request", "code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]");
            }
        }

        // Optional scopes are granted when the account has them; the simulated account has every feature.
        var requestId = RandomToken(16);
        _pendingAuthorizations[requestId] = new PendingAuthorization(
            redirectUri!,
            state,
            SplitScopes(scope).Concat(SplitScopes(optionalScope)).Distinct(StringComparer.Ordinal).ToArray(),
            challenge,
            challenge is null ? null : challengeMethod ?? "plain");

        var allow = "/oauth/authorize/allow?request=" + requestId;
        var deny = "/oauth/authorize/deny?request=" + requestId;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>HubSpot simulator: sign in</title></head>
            <body>
            <h1>HubSpot simulator</h1>
            <p>The app <strong>{WebUtility.HtmlEncode(clientId)}</strong> asks for: {WebUtility.HtmlEncode(scope)}</p>
            <p><a id="allow" href="{WebUtility.HtmlEncode(allow)}">Sign in and Allow</a></p>
            <p><a id="deny" href="{WebUtility.HtmlEncode(deny)}">Deny</a></p>
            </body>
            </html>
            """;
        return SimulatorResponse.Html(200, html);
    }

    private SimulatorResponse CompleteAuthorization(SimulatorRequest request, bool allow)
    {
        var requestId = request.Query["request"] ?? string.Empty;
        if (!_pendingAuthorizations.Remove(requestId, out var pending))
        {
            return AuthorizeErrorPage("This authorization request is unknown or was already used.");
        }

        if (!allow)
        {
            return RedirectWithError(pending.RedirectUri, pending.State, "access_denied", "The user denied access");
        }

        var code = RandomToken(24);
        _authorizationCodes[code] = new AuthorizationCode(
            pending.RedirectUri,
            pending.Scopes,
            pending.CodeChallenge,
            pending.CodeChallengeMethod,
            _time.GetUtcNow() + _options.AuthorizationCodeLifetime);
        return Redirect(AppendQuery(pending.RedirectUri, ("code", code), ("state", pending.State)));
    }

    private SimulatorResponse Token(SimulatorRequest request)
    {
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (!contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError("BAD_REQUEST", "the token request must be sent as application/x-www-form-urlencoded");
        }

        var form = request.Form();
        if (!string.Equals(form["client_id"], _options.ClientId, StringComparison.Ordinal))
        {
            return OAuthError("BAD_CLIENT_ID", "missing or unknown client id");
        }

        if (!string.Equals(form["client_secret"], _options.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthError("BAD_CLIENT_SECRET", "missing or invalid client secret");
        }

        switch (form["grant_type"])
        {
            case "authorization_code":
            {
                var code = form["code"] ?? string.Empty;
                if (!_authorizationCodes.Remove(code, out var grant) || grant.ExpiresAt <= _time.GetUtcNow())
                {
                    return OAuthError("BAD_AUTH_CODE", "missing or unknown auth code");
                }

                if (!string.Equals(form["redirect_uri"], grant.RedirectUri, StringComparison.Ordinal))
                {
                    return OAuthError("BAD_REDIRECT_URI", "redirect_uri does not match the one used to obtain the auth code");
                }

                if (grant.CodeChallenge is not null && !VerifyPkce(form["code_verifier"], grant.CodeChallenge, grant.CodeChallengeMethod!))
                {
                    return OAuthError("BAD_CODE_VERIFIER", "missing or invalid code_verifier");
                }

                return TokenResponse(IssueTokens(grant.Scopes));
            }

            case "refresh_token":
            {
                var refreshToken = form["refresh_token"] ?? string.Empty;
                if (!_refreshTokens.TryGetValue(refreshToken, out var scopes))
                {
                    return OAuthError("BAD_REFRESH_TOKEN", "missing or invalid refresh token");
                }

                return TokenResponse(IssueTokens(scopes, refreshToken));
            }

            default:
                return OAuthError("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token");
        }
    }

    private IssuedTokens IssueTokens(string[] scopes, string? existingRefreshToken = null)
    {
        var accessToken = "sim-hs-" + RandomToken(48);
        var refreshToken = existingRefreshToken ?? Guid.NewGuid().ToString();
        _refreshTokens[refreshToken] = scopes;
        _accessTokens[accessToken] = new AccessTokenGrant(_time.GetUtcNow() + _options.AccessTokenLifetime, scopes);
        return new IssuedTokens(accessToken, refreshToken, scopes);
    }

    private SimulatorResponse TokenResponse(IssuedTokens tokens) =>
        SimulatorResponse.Json(200, new JsonObject
        {
            ["token_type"] = "bearer",
            ["refresh_token"] = tokens.RefreshToken,
            ["access_token"] = tokens.AccessToken,
            ["expires_in"] = (long)_options.AccessTokenLifetime.TotalSeconds,
            ["token_use"] = "access_token",
            ["hub_id"] = _options.HubId,
            ["user_id"] = _options.Owners.Count > 0 ? _options.Owners[0].UserId : 1,
            ["scopes"] = new JsonArray(tokens.Scopes.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        });

    /// <summary>
    /// Checks the bearer token; returns an error response, or <see langword="null"/> when the call may proceed, with the scopes
    /// the token holds: an OAuth token those granted at authorize, a private-app token those it was created with.
    /// </summary>
    private SimulatorResponse? Authenticate(SimulatorRequest request, out bool privateApp, out IReadOnlyCollection<string> scopes)
    {
        privateApp = false;
        scopes = [];
        var token = request.BearerToken();
        if (token is null)
        {
            return InvalidAuthentication();
        }

        if (_options.PrivateAppTokens.Contains(token))
        {
            privateApp = true;
            scopes = _options.PrivateAppTokenScopes.TryGetValue(token, out var created) ? created.ToHashSet(StringComparer.Ordinal) : HubSpotScopes.All;
            return _privateAppTokensRevoked ? InvalidAuthentication() : null;
        }

        if (!_accessTokens.TryGetValue(token, out var grant))
        {
            return InvalidAuthentication();
        }

        var now = _time.GetUtcNow();
        if (now < grant.ExpiresAt)
        {
            scopes = grant.Scopes;
            return null;
        }

        var secondsAgo = (long)Math.Floor((now - grant.ExpiresAt).TotalSeconds);
        return SimulatorResponse.Json(401, new JsonObject
        {
            ["status"] = "error",
            ["message"] = $"The OAuth token used to make this call expired {secondsAgo} second(s) ago.",
            ["correlationId"] = NewCorrelationId(),
            ["category"] = "EXPIRED_AUTHENTICATION",
            ["context"] = new JsonObject
            {
                ["expire time"] = new JsonArray(grant.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
            },
        });
    }

    /// <summary>
    /// HubSpot's 403 for a token without the endpoint's scope: category <c>MISSING_SCOPES</c>, the scopes of which one is
    /// needed in <c>errors[0].context.requiredGranularScopes</c>, and a <c>links.scopes</c> pointer.
    /// </summary>
    private static SimulatorResponse MissingScopes(IReadOnlyList<string> required) =>
        SimulatorResponse.Json(403, new JsonObject
        {
            ["status"] = "error",
            ["message"] = "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
            ["correlationId"] = NewCorrelationId(),
            ["errors"] = new JsonArray(new JsonObject
            {
                ["message"] = "One or more of the following scopes are required.",
                ["context"] = new JsonObject
                {
                    ["requiredGranularScopes"] = new JsonArray(required.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                },
            }),
            ["links"] = new JsonObject { ["scopes"] = "https://developers.hubspot.com/scopes" },
            ["category"] = "MISSING_SCOPES",
        });

    /// <summary>
    /// 403 for a property change by a user who may not edit property settings. HubSpot documents no body for this case; the
    /// simulator uses HubSpot's standard error envelope with the reported <c>USER_DOES_NOT_HAVE_PERMISSIONS</c> category (see README).
    /// </summary>
    private static SimulatorResponse UserCannotEditProperties() =>
        SimulatorResponse.Json(403, new JsonObject
        {
            ["status"] = "error",
            ["message"] = "The user who authorized this app does not have permission to edit property settings.",
            ["correlationId"] = NewCorrelationId(),
            ["category"] = "USER_DOES_NOT_HAVE_PERMISSIONS",
        });

    private static string[] SplitScopes(string? scopes) => (scopes ?? string.Empty).Split([' ', '+', ','], StringSplitOptions.RemoveEmptyEntries);

    private static SimulatorResponse InvalidAuthentication() =>
        SimulatorResponse.Json(401, new JsonObject
        {
            ["status"] = "error",
            ["message"] = AuthenticationNotFoundMessage,
            ["correlationId"] = NewCorrelationId(),
            ["category"] = "INVALID_AUTHENTICATION",
        }).WithHeader("x-hubspot-auth-failure", "401 Unauthorized");

    private bool IsAllowedRedirectUri(string? redirectUri)
    {
        if (string.IsNullOrEmpty(redirectUri))
        {
            return false;
        }

        if (_options.RedirectUris.Count > 0)
        {
            return _options.RedirectUris.Contains(redirectUri);
        }

        return Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
    }

    private static bool IsValidPkceValue(string? value) =>
        value is { Length: >= 43 and <= 128 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    private static bool VerifyPkce(string? verifier, string challenge, string method)
    {
        if (!IsValidPkceValue(verifier))
        {
            return false;
        }

        var expected = method == "S256"
            ? Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier!))).TrimEnd('=').Replace('+', '-').Replace('/', '_')
            : verifier!;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }

    /// <summary>
    /// A token endpoint error in HubSpot's body: <c>status</c> (for example <c>BAD_REFRESH_TOKEN</c>), <c>message</c>,
    /// <c>correlationId</c> and <c>category</c>. HubSpot sends no OAuth <c>error</c>/<c>error_description</c> fields.
    /// </summary>
    private static SimulatorResponse OAuthError(string status, string description) =>
        SimulatorResponse.Json(400, new JsonObject
        {
            ["status"] = status,
            ["message"] = description,
            ["correlationId"] = NewCorrelationId(),
            ["category"] = "VALIDATION_ERROR",
        });

    private static SimulatorResponse AuthorizeErrorPage(string message) =>
        SimulatorResponse.Html(400, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authorization error</title></head><body><h1>Authorization error</h1><p id=\"error\">{WebUtility.HtmlEncode(message)}</p></body></html>");

    private static SimulatorResponse RedirectWithError(string redirectUri, string? state, string error, string description) =>
        Redirect(AppendQuery(redirectUri, ("error", error), ("error_description", description), ("state", state)));

    private static SimulatorResponse Redirect(string location) => SimulatorResponse.Empty(302).WithHeader("Location", location);

    private static string AppendQuery(string uri, params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder(uri);
        var separator = uri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    private static string RandomToken(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private sealed record PendingAuthorization(string RedirectUri, string State, string[] Scopes, string? CodeChallenge, string? CodeChallengeMethod);

    private sealed record AuthorizationCode(string RedirectUri, string[] Scopes, string? CodeChallenge, string? CodeChallengeMethod, DateTimeOffset ExpiresAt);

    private sealed record IssuedTokens(string AccessToken, string RefreshToken, string[] Scopes);

    private sealed class AccessTokenGrant(DateTimeOffset expiresAt, IReadOnlyCollection<string> scopes)
    {
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public IReadOnlyCollection<string> Scopes { get; } = scopes.ToHashSet(StringComparer.Ordinal);
    }
}
