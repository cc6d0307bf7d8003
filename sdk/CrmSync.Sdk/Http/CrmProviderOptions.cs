using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CrmSync.Sdk.Http;

/// <summary>
/// The options every CRM provider shares: its OAuth client, the per-connection request budget and the transport rules of
/// its HTTP client (retries of what waiting a moment fixes, attempt and total timeouts). Each provider derives its options
/// from this class and adds its own addresses (named <c>…BaseAddress</c>) and behaviour.
/// </summary>
public abstract class CrmProviderOptions
{
    /// <summary>Gets or sets the OAuth client id of the host's app at the CRM. Empty means no OAuth (providers that accept API tokens only).</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Gets or sets the OAuth client secret. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the per-connection request budget: the CRM's burst window, its daily quota and how long a request may
    /// wait for room before the run pauses instead. Each provider defaults it to its CRM's documented limits and learns
    /// the account's real limits from response headers where the CRM sends them.
    /// </summary>
    [Required]
    [ValidateObjectMembers]
    public CrmRequestBudgetOptions RequestBudget { get; set; } = new();

    /// <summary>
    /// Gets or sets how many times a request that failed in transport (dropped connection, timeout, 408, 5xx) is retried at
    /// once. Only requests that are safe to repeat are retried: reads, and writes the provider marks idempotent (upserts by
    /// external id); a create whose answer was lost is never resent blindly. 0 turns retries off. Defaults to 2.
    /// </summary>
    [Range(0, 5)]
    public int MaxTransportRetries { get; set; } = 2;

    /// <summary>Gets or sets the base delay before a transport retry (exponential, with jitter). Defaults to 500 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TransportRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the timeout of one attempt. Defaults to 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the timeout of a request including its retries; at least <see cref="AttemptTimeout"/>. Defaults to 100 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets whether <see cref="ClientId"/> and <see cref="ClientSecret"/> are both set.</summary>
    public bool HasOAuthClient => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>
    /// Checks the rules shared by every provider that attributes cannot express: timeouts in order, a request budget, and
    /// absolute http(s) addresses. Provider validators call it and add their own rules.
    /// </summary>
    /// <param name="displayName">The CRM name, used in the messages.</param>
    /// <param name="addresses">The provider's addresses by option name.</param>
    /// <returns>The failures; empty when valid.</returns>
    public IReadOnlyList<string> ValidateCommon(string displayName, params (string Name, Uri? Value)[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var failures = new List<string>();
        if (RequestBudget is null)
        {
            failures.Add($"{displayName}: RequestBudget must be set.");
        }

        if (TotalRequestTimeout < AttemptTimeout)
        {
            failures.Add($"{displayName}: TotalRequestTimeout ({TotalRequestTimeout}) must be at least AttemptTimeout ({AttemptTimeout}).");
        }

        if (string.IsNullOrWhiteSpace(ClientId) != string.IsNullOrWhiteSpace(ClientSecret))
        {
            failures.Add($"{displayName}: ClientId and ClientSecret must be set together.");
        }

        foreach (var (name, value) in addresses)
        {
            if (value is null || !value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{displayName}: {name} must be an absolute http(s) address; got '{value}'.");
            }
        }

        return failures;
    }
}
