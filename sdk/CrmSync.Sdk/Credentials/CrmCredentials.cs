using System.Text;

namespace CrmSync.Sdk;

/// <summary>
/// Secrets of one connection. Stored encrypted with ASP.NET Core Data Protection and decrypted only
/// for a request. <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record CrmCredentials
{
    /// <summary>Gets the OAuth access token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Gets the OAuth refresh token.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Gets when the access token expires, when the CRM says.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the API key or token, for CRMs connected with one (Pipedrive API token).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Gets the instance or API base the CRM told us to use (Salesforce <c>instance_url</c>, Pipedrive and Zoho <c>api_domain</c>).</summary>
    public string? InstanceUrl { get; init; }

    /// <summary>Gets other non-secret values the provider keeps with the credentials. Defaults to empty.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the secret values, so they can be masked wherever text is produced.</summary>
    /// <returns>The non-empty secrets.</returns>
    public IEnumerable<string> Secrets()
    {
        if (!string.IsNullOrEmpty(AccessToken))
        {
            yield return AccessToken;
        }

        if (!string.IsNullOrEmpty(RefreshToken))
        {
            yield return RefreshToken;
        }

        if (!string.IsNullOrEmpty(ApiKey))
        {
            yield return ApiKey;
        }
    }

    /// <summary>Returns whether the access token expires within <paramref name="margin"/> of <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="margin">How early to refresh.</param>
    /// <returns><see langword="true"/> when a refresh is due.</returns>
    public bool ExpiresWithin(DateTimeOffset now, TimeSpan margin) => ExpiresAt is { } expires && expires - margin <= now;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessToken = ").Append(AccessToken is null ? "null" : SecretRedactor.Mask)
            .Append(", RefreshToken = ").Append(RefreshToken is null ? "null" : SecretRedactor.Mask)
            .Append(", ApiKey = ").Append(ApiKey is null ? "null" : SecretRedactor.Mask)
            .Append(", ExpiresAt = ").Append(ExpiresAt)
            .Append(", InstanceUrl = ").Append(InstanceUrl);
        return true;
    }
}
