using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CrmSync.Sdk;

/// <summary>
/// What to read from the CRM: one object kind, narrowed by stage, owner and date ranges. Date ranges are
/// inclusive at the start and exclusive at the end. Empty lists mean "any".
/// </summary>
public sealed record CrmFetchFilter
{
    /// <summary>Gets the kind of record to read. Defaults to <see cref="CrmFetchObjectType.Deal"/>.</summary>
    public CrmFetchObjectType ObjectType { get; init; } = CrmFetchObjectType.Deal;

    /// <summary>Gets the deal stages or lead statuses to read, in the CRM's terms (matched case-insensitively). Defaults to any.</summary>
    public IReadOnlyList<string> Stages { get; init; } = [];

    /// <summary>Gets the CRM owner ids to read. Defaults to any.</summary>
    public IReadOnlyList<string> OwnerIds { get; init; } = [];

    /// <summary>Gets which deals to read (ignored for contacts and leads). Defaults to closed-lost only.</summary>
    public IReadOnlyList<CrmDealStatus> DealStatuses { get; init; } = [CrmDealStatus.ClosedLost];

    /// <summary>Gets the earliest creation time to read (inclusive). Defaults to none.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the creation time before which to read (exclusive). Defaults to none.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>
    /// Gets the earliest modification time to read (inclusive). Incremental imports set it to the connection's
    /// high-water mark, so a record modified exactly at the mark is read again and deduplicated by the inbox.
    /// </summary>
    public DateTimeOffset? ModifiedSince { get; init; }

    /// <summary>Gets the modification time before which to read (exclusive). Defaults to none.</summary>
    public DateTimeOffset? ModifiedBefore { get; init; }

    /// <summary>Gets whether to read the company of each record. Defaults to <see langword="true"/>.</summary>
    public bool IncludeCompanies { get; init; } = true;

    /// <summary>
    /// Gets a stable key of everything but <see cref="ModifiedSince"/>: two imports with the same key read the same
    /// records, so the high-water mark of one applies to the other.
    /// </summary>
    /// <returns>The key.</returns>
    public string GetScopeKey()
    {
        var b = new StringBuilder();
        b.Append(ObjectType).Append('|');
        foreach (var s in Stages.Select(s => s.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal))
        {
            b.Append(s).Append(',');
        }

        b.Append('|');
        foreach (var o in OwnerIds.Distinct().Order(StringComparer.Ordinal))
        {
            b.Append(o).Append(',');
        }

        b.Append('|');
        if (ObjectType == CrmFetchObjectType.Deal)
        {
            foreach (var d in DealStatuses.Distinct().Order())
            {
                b.Append(d).Append(',');
            }
        }

        b.Append('|').Append(Stamp(CreatedFrom)).Append('|').Append(Stamp(CreatedBefore)).Append('|').Append(Stamp(ModifiedBefore)).Append('|').Append(IncludeCompanies);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(b.ToString())), 0, 16);
    }

    /// <summary>Returns whether <paramref name="record"/> matches this filter (for providers that filter in memory, and for tests).</summary>
    /// <param name="record">The record.</param>
    /// <returns><see langword="true"/> when it matches.</returns>
    public bool Matches(CrmFetchedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ObjectType == ObjectType
            && (ObjectType != CrmFetchObjectType.Deal || (record.DealStatus is { } d && DealStatuses.Contains(d)))
            && (Stages.Count == 0 || (record.Stage is { } stage && Stages.Contains(stage, StringComparer.OrdinalIgnoreCase)))
            && (OwnerIds.Count == 0 || (record.OwnerId is { } owner && OwnerIds.Contains(owner, StringComparer.Ordinal)))
            && (CreatedFrom is null || record.CreatedAt >= CreatedFrom)
            && (CreatedBefore is null || record.CreatedAt < CreatedBefore)
            && (ModifiedSince is null || record.ModifiedAt >= ModifiedSince)
            && (ModifiedBefore is null || record.ModifiedAt < ModifiedBefore);
    }

    /// <summary>Returns the problems of this filter, empty when it is valid.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<CrmValidationError> Validate()
    {
        var errors = new List<CrmValidationError>();
        if (!Enum.IsDefined(ObjectType))
        {
            errors.Add(new("ObjectType", $"Unknown object type {(int)ObjectType}."));
        }

        if (ObjectType == CrmFetchObjectType.Deal && DealStatuses.Count == 0)
        {
            errors.Add(new("DealStatuses", "Choose at least one deal status (closed-lost, closed-won or open)."));
        }

        if (CreatedFrom is { } cf && CreatedBefore is { } cb && cf >= cb)
        {
            errors.Add(new("CreatedFrom", $"The created range is empty: {cf:O} is not before {cb:O}."));
        }

        if (ModifiedSince is { } ms && ModifiedBefore is { } mb && ms >= mb)
        {
            errors.Add(new("ModifiedSince", $"The modified range is empty: {ms:O} is not before {mb:O}."));
        }

        if (Stages.Any(string.IsNullOrWhiteSpace) || OwnerIds.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new("Stages", "Stages and owner ids must not be blank."));
        }

        return errors;
    }

    private static string Stamp(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "-";
}
