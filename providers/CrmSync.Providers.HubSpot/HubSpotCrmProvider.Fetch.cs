using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot;

/// <content>
/// The fetch direction: contacts, leads (contacts in the <c>lead</c> lifecycle stage) and deals with their primary company,
/// read with the CRM search API sorted by last-modified date. Pages are keyset pages: the cursor is the (modified, id) of
/// the last record returned, and the next search asks for records after it through two OR'd filter groups, so asking for
/// the same cursor again returns the same page and the 10,000-result window of search never runs out.
/// </content>
public sealed partial class HubSpotCrmProvider : ICrmFetchProvider
{
    private const int MaxSearchPage = 200;
    private static readonly TimeSpan PipelineCacheLifetime = TimeSpan.FromMinutes(5);

    private static readonly string[] ContactProperties =
        ["firstname", "lastname", "email", "phone", "mobilephone", "company", "jobtitle", "lifecyclestage", "hs_lead_status", "hs_analytics_source", "hubspot_owner_id", "createdate", "lastmodifieddate"];

    private static readonly string[] DealProperties =
        ["dealname", "dealstage", "pipeline", "amount", "closedate", "hubspot_owner_id", "createdate", "hs_lastmodifieddate", "closed_lost_reason", "closed_won_reason", "hs_analytics_source", "hs_is_closed", "hs_is_closed_won"];

