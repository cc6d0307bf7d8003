using System.Net;
using System.Text.Json;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Salesforce;

/// <content>Maps Salesforce error arrays to CrmSync exceptions and problem types.</content>
public sealed partial class SalesforceCrmProvider
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private void EnsureSuccess(IApiResponse response, Guid connectionId)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw ToException(response, connectionId);
        }
    }

    private static int StatusOf(IApiResponse response) => response.StatusCode is { } status ? (int)status : 0;

    private CrmSyncException ToException(IApiResponse response, Guid? connectionId)
    {
        var status = StatusOf(response);
        var error = ParseError(response.Error is ApiException api ? api.Content : null);
        var code = error?.ErrorCode ?? error?.Error;
        var message = CrmHttpFailures.DescribeBody(error?.Message ?? error?.ErrorDescription ?? $"HTTP {status}");
        if (code == "REQUEST_LIMIT_EXCEEDED")
        {
            // Salesforce throttles with 403, never 429 and never Retry-After. It is a wait, not an auth failure.
            var daily = message.Contains("TotalRequests", StringComparison.OrdinalIgnoreCase);
            TimeSpan wait;
            if (daily)
            {
                var resets = connectionId is { } id ? RequestBudget.ReportDailyLimitReached(id) : _time.GetUtcNow().AddDays(1);
                wait = resets - _time.GetUtcNow();
            }
            else
            {
                wait = TimeSpan.FromSeconds(30);
                if (connectionId is { } id)
                {
                    RequestBudget.ReportThrottled(id, wait);
                }
            }

            if (connectionId is { } c)
            {
                Log.Throttled(_logger, c, daily, wait);
            }

            return new CrmRateLimitedException(
                daily ? "Salesforce daily API request limit reached (rolling 24 hours); syncing resumes when requests free up." : $"Salesforce is limiting requests ({message}); retrying shortly.",
                Name, wait, isDailyLimit: daily, policyName: daily ? "TotalRequests" : "ConcurrentRequests");
        }

        if (CrmHttpFailures.IsTransientStatus(status))
        {
            return CrmHttpFailures.Unavailable(status, Name, DisplayName);
        }

        var problem = status == (int)HttpStatusCode.Forbidden ? CrmProblemType.PermissionDenied
            : code == "NOT_FOUND" && message.Contains("external ID field", StringComparison.OrdinalIgnoreCase) ? CrmProblemType.UnknownField
            : Classify(code);
        return new CrmRequestFailedException($"Salesforce rejected the request (HTTP {status}, {code}): {message}", Name, status, problem, code);
    }

    private static SalesforceRestError? ParseError(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(content);
            var element = json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() > 0 ? json.RootElement[0] : json.RootElement;
            return element.ValueKind == JsonValueKind.Object ? element.Deserialize<SalesforceRestError>(JsonOptions) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Maps a Salesforce status code (<c>statusCode</c> of an item, <c>errorCode</c> of a request) to a problem type.</summary>
    internal static CrmProblemType Classify(string? code) => code switch
    {
        "REQUIRED_FIELD_MISSING" => CrmProblemType.RequiredFieldMissing,
        "INVALID_EMAIL_ADDRESS" => CrmProblemType.InvalidEmail,
        "DUPLICATES_DETECTED" or "DUPLICATE_VALUE" or "DUPLICATE_EXTERNAL_ID" => CrmProblemType.DuplicateRecord,
        "INVALID_FIELD" => CrmProblemType.UnknownField,
        "INSUFFICIENT_ACCESS_OR_READONLY" or "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY" or "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY" => CrmProblemType.PermissionDenied,
        "INVALID_FIELD_FOR_INSERT_UPDATE" or "INVALID_CROSS_REFERENCE_KEY" or "FIELD_INTEGRITY_EXCEPTION" or "FIELD_CUSTOM_VALIDATION_EXCEPTION"
            or "STRING_TOO_LONG" or "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST" or "INVALID_TYPE_ON_FIELD_IN_RECORD" or "MALFORMED_ID" => CrmProblemType.InvalidValue,
        _ => CrmProblemType.Unknown,
    };

    /// <summary>Turns a failed item into plain language.</summary>
    private static string Describe(SalesforceSaveResult result)
    {
        var errors = result.Errors ?? [];
        var first = errors.FirstOrDefault();
        var lead = Classify(first?.StatusCode) switch
        {
            var p when p == CrmProblemType.RequiredFieldMissing => "Salesforce requires a field that is empty",
            var p when p == CrmProblemType.InvalidEmail => "Salesforce rejected the email address",
            var p when p == CrmProblemType.DuplicateRecord => "A Salesforce duplicate rule blocked the record",
            var p when p == CrmProblemType.UnknownField => "Salesforce has no such field",
            var p when p == CrmProblemType.PermissionDenied => "The connected Salesforce user may not write this record",
            var p when p == CrmProblemType.InvalidValue => "Salesforce did not accept a value",
            _ => "Salesforce rejected the record",
        };
        var detail = string.Join("; ", errors.Select(e => e.Message).Where(m => !string.IsNullOrWhiteSpace(m)));
        return CrmHttpFailures.DescribeBody($"{lead}: {(detail.Length > 0 ? detail : "no reason given")}");
    }
}
