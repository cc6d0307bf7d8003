using System.Runtime.CompilerServices;

namespace CrmSync.Sdk;

/// <summary>Streaming over <see cref="ICrmFetchProvider"/> pages.</summary>
public static class CrmFetchProviderExtensions
{
    /// <summary>
    /// Streams every record a filter matches, page by page: only one page is in memory at a time. Errors (including
    /// <see cref="CrmRateLimitedException"/>) propagate; <paramref name="onPage"/> receives the cursor of the page that
    /// follows each one, so a caller can resume with <paramref name="startCursor"/> after a failure.
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="context">The connection.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="pageSize">The page size; capped at <see cref="CrmFetchCapabilities.MaxPageSize"/>.</param>
    /// <param name="startCursor">Where to start; <see langword="null"/> for the beginning.</param>
    /// <param name="onPage">Called after each page is fully yielded, with the next cursor.</param>
    /// <param name="cancellationToken">Cancels the stream.</param>
    /// <returns>The records.</returns>
    public static async IAsyncEnumerable<CrmFetchedRecord> ReadAllAsync(
        this ICrmFetchProvider provider,
        CrmProviderContext context,
        CrmFetchFilter filter,
        int pageSize = 100,
        string? startCursor = null,
        Action<string?>? onPage = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var size = Math.Min(pageSize, Math.Max(1, provider.FetchCapabilities.MaxPageSize));
        var cursor = startCursor;
        do
        {
            var page = await provider.FetchPageAsync(context, new CrmFetchRequest(filter, cursor, size), cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                yield return record;
            }

            cursor = page.NextCursor;
            onPage?.Invoke(cursor);
        }
        while (cursor is not null);
    }
}
