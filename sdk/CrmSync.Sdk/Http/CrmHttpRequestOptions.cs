namespace CrmSync.Sdk.Http;

/// <summary>
/// Keys of <see cref="HttpRequestMessage.Options"/> that CrmSync handlers read. With Refit, pass the connection id as
/// <c>[Property(CrmHttpRequestOptions.ConnectionIdName)] Guid connectionId</c>.
/// </summary>
public static class CrmHttpRequestOptions
{
    /// <summary>The option name that carries the connection id a request is made for.</summary>
    public const string ConnectionIdName = "CrmSync.ConnectionId";

    /// <summary>Gets the typed key of the connection id.</summary>
    public static HttpRequestOptionsKey<Guid> ConnectionId { get; } = new(ConnectionIdName);

    /// <summary>The option name that marks a POST as safe to resend after a lost answer (an upsert by external id, a search).</summary>
    public const string IdempotentName = "CrmSync.Idempotent";

    /// <summary>Gets the typed key that marks a request as safe to resend.</summary>
    public static HttpRequestOptionsKey<bool> Idempotent { get; } = new(IdempotentName);

    /// <summary>Reads the connection id of a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="connectionId">The connection id, when set.</param>
    /// <returns><see langword="true"/> when the request carries a connection id.</returns>
    public static bool TryGetConnectionId(HttpRequestMessage request, out Guid connectionId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(ConnectionId, out connectionId);
    }
}
