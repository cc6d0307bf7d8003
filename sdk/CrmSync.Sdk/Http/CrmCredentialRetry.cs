namespace CrmSync.Sdk.Http;

/// <summary>
/// Sends a request with the connection's current credentials and, when the CRM rejects them (a 401 or an expired session),
/// refreshes once through <see cref="ICrmCredentialAccessor.RefreshAsync"/> and sends again. The SDK makes concurrent
/// refreshes of one connection share a single call to the CRM.
/// </summary>
public static class CrmCredentialRetry
{
    /// <summary>Sends with a single refresh-and-retry on rejected credentials.</summary>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="credentials">The connection's credential accessor (<see cref="CrmProviderContext.Credentials"/>).</param>
    /// <param name="send">Sends the request with the given credentials.</param>
    /// <param name="isRejected">Returns whether a response says the credentials were rejected.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response; still a rejection when the refreshed credentials were refused too (the caller maps it to <see cref="CrmAuthRevokedException"/>).</returns>
    public static async Task<TResponse> SendAsync<TResponse>(
        ICrmCredentialAccessor credentials,
        Func<CrmCredentials, CancellationToken, Task<TResponse>> send,
        Func<TResponse, bool> isRejected,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(isRejected);
        var current = await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        var response = await send(current, cancellationToken).ConfigureAwait(false);
        if (!isRejected(response))
        {
            return response;
        }

        (response as IDisposable)?.Dispose();
        var fresh = await credentials.RefreshAsync(current, cancellationToken).ConfigureAwait(false);
        return await send(fresh, cancellationToken).ConfigureAwait(false);
    }
}
