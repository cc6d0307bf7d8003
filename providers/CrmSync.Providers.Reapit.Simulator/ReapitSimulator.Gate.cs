using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrmSync.Providers.Reapit.Simulator;

public sealed partial class ReapitSimulator
{
    private void RegisterRoutes()
    {
        Map("POST", "/token", (request, _) => Task.FromResult(Locked(() => IssueToken(request))));
        Map("GET", "/authorize", (request, _) => Task.FromResult(Locked(() => Authorize(request))));

        MapApi("GET", "/contacts/?", ListContacts);
        MapApi("POST", "/contacts/?", CreateContact);
        MapApi("GET", "/contacts/(?<id>[^/]+)", GetContact);
        MapApi("PATCH", "/contacts/(?<id>[^/]+)", PatchContact);
        MapApi("GET", "/applicants/?", ListApplicants);
        MapApi("GET", "/negotiators/?", ListNegotiators);
        MapApi("GET", "/journalEntries/?", ListJournalEntries);
        MapApi("POST", "/journalEntries/?", CreateJournalEntry);

        // Anything else: Reapit's 404 envelope (or 503 during an outage).
        Map("GET", ".*", (_, _) => Task.FromResult(Locked(() => Error(404, "The requested resource was not found."))), priority: 1000);
        foreach (var method in new[] { "POST", "PATCH", "PUT", "DELETE" })
        {
            Map(method, ".*", (_, _) => Task.FromResult(Locked(() => Error(404, "The requested resource was not found."))), priority: 1000);
        }
    }

    private SimulatorResponse Locked(Func<SimulatorResponse> action)
    {
        lock (_lock)
        {
            return _outage ? Unavailable() : action();
        }
    }

    private SimulatorResponse Unavailable() => Error(503, "The service is temporarily unavailable.");

    private void MapApi(string method, string pattern, Func<ApiCall, SimulatorResponse> handler) =>
        Map(method, pattern, (request, match) => GateAsync(request, match, handler));

    /// <summary>Authentication, headers and limits, then the handler. Every API request counts, whatever its answer.</summary>
    private async Task<SimulatorResponse> GateAsync(SimulatorRequest request, Match match, Func<ApiCall, SimulatorResponse> handler)
    {
        string customer;
        TimeSpan latency;
        lock (_lock)
        {
            _requests++;
            if (_outage)
            {
                return Unavailable();
            }

            var now = Now;
            var token = request.BearerToken();
            if (token is null || !_tokens.TryGetValue(token, out var grant) || grant.ExpiresAt <= now)
            {
                return Error(401, "The provided authentication credentials are incorrect or not present.");
            }

            if (!string.Equals(request.Header("api-version"), ApiVersion, StringComparison.Ordinal))
            {
                return Error(400, request.Header("api-version") is null
                    ? "The api-version header is required."
                    : $"The api-version '{request.Header("api-version")}' is not supported.");
            }

            var header = request.Header("reapit-customer");
            if (grant.Customer is null && header is null)
            {
                return Error(400, "The reapit-customer header is required with client credentials.");
            }

            customer = grant.Customer ?? header!;
            if (grant.Customer is not null && header is not null && !string.Equals(header, grant.Customer, StringComparison.Ordinal))
            {
                return Error(403, "The token does not give access to this customer.");
            }

            if (!_installed.Contains(customer))
            {
                return Error(401, "The application is not installed for this customer.");
            }

            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (today != _day)
            {
                _day = today;
                _dayCount = 0;
            }

            while (_window.Count > 0 && _window.Peek() <= now - TimeSpan.FromSeconds(1))
            {
                _window.Dequeue();
            }

            var inFlight = _inFlight.GetValueOrDefault(customer);
            if (_forcedThrottles > 0 || _window.Count >= _perSecond || inFlight >= _concurrent || _dayCount >= _daily)
            {
                if (_forcedThrottles > 0)
                {
                    _forcedThrottles--;
                }

                _throttled++;
                return Error(429, "Too many requests. The application has exceeded its rate limit.");
            }

            _window.Enqueue(now);
            _dayCount++;
            _meter.Charge(1);
            _peakPerSecond = Math.Max(_peakPerSecond, _window.Count);
            _inFlight[customer] = inFlight + 1;
            _peakConcurrent = Math.Max(_peakConcurrent, inFlight + 1);
            latency = _latency;
        }

        try
        {
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency).ConfigureAwait(false);
            }

