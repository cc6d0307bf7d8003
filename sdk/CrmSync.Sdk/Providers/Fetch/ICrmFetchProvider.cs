namespace CrmSync.Sdk;

/// <summary>
/// A CRM that CrmSync can read from (the fetch direction). Providers implement it in addition to
/// <see cref="ICrmProvider"/>; registering the provider is enough for CrmSync to find it.
/// </summary>
/// <remarks>
/// <para>
/// Paging contract: <see cref="FetchPageAsync"/> returns one page and an opaque cursor for the next. The cursor must be
/// resumable: asking again for the same cursor (after a 429, a restart, or days later) returns the page that follows the
/// previous one, with nothing skipped and nothing repeated while the data did not change. Keyset cursors ordered by
/// (modified time, id) meet this and also survive records changing mid-import (a changed record reappears later with a
/// newer stamp; nothing shifts). Offset cursors over a changing result set do not.
/// </para>
/// <para>
/// Throw the usual exceptions: <see cref="CrmRateLimitedException"/> (the importer waits and asks for the same cursor again),
/// <see cref="CrmProviderUnavailableException"/>, <see cref="CrmAuthRevokedException"/>, <see cref="CrmRequestFailedException"/>.
/// </para>
/// </remarks>
public interface ICrmFetchProvider
{
    /// <summary>Gets what the provider can read.</summary>
    CrmFetchCapabilities FetchCapabilities { get; }

    /// <summary>Counts the records a filter matches, for the import preview.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The count, exact or estimated.</returns>
    Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of records matching <see cref="CrmFetchRequest.Filter"/>, starting at <see cref="CrmFetchRequest.Cursor"/>.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="request">The filter, the cursor (<see langword="null"/> for the first page) and the page size.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The records and the cursor of the next page (<see langword="null"/> after the last page).</returns>
    Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What a fetch provider can read.</summary>
public sealed record CrmFetchCapabilities
{
    /// <summary>Gets the object kinds it reads. Defaults to contacts, leads and deals.</summary>
    public IReadOnlySet<CrmFetchObjectType> Objects { get; init; } = new HashSet<CrmFetchObjectType>(Enum.GetValues<CrmFetchObjectType>());

    /// <summary>Gets the largest page the CRM returns (HubSpot search 200, Salesforce 2,000, Zoho 200, Pipedrive 500). Defaults to 100.</summary>
    public int MaxPageSize { get; init; } = 100;

    /// <summary>Gets whether <see cref="ICrmFetchProvider.CountAsync"/> is exact (otherwise the preview shows an estimate).</summary>
    public bool ExactCounts { get; init; } = true;
}

/// <summary>One page request.</summary>
/// <param name="Filter">The filter.</param>
/// <param name="Cursor">The cursor returned with the previous page, or <see langword="null"/> for the first page.</param>
/// <param name="PageSize">How many records to return at most; never above <see cref="CrmFetchCapabilities.MaxPageSize"/>.</param>
public sealed record CrmFetchRequest(CrmFetchFilter Filter, string? Cursor, int PageSize);

/// <summary>One page of fetched records.</summary>
/// <param name="Records">The records, in the provider's stable order.</param>
/// <param name="NextCursor">The cursor of the next page, or <see langword="null"/> when this was the last page.</param>
public sealed record CrmFetchPage(IReadOnlyList<CrmFetchedRecord> Records, string? NextCursor);

/// <summary>How many records a filter matches.</summary>
/// <param name="Total">The count.</param>
/// <param name="IsExact">Whether the CRM counted exactly (otherwise an estimate).</param>
public sealed record CrmFetchCount(long Total, bool IsExact);
