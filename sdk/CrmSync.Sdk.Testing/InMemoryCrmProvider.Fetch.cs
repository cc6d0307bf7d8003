using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace CrmSync.Sdk.Testing;

/// <content>
/// The fetch direction: seedable CRM records (contacts, leads, deals with stages, owners, companies and modified times),
/// keyset cursor paging ordered by modified time with a configurable page size, counts, and injectable 429s on a given page request.
/// </content>
public sealed partial class InMemoryCrmProvider : ICrmFetchProvider
{
    private readonly object _fetchGate = new();
    private readonly Dictionary<(CrmFetchObjectType, string), CrmFetchedRecord> _fetchable = [];
    private readonly ConcurrentDictionary<int, Exception> _fetchFailures = new();
    private readonly ConcurrentQueue<CrmFetchRequest> _fetchRequests = new();
    private CrmFetchedRecord[]? _fetchOrder;
    private int _fetchCalls;

    /// <summary>Gets or sets the most records one page returns (the CRM's page limit). Defaults to 100.</summary>
    public int FetchPageSize { get; set; } = 100;

    /// <inheritdoc />
    public CrmFetchCapabilities FetchCapabilities => new() { MaxPageSize = FetchPageSize };

    /// <summary>Gets the number of page requests received (including throttled ones).</summary>
    public int FetchCallCount => Volatile.Read(ref _fetchCalls);

    /// <summary>Gets every page request received, in order (including throttled ones).</summary>
    public IReadOnlyList<CrmFetchRequest> FetchRequests => _fetchRequests.ToList();

    /// <summary>Gets the number of seeded records.</summary>
    public int FetchableCount
    {
        get
        {
            lock (_fetchGate)
            {
                return _fetchable.Count;
            }
        }
    }

    /// <summary>Adds or replaces records the CRM returns to fetches.</summary>
    /// <param name="records">The records.</param>
    public void Seed(IEnumerable<CrmFetchedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_fetchGate)
        {
            foreach (var r in records)
            {
                _fetchable[(r.ObjectType, r.CrmId)] = r;
            }

            _fetchOrder = null;
        }
    }

    /// <summary>Changes a seeded record the way a CRM user would: applies <paramref name="change"/> and stamps it modified now.</summary>
    /// <param name="objectType">The kind.</param>
    /// <param name="crmId">The CRM id.</param>
    /// <param name="change">The change; defaults to none (a touch).</param>
    /// <returns>The record after the change.</returns>
    /// <exception cref="KeyNotFoundException">No such record.</exception>
    public CrmFetchedRecord Modify(CrmFetchObjectType objectType, string crmId, Func<CrmFetchedRecord, CrmFetchedRecord>? change = null)
    {
        lock (_fetchGate)
        {
            var current = _fetchable.TryGetValue((objectType, crmId), out var r) ? r : throw new KeyNotFoundException($"No {objectType} '{crmId}' was seeded.");
            var next = (change?.Invoke(current) ?? current) with { ModifiedAt = _time.GetUtcNow() };
            _fetchable[(objectType, crmId)] = next;
            _fetchOrder = null;
            return next;
        }
    }

    /// <summary>Makes the <paramref name="pageRequest"/>-th page request from now (1-based) answer 429 with <paramref name="retryAfter"/>.</summary>
    /// <param name="pageRequest">Which request: 1 is the next one.</param>
    /// <param name="retryAfter">The wait the CRM asks for.</param>
    public void RateLimitFetchPage(int pageRequest, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageRequest);
        _fetchFailures[FetchCallCount + pageRequest] = new CrmRateLimitedException("Too many requests.", Name, retryAfter, false, "TEN_SECONDLY_ROLLING");
    }

    /// <inheritdoc />
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        await CheckAvailableAsync(context, cancellationToken).ConfigureAwait(false);
        return new CrmFetchCount(Ordered().Count(filter.Matches), true);
    }

    /// <inheritdoc />
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var call = Interlocked.Increment(ref _fetchCalls);
        _fetchRequests.Enqueue(request);
        if (_fetchFailures.TryRemove(call, out var failure))
        {
            throw failure;
        }

        await CheckAvailableAsync(context, cancellationToken).ConfigureAwait(false);
        var size = Math.Clamp(request.PageSize, 1, Math.Max(1, FetchPageSize));
        var ordered = Ordered();
        var start = request.Cursor is null ? 0 : FirstAfter(ordered, DecodeCursor(request.Cursor));
        var page = new List<CrmFetchedRecord>(size);
        var more = false;
        for (var i = start; i < ordered.Length; i++)
        {
            if (!request.Filter.Matches(ordered[i]))
            {
                continue;
            }

            if (page.Count == size)
            {
                more = true;
                break;
            }

            page.Add(request.Filter.IncludeCompanies ? ordered[i] : ordered[i] with { Company = null });
        }

        return new CrmFetchPage(page, more ? EncodeCursor(page[^1]) : null);
    }

    private static int Compare(CrmFetchedRecord r, (long Ticks, int Type, string Id) key)
    {
        var c = r.ModifiedAt.UtcTicks.CompareTo(key.Ticks);
        if (c == 0)
        {
            c = ((int)r.ObjectType).CompareTo(key.Type);
        }

        return c != 0 ? c : string.CompareOrdinal(r.CrmId, key.Id);
    }

    private static int FirstAfter(CrmFetchedRecord[] ordered, (long Ticks, int Type, string Id) key)
    {
        int lo = 0, hi = ordered.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Compare(ordered[mid], key) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // Keyset cursor: the (modified, type, id) of the last record returned. A record modified mid-import moves behind the
    // cursor and comes back later with its new stamp; nothing shifts, so nothing is skipped.
    private static string EncodeCursor(CrmFetchedRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{last.ModifiedAt.UtcTicks}:{(int)last.ObjectType}:{last.CrmId}")));

    private static (long Ticks, int Type, string Id) DecodeCursor(string cursor)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':', 3);
        }
        catch (FormatException)
        {
            parts = [];
        }

        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var type))
        {
            throw new CrmRequestFailedException($"Invalid page cursor '{cursor}'.", "inmemory", 400, CrmProblemType.InvalidValue);
        }

        return (ticks, type, parts[2]);
    }

    private CrmFetchedRecord[] Ordered()
    {
        lock (_fetchGate)
        {
            return _fetchOrder ??= _fetchable.Values
                .OrderBy(r => r.ModifiedAt.UtcTicks)
                .ThenBy(r => (int)r.ObjectType)
                .ThenBy(r => r.CrmId, StringComparer.Ordinal)
                .ToArray();
        }
    }
}