            lock (_lock)
            {
                return handler(new ApiCall(request, match, customer, Now));
            }
        }
        finally
        {
            lock (_lock)
            {
                _inFlight[customer] = Math.Max(0, _inFlight.GetValueOrDefault(customer) - 1);
            }
        }
    }

    private SimulatorResponse IssueToken(SimulatorRequest request)
    {
        var form = request.Form();
        var (clientId, secret) = BasicCredentials(request);
        if (!string.Equals(clientId, _options.ClientId, StringComparison.Ordinal) || !string.Equals(secret, _options.ClientSecret, StringComparison.Ordinal))
        {
            return SimulatorResponse.Json(401, new JsonObject { ["error"] = "invalid_client" });
        }

        string? customer;
        switch (form["grant_type"])
        {
            case "client_credentials":
                customer = null;
                break;
            case "authorization_code":
                var code = form["code"];
                if (code is null || !_codes.Remove(code, out var pending) || pending.RedirectUri != form["redirect_uri"] || !PkceMatches(pending.Challenge, form["code_verifier"]))
                {
                    return SimulatorResponse.Json(400, new JsonObject { ["error"] = "invalid_grant" });
                }

                customer = pending.Customer;
                break;
            case "refresh_token":
                var refresh = form["refresh_token"];
                if (refresh is null || !_refreshTokens.TryGetValue(refresh, out customer) || customer is null || !_installed.Contains(customer))
                {
                    return SimulatorResponse.Json(400, new JsonObject { ["error"] = "invalid_grant" });
                }

                break;
            default:
                return SimulatorResponse.Json(400, new JsonObject { ["error"] = "unsupported_grant_type" });
        }

        var token = NewSecret();
        _tokens[token] = (Now + _options.TokenLifetime, customer);
        var body = new JsonObject { ["access_token"] = token, ["expires_in"] = (int)_options.TokenLifetime.TotalSeconds, ["token_type"] = "Bearer" };
        if (customer is not null)
        {
            var refreshToken = NewSecret();
            _refreshTokens[refreshToken] = customer;
            body["refresh_token"] = refreshToken;
        }

        return SimulatorResponse.Json(200, body);
    }

    /// <summary>The Reapit Connect sign-in page, collapsed: the simulated user of the first customer signs in at once.</summary>
    private SimulatorResponse Authorize(SimulatorRequest request)
    {
        var q = request.Query;
        if (!string.Equals(q["client_id"], _options.ClientId, StringComparison.Ordinal) || q["response_type"] != "code" || q["redirect_uri"] is not { Length: > 0 } redirect)
        {
            return SimulatorResponse.Html(400, "<html><body><h1>Invalid request</h1></body></html>");
        }

        var code = NewSecret();
        _codes[code] = (_options.Customers.FirstOrDefault() ?? "SBOX", q["code_challenge"], redirect);
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return SimulatorResponse.Empty(302).WithHeader("Location", redirect + separator + "code=" + Uri.EscapeDataString(code) + "&state=" + Uri.EscapeDataString(q["state"] ?? string.Empty));
    }

    private static (string? Id, string? Secret) BasicCredentials(SimulatorRequest request)
    {
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static bool PkceMatches(string? challenge, string? verifier)
    {
        if (challenge is null)
        {
            return true;
        }

        if (verifier is null)
        {
            return false;
        }

        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return string.Equals(hash, challenge, StringComparison.Ordinal);
    }

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private readonly record struct ApiCall(SimulatorRequest Request, Match Match, string Customer, DateTimeOffset Now)
    {
        public string Id => Uri.UnescapeDataString(Match.Groups["id"].Value);
    }
}
