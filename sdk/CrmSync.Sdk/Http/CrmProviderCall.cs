using System.Runtime.ExceptionServices;
using Refit;

namespace CrmSync.Sdk.Http;

/// <summary>
/// The one way a provider sends a request for a connection: with the connection's current credentials, refreshing them
/// once when the CRM rejects them (<see cref="CrmCredentialRetry"/>), turning transport failures (dropped connection,
/// timeout, open circuit) into <see cref="CrmProviderUnavailableException"/>, surfacing the request budget's own pause
/// (<see cref="CrmRateLimitedException"/>) unchanged, and letting the provider map every answer it gets to a CrmSync
/// exception (revoked, throttled, outage) or accept it.
/// </summary>
public static class CrmProviderCall
{
    /// <summary>Sends one request.</summary>
    /// <typeparam name="TResponse">The response type (for example Refit's <see cref="IApiResponse{T}"/>).</typeparam>
    /// <param name="context">The connection.</param>
    /// <param name="provider">The provider (its name goes on the exceptions).</param>
    /// <param name="send">Sends the request with the given credentials.</param>
    /// <param name="isRejected">Returns whether an answer says the credentials were rejected (typically a 401); it is refreshed and sent once more.</param>
    /// <param name="mapFailure">
    /// Maps an answer to the exception to throw, or <see langword="null"/> to hand it to the caller. Called for every answer,
    /// including a rejection that survived the refresh, with the credentials that were used.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer the provider accepted.</returns>
    public static async Task<TResponse> SendAsync<TResponse>(
        CrmProviderContext context,
        ICrmProvider provider,
        Func<CrmCredentials, CancellationToken, Task<TResponse>> send,
        Func<TResponse, bool> isRejected,
        Func<TResponse, CrmCredentials, Exception?> mapFailure,
        CancellationToken cancellationToken)
        where TResponse : IDisposable
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(isRejected);
        ArgumentNullException.ThrowIfNull(mapFailure);
        TResponse response;
        CrmCredentials? used = null;
        try
        {
            response = await CrmCredentialRetry.SendAsync(
                context.Credentials,
                async (credentials, ct) =>
                {
                    used = credentials;
                    return await UnwrapAsync(send, credentials, ct).ConfigureAwait(false);
                },
                isRejected,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CrmSyncException && CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, provider.Name, provider.DisplayName);
        }

        Exception? failure;
        try
        {
            failure = mapFailure(response, used!);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (failure is not null)
        {
            response.Dispose();
            ExceptionDispatchInfo.Throw(failure);
        }

        // A success the client could not read (cut off, not JSON) says nothing about each record: the write may or may
        // not have happened. Failing the records one by one would put records the CRM holds into the failure ledger;
        // a transient failure leaves them queued, and the idempotent write sends them again.
        if (response is IApiResponse { IsSuccessStatusCode: true, Error: { } unreadable })
        {
            response.Dispose();
            throw new CrmProviderUnavailableException(
                $"{provider.DisplayName} answered with a response CrmSync could not read; the records stay queued and are sent again.",
                provider.Name,
                innerException: unreadable);
        }

        return response;
    }

    /// <summary>
    /// Sends a request that carries no connection credentials (an OAuth code exchange or refresh at the CRM's token endpoint):
    /// surfaces what Refit wraps and turns transport failures into <see cref="CrmProviderUnavailableException"/>. The caller
    /// maps the answer.
    /// </summary>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="provider">The provider (its name goes on the exceptions).</param>
    /// <param name="send">Sends the request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    public static async Task<TResponse> SendOAuthAsync<TResponse>(ICrmProvider provider, Func<CancellationToken, Task<TResponse>> send, CancellationToken cancellationToken)
        where TResponse : IDisposable
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return await UnwrapAsync((_, ct) => send(ct), null!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not CrmSyncException && CrmHttpFailures.IsTransportFailure(ex, cancellationToken))
        {
            throw CrmHttpFailures.Unavailable(ex, provider.Name, provider.DisplayName);
        }
    }

    /// <summary>Sends and rethrows what Refit wraps: a budget pause or a transport failure reported inside the response or an <see cref="ApiRequestException"/>.</summary>
    private static async Task<TResponse> UnwrapAsync<TResponse>(Func<CrmCredentials, CancellationToken, Task<TResponse>> send, CrmCredentials credentials, CancellationToken cancellationToken)
        where TResponse : IDisposable
    {
        TResponse response;
        try
        {
            response = await send(credentials, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiRequestException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }

        if (response is IApiResponse { Error: ApiRequestException { InnerException: { } inner } })
        {
            response.Dispose();
            ExceptionDispatchInfo.Throw(inner);
        }

        return response;
    }
}