    private static readonly string[] CompanyProperties = ["name", "domain", "website", "phone", "city", "country", "industry"];

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset ReadAt, IReadOnlyList<DealStageInfo> Stages)> _dealStages = new();

    /// <inheritdoc />
    public CrmFetchCapabilities FetchCapabilities { get; } = new() { MaxPageSize = MaxSearchPage, ExactCounts = true };

    /// <inheritdoc />
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var query = await BuildQueryAsync(context, filter, cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            return new CrmFetchCount(0, true);
        }

        var search = await SearchAsync(context, query, null, 1, cancellationToken).ConfigureAwait(false);
        return new CrmFetchCount(search.Total, true);
    }

    /// <inheritdoc />
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var after = request.Cursor is null ? (FetchCursor?)null : FetchCursor.Parse(request.Cursor, Name);
        var query = await BuildQueryAsync(context, request.Filter, cancellationToken).ConfigureAwait(false);
        if (query is null)
        {
            return new CrmFetchPage([], null);
        }

        var size = Math.Clamp(request.PageSize, 1, MaxSearchPage);
        var search = await SearchAsync(context, query, after, size, cancellationToken).ConfigureAwait(false);
        var results = search.Results ?? [];
        var companies = request.Filter.IncludeCompanies && results.Count > 0
            ? await ReadCompaniesAsync(context, query.ObjectType, results.Select(r => r.Id).ToList(), cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, CrmFetchedCompany>(StringComparer.Ordinal);

        var records = new List<CrmFetchedRecord>(results.Count);
        FetchCursor? last = null;
        foreach (var result in results)
        {
            var properties = result.Properties ?? [];
            var modified = ParseDate(properties.GetValueOrDefault(query.ModifiedProperty))
                ?? throw new CrmRequestFailedException($"HubSpot returned {query.ObjectType} {result.Id} without {query.ModifiedProperty}.", Name, 200, CrmProblemType.Unknown);
            last = new FetchCursor(modified.ToUnixTimeMilliseconds(), long.Parse(result.Id, NumberStyles.Integer, CultureInfo.InvariantCulture));
            records.Add(query.Kind == CrmFetchObjectType.Deal
                ? ToDeal(result.Id, properties, modified, query.Stages, companies.GetValueOrDefault(result.Id))
                : ToPerson(query.Kind, result.Id, properties, modified, companies.GetValueOrDefault(result.Id)));
        }

        var more = results.Count == size && !string.IsNullOrEmpty(search.Paging?.Next?.After);
        return new CrmFetchPage(records, more && last is { } cursor ? cursor.ToString() : null);
    }

    /// <summary>Translates a filter to search filters; <see langword="null"/> when nothing can match (no deal stage has the statuses asked for).</summary>
    private async Task<SearchQuery?> BuildQueryAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken)
    {
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            throw new CrmValidationException("Import filter", errors);
        }

        var filters = new List<HubSpotFilter>();
        IReadOnlyList<DealStageInfo> stages = [];
        string objectType;
        string modifiedProperty;
        string[] properties;
        if (filter.ObjectType == CrmFetchObjectType.Deal)
        {
            objectType = "deals";
            modifiedProperty = "hs_lastmodifieddate";
            properties = DealProperties;
            stages = await GetDealStagesAsync(context, cancellationToken).ConfigureAwait(false);

            // Closed-lost, closed-won and open are stage properties in HubSpot (custom pipelines have their own lost stages),
            // so statuses and the chosen stages (by id or label) become one dealstage IN filter.
            var wanted = stages
                .Where(s => filter.DealStatuses.Contains(s.Status))
                .Where(s => filter.Stages.Count == 0 || filter.Stages.Any(f => string.Equals(f, s.Id, StringComparison.OrdinalIgnoreCase) || string.Equals(f, s.Label, StringComparison.OrdinalIgnoreCase)))
                .Select(s => s.Id)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (wanted.Count == 0)
            {
                return null;
            }

            filters.Add(new HubSpotFilter("dealstage", "IN", Values: wanted));
        }
        else
        {
            objectType = "contacts";
            modifiedProperty = "lastmodifieddate";
            properties = ContactProperties;
            if (filter.ObjectType == CrmFetchObjectType.Lead)
            {
                filters.Add(new HubSpotFilter("lifecyclestage", "EQ", "lead"));
                if (filter.Stages.Count > 0)
                {
                    filters.Add(new HubSpotFilter("hs_lead_status", "IN", Values: filter.Stages.Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList()));
                }
            }
            else if (filter.Stages.Count > 0)
            {
                filters.Add(new HubSpotFilter("lifecyclestage", "IN", Values: filter.Stages.Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList()));
            }
        }

        if (filter.OwnerIds.Count > 0)
        {
            filters.Add(new HubSpotFilter("hubspot_owner_id", "IN", Values: filter.OwnerIds.Distinct(StringComparer.Ordinal).ToList()));
        }

        AddRange(filters, "createdate", filter.CreatedFrom, filter.CreatedBefore);
        AddRange(filters, modifiedProperty, filter.ModifiedSince, filter.ModifiedBefore);
        return new SearchQuery(filter.ObjectType, objectType, modifiedProperty, properties, filters, stages);

        static void AddRange(List<HubSpotFilter> filters, string property, DateTimeOffset? from, DateTimeOffset? before)
        {
            if (from is { } f)
            {
                filters.Add(new HubSpotFilter(property, "GTE", Millis(f)));
            }

            if (before is { } b)
            {
                filters.Add(new HubSpotFilter(property, "LT", Millis(b)));
            }
        }
    }

    private async Task<HubSpotSearchResponse> SearchAsync(CrmProviderContext context, SearchQuery query, FetchCursor? after, int limit, CancellationToken cancellationToken)
    {
        // Keyset: (modified > m) OR (modified = m AND id > i). Filter groups are OR'd, filters inside a group AND'd.
        List<HubSpotFilterGroup> groups = after is { } a
            ? [
                new([.. query.Filters, new HubSpotFilter(query.ModifiedProperty, "GT", Invariant(a.ModifiedMillis))]),
                new([.. query.Filters, new HubSpotFilter(query.ModifiedProperty, "EQ", Invariant(a.ModifiedMillis)), new HubSpotFilter("hs_object_id", "GT", Invariant(a.Id))]),
            ]
            : query.Filters.Count > 0 ? [new(query.Filters)] : [];
        var body = new HubSpotSearchRequest(groups, [new HubSpotSort(query.ModifiedProperty, "ASCENDING")], query.Properties, limit, null);
        var response = await SearchAsync(context, query.ObjectType, body, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        return response.Content ?? new HubSpotSearchResponse(0, [], null);
    }

    /// <summary>Reads the deal pipelines' stages (cached per connection for a few minutes: stages rarely change).</summary>
    private async Task<IReadOnlyList<DealStageInfo>> GetDealStagesAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_dealStages.TryGetValue(context.ConnectionId, out var cached) && now - cached.ReadAt < PipelineCacheLifetime)
        {
            return cached.Stages;
        }

        var (first, second) = Paths.Pipelines;
        var response = await SendAsync(context, (token, ct) => Api.GetPipelinesAsync(first, second, "deals", token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var stages = new List<DealStageInfo>();
        foreach (var pipeline in response.Content?.Results ?? [])
        {
            foreach (var stage in pipeline.Stages ?? [])
            {
                var closed = string.Equals(Metadata(stage, "isClosed"), "true", StringComparison.OrdinalIgnoreCase);
                var won = decimal.TryParse(Metadata(stage, "probability"), NumberStyles.Number, CultureInfo.InvariantCulture, out var p) && p >= 1m;
                var status = !closed ? CrmDealStatus.Open : won ? CrmDealStatus.ClosedWon : CrmDealStatus.ClosedLost;
                stages.Add(new DealStageInfo(stage.Id, stage.Label ?? stage.Id, pipeline.Id, status));
            }
        }

        _dealStages[context.ConnectionId] = (now, stages);
        return stages;

        static string? Metadata(HubSpotPipelineStage stage, string key) =>
            stage.Metadata is { } m && m.TryGetValue(key, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;
    }

    /// <summary>Reads the primary company of each record: one v4 association read and one company batch read per 100.</summary>
    private async Task<Dictionary<string, CrmFetchedCompany>> ReadCompaniesAsync(CrmProviderContext context, string fromType, List<string> ids, CancellationToken cancellationToken)
    {
        var (af, asec) = Paths.Associations;
        var input = new HubSpotBatchInput<HubSpotReadId>(ids.Select(i => new HubSpotReadId(i)).ToList());
        var associations = await SendAsync(context, (token, ct) => Api.ReadAssociationsAsync(af, asec, fromType, "companies", input, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(associations, context.ConnectionId);
        var companyOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in associations.Content?.Results ?? [])
        {
            var targets = result.To ?? [];
            var primary = targets.FirstOrDefault(t => (t.AssociationTypes ?? []).Any(at => string.Equals(at.Label, "Primary", StringComparison.OrdinalIgnoreCase) || at.TypeId is 1 or 5))
                ?? targets.FirstOrDefault();
            if (primary is not null)
            {
                companyOf[result.From.Id] = primary.ToObjectId.ValueKind == JsonValueKind.Number ? primary.ToObjectId.GetInt64().ToString(CultureInfo.InvariantCulture) : primary.ToObjectId.GetString() ?? string.Empty;
            }
        }

        var companies = new Dictionary<string, CrmFetchedCompany>(StringComparer.Ordinal);
        var (of, osec) = Paths.Objects;
        foreach (var chunk in companyOf.Values.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var read = new HubSpotBatchRead(null, chunk.Select(c => new HubSpotReadId(c)).ToList(), CompanyProperties);
            var response = await SendAsync(context, (token, ct) => Api.BatchReadAsync(of, osec, "companies", read, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, context.ConnectionId);
            foreach (var company in response.Content?.Results ?? [])
            {
                var p = company.Properties ?? [];
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var name in CompanyProperties.Skip(2))
                {
                    if (!string.IsNullOrEmpty(p.GetValueOrDefault(name)))
                    {
                        fields[name] = p[name];
                    }
                }

                companies[company.Id] = new CrmFetchedCompany
                {
                    CrmId = company.Id,
                    Name = p.GetValueOrDefault("name") ?? p.GetValueOrDefault("domain") ?? company.Id,
                    Domain = NullIfEmpty(p.GetValueOrDefault("domain")),
                    Fields = fields,
                };
            }
        }

        return companyOf
            .Where(c => companies.ContainsKey(c.Value))
            .ToDictionary(c => c.Key, c => companies[c.Value], StringComparer.Ordinal);
    }

    private static CrmFetchedRecord ToPerson(CrmFetchObjectType kind, string id, Dictionary<string, string?> p, DateTimeOffset modified, CrmFetchedCompany? company)
    {
        var first = NullIfEmpty(p.GetValueOrDefault("firstname"));
        var last = NullIfEmpty(p.GetValueOrDefault("lastname"));
        var email = NullIfEmpty(p.GetValueOrDefault("email"));
        var name = string.Join(' ', new[] { first, last }.Where(n => n is not null));
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CrmFieldNames.FirstName] = first,
            [CrmFieldNames.LastName] = last,
            [CrmFieldNames.Email] = email,
            [CrmFieldNames.Phone] = NullIfEmpty(p.GetValueOrDefault("phone")) ?? NullIfEmpty(p.GetValueOrDefault("mobilephone")),
            [CrmFieldNames.Company] = company?.Name ?? NullIfEmpty(p.GetValueOrDefault("company")),
            [CrmFieldNames.JobTitle] = NullIfEmpty(p.GetValueOrDefault("jobtitle")),
        };
        AddNative(fields, p, "lifecyclestage", "hs_lead_status", "hs_analytics_source");
        return new CrmFetchedRecord
        {
            ObjectType = kind,
            CrmId = id,
            Name = name.Length > 0 ? name : email ?? id,
            Stage = NullIfEmpty(p.GetValueOrDefault(kind == CrmFetchObjectType.Lead ? "hs_lead_status" : "lifecyclestage")),
            OwnerId = NullIfEmpty(p.GetValueOrDefault("hubspot_owner_id")),
            Source = NullIfEmpty(p.GetValueOrDefault("hs_analytics_source")),
            CreatedAt = ParseDate(p.GetValueOrDefault("createdate")) ?? modified,
            ModifiedAt = modified,
            Fields = fields,
            Company = company,
        };
    }

    private static CrmFetchedRecord ToDeal(string id, Dictionary<string, string?> p, DateTimeOffset modified, IReadOnlyList<DealStageInfo> stages, CrmFetchedCompany? company)
    {
        var stageId = NullIfEmpty(p.GetValueOrDefault("dealstage"));
        var stage = stages.FirstOrDefault(s => s.Id == stageId && s.PipelineId == p.GetValueOrDefault("pipeline")) ?? stages.FirstOrDefault(s => s.Id == stageId);
        var status = stage?.Status
            ?? (p.GetValueOrDefault("hs_is_closed_won") == "true" ? CrmDealStatus.ClosedWon : p.GetValueOrDefault("hs_is_closed") == "true" ? CrmDealStatus.ClosedLost : CrmDealStatus.Open);
        var name = NullIfEmpty(p.GetValueOrDefault("dealname"));
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [CrmFieldNames.Name] = name,
            [CrmFieldNames.Status] = stage?.Label ?? stageId,
            [CrmFieldNames.Company] = company?.Name,
        };
        AddNative(fields, p, "dealstage", "pipeline", "amount", "closedate", "closed_lost_reason", "closed_won_reason", "hs_analytics_source");
        return new CrmFetchedRecord
        {
            ObjectType = CrmFetchObjectType.Deal,
            CrmId = id,
            Name = name ?? id,
            Stage = stageId,
            DealStatus = status,
            OwnerId = NullIfEmpty(p.GetValueOrDefault("hubspot_owner_id")),
            Source = NullIfEmpty(p.GetValueOrDefault("hs_analytics_source")),
            CreatedAt = ParseDate(p.GetValueOrDefault("createdate")) ?? modified,
            ModifiedAt = modified,
            Fields = fields,
            Company = company,
        };
    }

    private static void AddNative(Dictionary<string, string?> fields, Dictionary<string, string?> properties, params string[] names)
    {
        foreach (var name in names)
        {
            if (NullIfEmpty(properties.GetValueOrDefault(name)) is { } value)
            {
                fields[name] = value;
            }
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Millis(DateTimeOffset value) => Invariant(value.ToUnixTimeMilliseconds());

    /// <summary>Parses a HubSpot date property: ISO 8601 (what the API returns) or epoch milliseconds.</summary>
    private static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(millis);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
    }

    private sealed record SearchQuery(CrmFetchObjectType Kind, string ObjectType, string ModifiedProperty, string[] Properties, List<HubSpotFilter> Filters, IReadOnlyList<DealStageInfo> Stages);

    private sealed record DealStageInfo(string Id, string Label, string PipelineId, CrmDealStatus Status);

    /// <summary>The keyset position: last-modified epoch milliseconds and record id of the last record returned.</summary>
    private readonly record struct FetchCursor(long ModifiedMillis, long Id)
    {
        public static FetchCursor Parse(string cursor, string provider)
        {
            var parts = cursor.Split(':');
            return parts.Length == 3 && parts[0] == "hs1"
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var modified)
                && long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                ? new FetchCursor(modified, id)
                : throw new CrmRequestFailedException($"Invalid HubSpot page cursor '{cursor}'.", provider, 400, CrmProblemType.InvalidValue);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"hs1:{ModifiedMillis}:{Id}");
    }
}
