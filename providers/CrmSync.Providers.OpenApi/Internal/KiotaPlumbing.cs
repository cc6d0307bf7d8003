using CrmSync.Sdk.Http;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace CrmSync.Providers.OpenApi.Internal;

/// <summary>A Kiota request option carrying the connection a request is for (read by <see cref="ConnectionOptionHandler"/>).</summary>
internal sealed class ConnectionRequestOption(Guid connectionId) : IRequestOption
{
    public Guid ConnectionId { get; } = connectionId;
}

/// <summary>
/// Copies the Kiota <see cref="ConnectionRequestOption"/> (which the Kiota adapter puts on the message under its type
/// name) to <see cref="CrmHttpRequestOptions.ConnectionId"/>, so the shared resilience and budget handlers see it.
/// </summary>
internal sealed class ConnectionOptionHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<IRequestOption> Key = new(typeof(ConnectionRequestOption).FullName!);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Key, out var option) && option is ConnectionRequestOption connection)
        {
            request.Options.Set(CrmHttpRequestOptions.ConnectionId, connection.ConnectionId);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The Kiota authentication provider of one call: puts the connection's key or token in its header.</summary>
internal sealed class CredentialAuthenticationProvider(string header, string value) : IAuthenticationProvider
{
    public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(header);
        request.Headers.Add(header, value);
        return Task.CompletedTask;
    }
}
