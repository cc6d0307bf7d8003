using System.Collections.Concurrent;
using System.Globalization;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive;

/// <content>
/// The fetch direction: persons (contacts) and deals (closed-lost, optionally won or open) with their organizations,
/// read through Pipedrive's v2 list endpoints sorted by <c>update_time</c> with keyset cursors.
/// </content>
/// <remarks>
/// Pipedrive filters one owner, one stage and the deal statuses itself (<c>owner_id</c>, <c>stage_id</c>, <c>status</c>)
/// and the modified range through <c>updated_since</c>/<c>updated_until</c>; several owners or stages and the created range
/// are filtered from each page, so a page may hold fewer records than asked for. Pipedrive's cursors are keyset cursors over
/// (<c>update_time</c>, id): asking again for the same cursor returns the same page, and a record changed during an import
/// moves behind the cursor and is read again later with its new stamp. Pipedrive reports no totals, so counts are
/// counted page by page up to <see cref="CountPageLimit"/> pages and are estimates beyond that.
/// </remarks>
public sealed partial class PipedriveCrmProvider : ICrmFetchProvider
{
    /// <summary>The most list pages (of 500) <see cref="CountAsync"/> reads before it returns an estimate.</summary>
    public const int CountPageLimit = 10;

    private const int MaxListLimit = 500;
    private static readonly TimeSpan StageCacheLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, IReadOnlyList<PipedriveStage> Stages)> _stages = new();

    /// <inheritdoc />
    /// <remarks>Contacts (persons) and deals. Pipedrive's leads live only in the v1 API with offset paging, which cannot resume safely, so they are not read.</remarks>
    public CrmFetchCapabilities FetchCapabilities { get; } = new()
    {
        Objects = new HashSet<CrmFetchObjectType> { CrmFetchObjectType.Contact, CrmFetchObjectType.Deal },
        MaxPageSize = MaxListLimit,
        ExactCounts = false,
    };

    /// <inheritdoc />
    /// <remarks>Pipedrive has no count endpoint: this reads up to <see cref="CountPageLimit"/> pages of ids and reports an estimate (<see cref="CrmFetchCount.IsExact"/> false) when there are more.</remarks>
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var countFilter = filter with { IncludeCompanies = false };
        long total = 0;
        string? cursor = null;
        for (var pages = 0; pages < CountPageLimit; pages++)
        {
            var page = await FetchPageAsync(context, new CrmFetchRequest(countFilter, cursor, MaxListLimit), cancellationToken).ConfigureAwait(false);
            total += page.Records.Count;
            cursor = page.NextCursor;
            if (cursor is null)
            {
                return new CrmFetchCount(total, true);
            }
        }

        return new CrmFetchCount(total, false);
    }

    /// <inheritdoc />
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var filter = request.Filter;
        if (!FetchCapabilities.Objects.Contains(filter.ObjectType))
        {
            throw new CrmRequestFailedException($"{DisplayName} cannot import {filter.ObjectType} records.", Name, null, CrmProblemType.InvalidValue);
        }

        var limit = Math.Clamp(request.PageSize, 1, MaxListLimit);
        var since = filter.ModifiedSince is { } ms ? RfcSeconds(ms, roundUp: false) : null;
        var until = filter.ModifiedBefore is { } mb ? RfcSeconds(mb, roundUp: true) : null;
        var ownerIds = filter.OwnerIds.Select(ParseId).ToList();
        var singleOwner = ownerIds.Count == 1 ? ownerIds[0] : null;
        if (ownerIds.Count > 0 && ownerIds.All(o => o is null))
        {
            // No Pipedrive user has such an id: nothing can match.
            return new CrmFetchPage([], null);
        }

        if (filter.ObjectType == CrmFetchObjectType.Contact)
        {
            using var persons = await SendAsync(
                context,
                (api, auth, baseAddress, ct) => api.ListPersonsAsync(singleOwner, since, until, "update_time", "asc", limit, request.Cursor, auth, context.ConnectionId, baseAddress, ct),
                cancellationToken).ConfigureAwait(false);
            EnsureSuccess(persons, "list persons");
            var listed = persons.Content!.Data ?? [];
            var organizations = filter.IncludeCompanies ? await GetOrganizationsAsync(context, listed.Select(p => p.OrgId), cancellationToken).ConfigureAwait(false) : null;
            var records = listed.Where(p => !p.IsDeleted).Select(p => ToRecord(p, organizations)).Where(filter.Matches).ToList();
            return new CrmFetchPage(records, NextCursor(persons.Content, request.Cursor));
        }

        var stages = await GetStagesAsync(context, cancellationToken).ConfigureAwait(false);
        HashSet<long>? stageIds = null;
        if (filter.Stages.Count > 0)
        {
            stageIds = stages.Where(s => filter.Stages.Any(wanted => StageMatches(s, wanted))).Select(s => s.Id).ToHashSet();
            if (stageIds.Count == 0)
            {
                return new CrmFetchPage([], null);
            }
        }

        var statuses = string.Join(',', filter.DealStatuses.Distinct().Order().Select(StatusOf));
        var singleStage = stageIds is { Count: 1 } ? stageIds.First() : (long?)null;
        using var deals = await SendAsync(
            context,
            (api, auth, baseAddress, ct) => api.ListDealsAsync(singleOwner, singleStage, statuses, since, until, "update_time", "asc", limit, request.Cursor, auth, context.ConnectionId, baseAddress, ct),
            cancellationToken).ConfigureAwait(false);
        EnsureSuccess(deals, "list deals");
        var page = (deals.Content!.Data ?? []).Where(d => !d.IsDeleted && (stageIds is null || (d.StageId is { } id && stageIds.Contains(id)))).ToList();
        var orgs = filter.IncludeCompanies ? await GetOrganizationsAsync(context, page.Select(d => d.OrgId), cancellationToken).ConfigureAwait(false) : null;
        var stageNames = stages.ToDictionary(s => s.Id, s => s.Name);
        var stagesChecked = filter with { Stages = [] };
        var matching = page.Select(d => ToRecord(d, stageNames, orgs)).Where(stagesChecked.Matches).ToList();
        return new CrmFetchPage(matching, NextCursor(deals.Content, request.Cursor));
    }

    private static bool StageMatches(PipedriveStage stage, string wanted) =>
        !stage.IsDeleted && (string.Equals(stage.Name, wanted.Trim(), StringComparison.OrdinalIgnoreCase) || (ParseId(wanted.Trim()) is { } id && id == stage.Id));

    private static string StatusOf(CrmDealStatus status) => status switch
    {
        CrmDealStatus.ClosedWon => "won",
        CrmDealStatus.ClosedLost => "lost",
        _ => "open",
    };

    private static CrmDealStatus? DealStatusOf(string? status) => status switch
    {
        "won" => CrmDealStatus.ClosedWon,
        "lost" => CrmDealStatus.ClosedLost,
        "open" => CrmDealStatus.Open,
        _ => null,
    };

    /// <summary><c>updated_since</c>/<c>updated_until</c> take whole seconds: round outwards and let the post-filter be exact.</summary>
    private static string RfcSeconds(DateTimeOffset value, bool roundUp)
    {
        var seconds = value.ToUnixTimeSeconds();
        if (roundUp && DateTimeOffset.FromUnixTimeSeconds(seconds) < value)
        {
            seconds++;
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private string? NextCursor<T>(PipedriveResponse<T> response, string? current)
    {
        var next = response.AdditionalData is { ValueKind: System.Text.Json.JsonValueKind.Object } data
            && data.TryGetProperty("next_cursor", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? value.GetString()
            : null;
        if (next is not null && next == current)
        {
            throw new CrmRequestFailedException($"{DisplayName} returned the same page cursor again.", Name, null, CrmProblemType.Unknown);
        }

        return string.IsNullOrEmpty(next) ? null : next;
    }

    private async Task<IReadOnlyList<PipedriveStage>> GetStagesAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_stages.TryGetValue(context.ConnectionId, out var cached) && now - cached.At < StageCacheLifetime)
        {
            return cached.Stages;
        }

        var all = new List<PipedriveStage>();
        string? cursor = null;
        do
        {
            var current = cursor;
            using var response = await SendAsync(
                context,
                (api, auth, baseAddress, ct) => api.ListStagesAsync(MaxListLimit, current, auth, context.ConnectionId, baseAddress, ct),
                cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, "list pipeline stages");
            all.AddRange(response.Content!.Data ?? []);
            cursor = NextCursor(response.Content, current);
        }
        while (cursor is not null);

        _stages[context.ConnectionId] = (now, all);
        return all;
    }

    private async Task<Dictionary<long, PipedriveOrganization>> GetOrganizationsAsync(CrmProviderContext context, IEnumerable<long?> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, PipedriveOrganization>();
        foreach (var chunk in ids.OfType<long>().Distinct().Order().Chunk(100))
        {
            var list = string.Join(',', chunk.Select(Id));
            using var response = await SendAsync(
                context,
                (api, auth, baseAddress, ct) => api.GetOrganizationsAsync(list, 100, auth, context.ConnectionId, baseAddress, ct),
                cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, "read organizations");
            foreach (var org in response.Content!.Data ?? [])
            {
                result[org.Id] = org;
            }
        }

        return result;
    }

    private static CrmFetchedCompany? CompanyOf(long? orgId, Dictionary<long, PipedriveOrganization>? organizations)
    {
        if (orgId is not { } id || organizations is null || !organizations.TryGetValue(id, out var org))
        {
            return null;
        }

        var fields = new Dictionary<string, string?>();
        if (org.Address?.Value is { Length: > 0 } address)
        {
            fields["address"] = address;
        }

        if (org.OwnerId is { } owner)
        {
            fields["owner_id"] = Id(owner);
        }

        return new CrmFetchedCompany { CrmId = Id(org.Id), Name = org.Name ?? $"Organization {org.Id}", Fields = fields };
    }

    private CrmFetchedRecord ToRecord(PipedriveDeal deal, Dictionary<long, string?> stageNames, Dictionary<long, PipedriveOrganization>? organizations)
    {
        var company = CompanyOf(deal.OrgId, organizations);
        var stage = deal.StageId is { } s ? (stageNames.TryGetValue(s, out var name) && name is not null ? name : Id(s)) : null;
        var fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.Name] = deal.Title,
            [CrmFieldNames.Status] = deal.Status,
            ["value"] = deal.Value?.ToString(CultureInfo.InvariantCulture),
            ["currency"] = deal.Currency,
            ["stage_id"] = deal.StageId is { } sid ? Id(sid) : null,
            ["pipeline_id"] = deal.PipelineId is { } pid ? Id(pid) : null,
            ["person_id"] = deal.PersonId is { } person ? Id(person) : null,
        };
        if (deal.LostReason is not null)
        {
            fields["lost_reason"] = deal.LostReason;
        }

        if (company is not null)
        {
            fields[CrmFieldNames.Company] = company.Name;
        }

        return new CrmFetchedRecord
        {
            ObjectType = CrmFetchObjectType.Deal,
            CrmId = Id(deal.Id),
            Name = deal.Title,
            Stage = stage,
            DealStatus = DealStatusOf(deal.Status),
            OwnerId = deal.OwnerId is { } owner ? Id(owner) : null,
            Source = deal.Origin,
            CreatedAt = deal.AddTime ?? deal.UpdateTime ?? default,
            ModifiedAt = deal.UpdateTime ?? throw new CrmRequestFailedException($"{DisplayName} returned deal {deal.Id} without update_time.", Name, null, CrmProblemType.Unknown),
            Fields = fields,
            Company = company,
        };
    }

    private CrmFetchedRecord ToRecord(PipedriveListedPerson person, Dictionary<long, PipedriveOrganization>? organizations)
    {
        var company = CompanyOf(person.OrgId, organizations);
        var fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.Name] = person.Name,
            [CrmFieldNames.FirstName] = person.FirstName,
            [CrmFieldNames.LastName] = person.LastName,
            [CrmFieldNames.Email] = Primary(person.Emails),
            [CrmFieldNames.Phone] = Primary(person.Phones),
        };
        if (company is not null)
        {
            fields[CrmFieldNames.Company] = company.Name;
        }

        return new CrmFetchedRecord
        {
            ObjectType = CrmFetchObjectType.Contact,
            CrmId = Id(person.Id),
            Name = person.Name,
            OwnerId = person.OwnerId is { } owner ? Id(owner) : null,
            CreatedAt = person.AddTime ?? person.UpdateTime ?? default,
            ModifiedAt = person.UpdateTime ?? throw new CrmRequestFailedException($"{DisplayName} returned person {person.Id} without update_time.", Name, null, CrmProblemType.Unknown),
            Fields = fields,
            Company = company,
        };

        static string? Primary(List<PipedriveListedValue>? values) =>
            values is null ? null : (values.FirstOrDefault(v => v.Primary) ?? values.FirstOrDefault())?.Value;
    }
}
