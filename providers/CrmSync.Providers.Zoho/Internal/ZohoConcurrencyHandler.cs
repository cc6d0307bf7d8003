using System.Collections.Concurrent;
using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Zoho.Internal;

/// <summary>
/// Keeps at most <c>limit</c> requests of one connection in flight. Zoho limits concurrent calls per org and app
/// (answering 429 <c>TOO_MANY_REQUESTS</c> beyond it), not calls per second.
/// </summary>
internal sealed class ZohoConcurrencyHandler(ZohoConcurrencyGates gates) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!CrmHttpRequestOptions.TryGetConnectionId(request, out var connectionId))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var gate = gates.For(connectionId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>One semaphore per connection, shared by the handler instances the client factory creates.</summary>
internal sealed class ZohoConcurrencyGates(int limit)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _gates = new();

    public SemaphoreSlim For(Guid connectionId) => _gates.GetOrAdd(connectionId, _ => new SemaphoreSlim(limit, limit));
}
