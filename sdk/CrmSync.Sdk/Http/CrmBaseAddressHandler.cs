namespace CrmSync.Sdk.Http;

/// <summary>
/// A <see cref="DelegatingHandler"/> that sends a request to the base address of its connection instead of the client's
/// fixed one: Pipedrive and Zoho tell each connection its own <c>api_domain</c>, Salesforce its <c>instance_url</c>.
/// With Refit, pass it as <c>[Property(CrmBaseAddressHandler.OptionName)] Uri baseAddress</c>; the request's path and query
/// are appended to it (a base address may have a path of its own). Requests without the option are sent unchanged.
/// Give the <see cref="HttpClient"/> a base address without a path (<see cref="ClientBaseAddress"/>), so that the request
/// path is exactly the API path.
/// </summary>
public sealed class CrmBaseAddressHandler : DelegatingHandler
{
    /// <summary>The option name that carries the per-connection base address.</summary>
    public const string OptionName = "CrmSync.BaseAddress";

    /// <summary>Gets the typed key of the per-connection base address.</summary>
    public static HttpRequestOptionsKey<Uri> OptionKey { get; } = new(OptionName);

    /// <summary>Returns the base address to give the <see cref="HttpClient"/> itself: the scheme and authority of <paramref name="defaultBaseAddress"/>, without its path.</summary>
    /// <param name="defaultBaseAddress">The default base address (for example the US API domain).</param>
    /// <returns>The client base address.</returns>
    public static Uri ClientBaseAddress(Uri defaultBaseAddress)
    {
        ArgumentNullException.ThrowIfNull(defaultBaseAddress);
        return new Uri(defaultBaseAddress.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>Returns the address a request goes to once <paramref name="baseAddress"/> replaces the client's base address.</summary>
    /// <param name="baseAddress">The connection's base address, for example <c>https://acme.pipedrive.com</c>.</param>
    /// <param name="requestUri">The request URI built against the client's fixed base address.</param>
    /// <returns>The rebased URI.</returns>
    public static Uri Rebase(Uri baseAddress, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(requestUri);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttps && baseAddress.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The base address must be an absolute http or https URL.", nameof(baseAddress));
        }

        var pathAndQuery = requestUri.IsAbsoluteUri ? requestUri.PathAndQuery : "/" + requestUri.OriginalString.TrimStart('/');
        var root = baseAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(root + pathAndQuery, UriKind.Absolute);
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } uri && request.Options.TryGetValue(OptionKey, out var baseAddress) && baseAddress is not null)
        {
            request.RequestUri = Rebase(baseAddress, uri);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
