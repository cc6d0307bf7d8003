using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.HubSpot;

/// <content>Maps HubSpot error bodies to CrmSync exceptions and problem types.</content>
public sealed partial class HubSpotCrmProvider
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Throws the CrmSync exception for an unsuccessful whole-request response.</summary>
    private void EnsureSuccess(IApiResponse response, Guid? connectionId = null)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        throw ToException(response, connectionId);
    }

    private CrmSyncException ToException(IApiResponse response, Guid? connectionId)
    {
        var status = StatusOf(response);
        var content = response.Error is ApiException api ? api.Content : null;
        var body = ParseError(content);
        var now = _time.GetUtcNow();
        var retryAfter = CrmHttpHeaders.GetRetryAfter(response.Headers, now);
        if (status == 429)
        {
            var policy = body?.PolicyName ?? "TEN_SECONDLY_ROLLING";
            if (string.Equals(policy, "DAILY", StringComparison.OrdinalIgnoreCase))
            {
                var resets = connectionId is { } daily ? RequestBudget.ReportDailyLimitReached(daily) : RequestBudget.GetDailyReset(Guid.Empty);
                var wait = retryAfter ?? (resets - now);
                if (connectionId is { } c)
                {
                    Log.Throttled(_logger, c, policy, wait);
                }

                return new CrmRateLimitedException($"HubSpot's daily API limit for this private app is reached; syncing resumes when it resets at midnight in the account's time zone ({resets.UtcDateTime:yyyy-MM-dd HH:mm} UTC).", Name, wait, isDailyLimit: true, policyName: "DAILY");
            }

            var secondly = string.Equals(policy, "SECONDLY", StringComparison.OrdinalIgnoreCase);
            var burstWait = retryAfter ?? (secondly ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(10));
            if (connectionId is { } id)
            {
                // The search limit holds back searches only; other calls have their own window.
                (secondly ? _searchBudget : RequestBudget).ReportThrottled(id, burstWait);
                Log.Throttled(_logger, id, policy, burstWait);
            }

            return new CrmRateLimitedException($"HubSpot rate limit reached ({policy}); retrying in {burstWait.TotalSeconds:0} seconds.", Name, burstWait, isDailyLimit: false, policyName: policy);
        }

        if (status == 423)
        {
            return new CrmProviderUnavailableException("HubSpot locked the records for a moment (HTTP 423).", Name, status, retryAfter ?? TimeSpan.FromSeconds(2));
        }

        if (status == 477 || CrmHttpFailures.IsTransientStatus(status))
        {
            return CrmHttpFailures.Unavailable(status, Name, DisplayName, retryAfter);
        }

        if (string.Equals(body?.Category, "MISSING_SCOPES", StringComparison.Ordinal))
        {
            return MissingScopes(status, body!);
        }

        var message = CrmHttpFailures.DescribeBody(body?.Message ?? body?.ErrorDescription ?? content);
        var codes = InnerCodes(body?.Message);
        var problem = status == (int)HttpStatusCode.Forbidden || string.Equals(body?.Category, "MISSING_SCOPES", StringComparison.Ordinal)
            ? CrmProblemType.PermissionDenied
            : Classify(body?.Category, codes);
        return new CrmRequestFailedException($"HubSpot rejected the request (HTTP {status}): {message}", Name, status, problem, body?.Category ?? body?.Error);
    }

    /// <summary>
    /// A 403 <c>MISSING_SCOPES</c>: the connection was signed in without a permission this call needs. Only a new sign-in that
    /// grants it helps, so the message names the scope (from <c>errors[].context.requiredGranularScopes</c>) and asks for a
    /// reconnect; the connection itself stays valid for the calls its scopes cover.
    /// </summary>
    private CrmRequestFailedException MissingScopes(int status, HubSpotErrorBody body)
    {
        var scopes = (body.Errors ?? [])
            .Select(e => e.Context is { } context && context.TryGetValue("requiredGranularScopes", out var value) && value.ValueKind == JsonValueKind.Array ? value : default)
            .Where(v => v.ValueKind == JsonValueKind.Array)
            .SelectMany(v => v.EnumerateArray())
            .Where(v => v.ValueKind == JsonValueKind.String && ScopePattern().IsMatch(v.GetString()!))
            .Select(v => v.GetString()!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var named = scopes.Count switch
        {
            0 => "a permission (scope) this call needs",
            1 => $"the permission (scope) {scopes[0]}",
            _ => $"one of the permissions (scopes) {string.Join(", ", scopes)}",
        };
        return new CrmRequestFailedException(
            $"HubSpot refused the request (HTTP {status} MISSING_SCOPES): this connection was not granted {named}. Reconnect HubSpot and approve every permission it asks for; if the permission is optional, the HubSpot account must also include that feature.",
            Name, status, CrmProblemType.PermissionDenied, "MISSING_SCOPES");
    }

    private static int StatusOf(IApiResponse response) => response.StatusCode is { } status ? (int)status : 0;

    private static HubSpotErrorBody? ParseError(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HubSpotErrorBody>(content, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the inner codes of a validation message (<c>Property values were not valid: [{…,"error":"INVALID_EMAIL",…}]</c>).</summary>
    private static List<string> InnerCodes(string? message)
    {
        var codes = new List<string>();
        if (message is null)
        {
            return codes;
        }

        foreach (Match match in InnerCodePattern().Matches(message))
        {
            codes.Add(match.Groups[1].Value);
        }

        return codes;
    }

    /// <summary>Maps a HubSpot category and inner error codes to a problem type.</summary>
    internal static CrmProblemType Classify(string? category, IEnumerable<string?> codes)
    {
        var list = codes.Where(c => !string.IsNullOrEmpty(c)).ToList();
        if (list.Contains("INVALID_EMAIL"))
        {
            return CrmProblemType.InvalidEmail;
        }

        if (list.Contains("PROPERTY_DOESNT_EXIST"))
        {
            return CrmProblemType.UnknownField;
        }

        if (list.Any(c => c is "REQUIRED_FIELD" or "MISSING_REQUIRED_PROPERTY"))
        {
            return CrmProblemType.RequiredFieldMissing;
        }

        if (list.Count > 0 && string.Equals(category, "VALIDATION_ERROR", StringComparison.Ordinal))
        {
            return CrmProblemType.InvalidValue;
        }

        return category switch
        {
            "CONFLICT" or "OBJECT_ALREADY_EXISTS" => CrmProblemType.DuplicateRecord,
            "MISSING_SCOPES" => CrmProblemType.PermissionDenied,
            "VALIDATION_ERROR" => CrmProblemType.InvalidValue,
            _ => CrmProblemType.Unknown,
        };
    }

    /// <summary>Turns one batch error into plain language.</summary>
    private static string Describe(HubSpotStandardError error)
    {
        var inner = (error.Errors ?? []).Where(e => !string.IsNullOrWhiteSpace(e.Message)).Select(NamingTheProperty).ToList();
        var detail = inner.Count > 0 ? string.Join("; ", inner) : error.Message ?? "no reason given";
        var lead = Classify(error.Category, (error.Errors ?? []).Select(e => e.Code)) switch
        {
            var p when p == CrmProblemType.InvalidEmail => "HubSpot rejected the email address",
            var p when p == CrmProblemType.UnknownField => "HubSpot has no such property",
            var p when p == CrmProblemType.RequiredFieldMissing => "HubSpot requires a value that is missing",
            var p when p == CrmProblemType.DuplicateRecord => "HubSpot already has a record with the same unique value",
            var p when p == CrmProblemType.InvalidValue => "HubSpot did not accept a value",
            _ => "HubSpot rejected the record",
        };
        return CrmHttpFailures.DescribeBody($"{lead}: {detail}");
    }

    /// <summary>
    /// An inner error's message, led by the property it is about (<c>context.propertyName</c>) when the message does not name
    /// it: HubSpot's wording for a bad number or option (<c>lots is not a valid integer</c>) names the value only.
    /// </summary>
    private static string NamingTheProperty(HubSpotInnerError error)
    {
        var message = error.Message!;
        if (error.Context is { } context && context.TryGetValue("propertyName", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            var missing = names.EnumerateArray()
                .Where(n => n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } name && !message.Contains(name, StringComparison.Ordinal))
                .Select(n => n.GetString()!)
                .ToList();
            if (missing.Count > 0)
            {
                return $"{string.Join(", ", missing)}: {message}";
            }
        }

        return message;
    }

    /// <summary>Reads the ids a batch error applies to (<c>context.ids</c>, else <c>context.objectWriteTraceId</c>).</summary>
    private static IEnumerable<string> ErrorIds(HubSpotStandardError error, string key)
    {
        if (error.Context is { } context && context.TryGetValue(key, out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>Parses the existing record id out of a 409 message (<c>… Existing ID: 12345</c>).</summary>
    private static string? ExistingId(string? message) =>
        message is not null && ExistingIdPattern().Match(message) is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("\"error\"\\s*:\\s*\"([A-Z_]+)\"")]
    private static partial Regex InnerCodePattern();

    /// <summary>A scope name as HubSpot writes it (<c>crm.objects.contacts.write</c>, <c>sales-email-read</c>); anything else is not echoed.</summary>
    [GeneratedRegex("^[a-z][a-z0-9._-]{0,99}$")]
    private static partial Regex ScopePattern();

    [GeneratedRegex(@"Existing ID:\s*(\d+)")]
    private static partial Regex ExistingIdPattern();
}
