using System.Text.RegularExpressions;

namespace CrmSync.Sdk;

/// <summary>Removes credentials from text before it reaches a log, an exception, a metric or markup.</summary>
public static partial class SecretRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>Masks bearer tokens, Zoho tokens, API-key headers and token-like JSON or query values.</summary>
    /// <param name="text">Text that may contain secrets.</param>
    /// <returns>The text with secrets masked.</returns>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var result = AuthorizationPattern().Replace(text, m => m.Groups[1].Value + Mask);
        result = JsonSecretPattern().Replace(result, m => m.Groups[1].Value + Mask + "\"");
        result = QuerySecretPattern().Replace(result, m => m.Groups[1].Value + Mask);
        return result;
    }

    /// <summary>Masks every occurrence of known secret values, then applies <see cref="Redact(string?)"/>.</summary>
    /// <param name="text">Text that may contain secrets.</param>
    /// <param name="secrets">Secret values to mask wherever they appear.</param>
    /// <returns>The text with secrets masked.</returns>
    public static string Redact(string? text, IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var result = text ?? string.Empty;
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return Redact(result);
    }

    /// <summary>
    /// Returns <paramref name="exception"/> when its text holds no secret; otherwise a copy of the same kind (status, problem
    /// type, retry hints kept) whose text is masked. The copy drops the inner exception, which may repeat the secret.
    /// </summary>
    /// <param name="exception">A provider's exception on its way to the host.</param>
    /// <param name="secrets">Secret values to mask wherever they appear.</param>
    /// <returns>An exception safe to show, log or store.</returns>
    internal static CrmSyncException Redact(CrmSyncException exception, IReadOnlyCollection<string> secrets)
    {
        if (exception is CrmAuthRevokedException revoked)
        {
            var reason = Redact(revoked.Reason, secrets);
            return string.Equals(reason, revoked.Reason, StringComparison.Ordinal) ? revoked : new CrmAuthRevokedException(reason, revoked.Provider, revoked.CredentialsExpired);
        }

        var message = Redact(exception.Message, secrets);
        if (string.Equals(message, exception.Message, StringComparison.Ordinal))
        {
            return exception;
        }

        return exception switch
        {
            CrmRequestFailedException failed => new CrmRequestFailedException(message, failed.Provider, failed.Status, failed.ProblemType, failed.ErrorCode),
            CrmRateLimitedException limited => new CrmRateLimitedException(message, limited.Provider, limited.RetryAfter, limited.IsDailyLimit, limited.PolicyName),
            CrmProviderUnavailableException unavailable => new CrmProviderUnavailableException(message, unavailable.Provider, unavailable.Status, unavailable.RetryAfter),
            _ => new CrmRequestFailedException(message, exception.Provider, null, CrmProblemType.Unknown),
        };
    }

    [GeneratedRegex(@"((?:Bearer|Zoho-oauthtoken|Basic)\s+)[A-Za-z0-9\-\._~\+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(@"(""(?:access_token|refresh_token|api_token|apiKey|api_key|client_secret|password|code_verifier|token)""\s*:\s*"")[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecretPattern();

    [GeneratedRegex(@"((?:access_token|refresh_token|api_token|client_secret|code|code_verifier)=)[^&\s""]+", RegexOptions.IgnoreCase)]
    private static partial Regex QuerySecretPattern();
}
