using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CrmSync.Providers.Salesforce.Simulator;

public sealed partial class SalesforceSimulator
{
    private const string OrgId = "00DSIM0000000001AA";

    private readonly Dictionary<string, PendingAuthorization> _pendingAuthorizations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AuthorizationCode> _authorizationCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);

    private SimulatorResponse HandleOAuth(SimulatorRequest request)
    {
        return (request.Method, request.Path.TrimEnd('/')) switch
        {
            ("GET", "/services/oauth2/authorize") => Authorize(request),
            ("GET", "/services/oauth2/authorize/allow") => CompleteAuthorization(request, allow: true),
            ("GET", "/services/oauth2/authorize/deny") => CompleteAuthorization(request, allow: false),
            ("POST", "/services/oauth2/token") => Token(request),
            ("POST", "/services/oauth2/revoke") => Revoke(request),
            _ => NotFound(),
        };
    }

    private SimulatorResponse Authorize(SimulatorRequest request)
    {
        var clientId = request.Query["client_id"];
        var redirectUri = request.Query["redirect_uri"];
        var state = request.Query["state"];
        var challenge = request.Query["code_challenge"];
        var challengeMethod = request.Query["code_challenge_method"];

        if (string.IsNullOrEmpty(clientId) || !string.Equals(clientId, _options.ClientId, StringComparison.Ordinal))
        {
            return AuthorizeErrorPage("error=invalid_client_id: client identifier invalid");
        }

        if (!IsAllowedRedirectUri(redirectUri))
        {
            return AuthorizeErrorPage("error=redirect_uri_mismatch: redirect_uri must match configuration");
        }

        if (string.IsNullOrEmpty(state))
        {
            return AuthorizeErrorPage("error=invalid_request: the state parameter is missing");
        }

        if (request.Query["response_type"] != "code")
        {
            return RedirectWithError(redirectUri!, state, "unsupported_response_type", "response type not supported");
        }

        if (challenge is not null || challengeMethod is not null)
        {
            var method = challengeMethod ?? "plain";
            if (method is not ("S256" or "plain") || !IsValidPkceValue(challenge))
            {
                return RedirectWithError(redirectUri!, state, "invalid_request", "invalid code_challenge or code_challenge_method");
            }
        }

        var scope = request.Query["scope"] ?? "api refresh_token";
        var requestId = RandomToken(16);
        _pendingAuthorizations[requestId] = new PendingAuthorization(redirectUri!, state, scope, challenge, challenge is null ? null : challengeMethod ?? "plain");
        var allow = "/services/oauth2/authorize/allow?request=" + requestId;
        var deny = "/services/oauth2/authorize/deny?request=" + requestId;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Salesforce simulator: log in</title></head>
            <body>
            <h1>Salesforce simulator</h1>
            <p>The connected app <strong>{WebUtility.HtmlEncode(clientId)}</strong> asks for: {WebUtility.HtmlEncode(scope)}</p>
            <p><a id="allow" href="{WebUtility.HtmlEncode(allow)}">Log In and Allow</a></p>
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
            return RedirectWithError(pending.RedirectUri, pending.State, "access_denied", "end-user denied authorization");
        }

        var code = "aPrx" + RandomToken(24);
        _authorizationCodes[code] = new AuthorizationCode(pending.RedirectUri, pending.Scope, pending.CodeChallenge, pending.CodeChallengeMethod, _time.GetUtcNow() + _options.AuthorizationCodeLifetime);
        return Redirect(AppendQuery(pending.RedirectUri, ("code", code), ("state", pending.State)));
    }

    private SimulatorResponse Token(SimulatorRequest request)
    {
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (!contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError("invalid_request", "must use application/x-www-form-urlencoded");
        }

        var form = request.Form();
        var grantType = form["grant_type"];
        if (grantType is not ("authorization_code" or "refresh_token"))
        {
            return OAuthError("unsupported_grant_type", "grant type not supported");
        }

        if (!string.Equals(form["client_id"], _options.ClientId, StringComparison.Ordinal))
        {
            return OAuthError("invalid_client_id", "client identifier invalid");
        }

        if (form["client_secret"] is { } secret && !string.Equals(secret, _options.ClientSecret, StringComparison.Ordinal))
        {
            return OAuthError("invalid_client", "invalid client credentials");
        }

        if (grantType == "authorization_code")
        {
            var code = form["code"] ?? string.Empty;
            if (!_authorizationCodes.Remove(code, out var grant) || grant.ExpiresAt <= _time.GetUtcNow())
            {
                return OAuthError("invalid_grant", "invalid authorization code");
            }

            if (!string.Equals(form["redirect_uri"], grant.RedirectUri, StringComparison.Ordinal))
            {
                return OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration");
            }

            if (grant.CodeChallenge is null && form["client_secret"] is null)
            {
                return OAuthError("invalid_client", "invalid client credentials");
            }

            if (grant.CodeChallenge is not null && !VerifyPkce(form["code_verifier"], grant.CodeChallenge, grant.CodeChallengeMethod!))
            {
                return OAuthError("invalid_grant", "invalid code verifier");
            }

            return TokenResponse(IssueTokens(grant.Scope, withRefreshToken: grant.Scope.Contains("refresh_token", StringComparison.Ordinal)));
        }

        var refreshToken = form["refresh_token"] ?? string.Empty;
        if (!_refreshTokens.TryGetValue(refreshToken, out var scope))
        {
            return OAuthError("invalid_grant", "expired access/refresh token");
        }

        if (_options.RotateRefreshTokens)
        {
            _refreshTokens.Remove(refreshToken);
            return TokenResponse(IssueTokens(scope, withRefreshToken: true));
        }

        var tokens = IssueTokens(scope, withRefreshToken: false);
        return TokenResponse(tokens);
    }

    private SimulatorResponse Revoke(SimulatorRequest request)
    {
        var token = request.Form()["token"] ?? request.Query["token"] ?? string.Empty;
        if (!_sessions.Remove(token) && !_refreshTokens.Remove(token))
        {
            return OAuthError("unsupported_token_type", "this token type is not supported");
        }

        return SimulatorResponse.Empty(200);
    }

    private IssuedTokens IssueTokens(string scope, bool withRefreshToken)
    {
        var accessToken = $"{OrgId[..15]}!AQ{RandomToken(40)}";
        _sessions[accessToken] = new Session(_time.GetUtcNow() + _options.SessionTimeout, scope);
        string? refreshToken = null;
        if (withRefreshToken)
        {
            refreshToken = "5Aep" + RandomToken(40);
            _refreshTokens[refreshToken] = scope;
        }

        return new IssuedTokens(accessToken, refreshToken, scope);
    }

    private SimulatorResponse TokenResponse(IssuedTokens tokens)
    {
        var issuedAt = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var userId = _options.Users.FirstOrDefault(u => u.IsActive)?.Id ?? "005SIM000000001AAA";
        var id = $"{BaseUrl.ToString().TrimEnd('/')}/id/{OrgId}/{userId}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.ClientSecret), Encoding.UTF8.GetBytes(id + issuedAt)));
        var body = new JsonObject { ["access_token"] = tokens.AccessToken };
        if (tokens.RefreshToken is not null)
        {
            body["refresh_token"] = tokens.RefreshToken;
        }

        body["signature"] = signature;
        body["scope"] = tokens.Scope;
        body["instance_url"] = BaseUrl.ToString().TrimEnd('/');
        body["id"] = id;
        body["token_type"] = "Bearer";
        body["issued_at"] = issuedAt;
        return SimulatorResponse.Json(200, body);
    }

    /// <summary>Checks the session; sessions slide forward on every authenticated call and expire silently after the timeout.</summary>
    private SimulatorResponse? Authenticate(SimulatorRequest request)
    {
        var token = request.BearerToken();
        var now = _time.GetUtcNow();
        if (token is null || !_sessions.TryGetValue(token, out var session) || now >= session.ExpiresAt)
        {
            return RestError(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }

        session.ExpiresAt = now + _options.SessionTimeout;

        // A token granted without the api scope (for example only refresh_token or openid) is refused by every REST endpoint.
        return session.AllowsRestApi ? null : RestError(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API");
    }

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

    /// <summary>OAuth errors are objects, not arrays.</summary>
    private static SimulatorResponse OAuthError(string error, string description) =>
        SimulatorResponse.Json(400, new JsonObject { ["error"] = error, ["error_description"] = description });

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

    private sealed record PendingAuthorization(string RedirectUri, string State, string Scope, string? CodeChallenge, string? CodeChallengeMethod);

    private sealed record AuthorizationCode(string RedirectUri, string Scope, string? CodeChallenge, string? CodeChallengeMethod, DateTimeOffset ExpiresAt);

    private sealed record IssuedTokens(string AccessToken, string? RefreshToken, string Scope);

    private sealed class Session(DateTimeOffset expiresAt, string scope)
    {
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        /// <summary>Gets whether the token may call the REST API: its scopes include <c>api</c> (or <c>full</c>, which contains it).</summary>
        public bool AllowsRestApi { get; } = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => s is "api" or "full");
    }
}
