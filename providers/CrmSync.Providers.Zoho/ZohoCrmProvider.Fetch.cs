using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho;

/// <content>
/// The fetch direction: contacts, leads and deals (closed-lost, optionally won or open) with their accounts, read with
/// COQL ordered by (<c>Modified_Time</c>, <c>id</c>) and paged with keyset cursors; counts through COQL <c>COUNT(id)</c>.
/// </content>
/// <remarks>
/// Every filter is expressed in COQL (stage, owner, created and modified ranges), so pages are full and counts are exact.
/// The cursor is the (<c>Modified_Time</c>, <c>id</c>) of the last record returned; the next page asks for records after
/// it, so asking again for the same cursor returns the same page and a record changed during an import moves behind the
/// cursor and is read later with its new stamp. An incremental first page first asks the records list with
/// <c>If-Modified-Since</c>: a 304 ends the read without running a query.
/// </remarks>
public sealed partial class ZohoCrmProvider : ICrmFetchProvider
{
    /// <summary>
    /// The largest page: a query asks for one more row than the page to know whether another follows, and a COQL LIMIT
    /// above 200 costs 2 API credits instead of 1 (201–1,000; 3 up to 2,000), so pages stop at 199.
    /// </summary>
    private const int MaxFetchPage = 199;

    /// <inheritdoc />
    public CrmFetchCapabilities FetchCapabilities { get; } = new() { MaxPageSize = MaxFetchPage, ExactCounts = true };

    /// <inheritdoc />
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var query = $"select COUNT(id) from {ModuleOf(filter.ObjectType)} where {Criteria(filter)}";
        using var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.QueryAsync(new ZohoCoqlRequest(query), auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return new CrmFetchCount(0, true);
        }

        EnsureSuccess(response, "count records");
        var row = response.Content!.Data?.FirstOrDefault();
        var total = row?["COUNT(id)"] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        return new CrmFetchCount(total, true);
    }

    /// <inheritdoc />
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var filter = request.Filter;
        var module = ModuleOf(filter.ObjectType);
        if (request.Cursor is null && filter.ModifiedSince is { } since && !await ChangedSinceAsync(context, module, since, cancellationToken).ConfigureAwait(false))
        {
            return new CrmFetchPage([], null);
        }

        var size = Math.Clamp(request.PageSize, 1, MaxFetchPage);
        var where = Criteria(filter);
        if (request.Cursor is not null)
        {
            var (stamp, id) = DecodeCursor(request.Cursor);
            where = $"({where}) and ((Modified_Time > '{stamp}') or (Modified_Time = '{stamp}' and id > {id}))";
        }

        var query = $"select {string.Join(", ", FieldsOf(filter.ObjectType))} from {module} where {where} order by Modified_Time asc, id asc limit {size + 1}";
        using var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.QueryAsync(new ZohoCoqlRequest(query), auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return new CrmFetchPage([], null);
        }

        EnsureSuccess(response, $"read {module}");
        var rows = response.Content!.Data ?? [];
        var more = rows.Count > size;
        if (more)
        {
            rows = rows.Take(size).ToList();
        }

        Dictionary<string, JsonObject>? accounts = null;
        if (filter.IncludeCompanies && filter.ObjectType != CrmFetchObjectType.Lead)
        {
            accounts = await GetAccountsAsync(context, rows.Select(r => Lookup(r, "Account_Name")), cancellationToken).ConfigureAwait(false);
        }

        var records = rows.Select(r => ToRecord(filter.ObjectType, r, accounts)).ToList();
        return new CrmFetchPage(records, more && records.Count > 0 ? EncodeCursor(Text(rows[^1], "Modified_Time")!, Text(rows[^1], "id")!) : null);
    }

    private static string ModuleOf(CrmFetchObjectType type) => type switch
    {
        CrmFetchObjectType.Lead => "Leads",
        CrmFetchObjectType.Deal => "Deals",
        _ => "Contacts",
    };

    private static string[] FieldsOf(CrmFetchObjectType type) => type switch
    {
        CrmFetchObjectType.Deal => ["Deal_Name", "Stage", "Owner", "Account_Name", "Amount", "Closing_Date", "Lead_Source", "Created_Time", "Modified_Time"],
        CrmFetchObjectType.Lead => ["First_Name", "Last_Name", "Email", "Phone", "Company", "Lead_Status", "Lead_Source", "Owner", "Created_Time", "Modified_Time"],
        _ => ["First_Name", "Last_Name", "Email", "Phone", "Account_Name", "Lead_Source", "Owner", "Created_Time", "Modified_Time"],
    };

    private static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string InList(IEnumerable<string> values) => "(" + string.Join(", ", values.Select(Quote)) + ")";

    /// <summary>Zoho stamps whole seconds: round the range outwards, which keeps both ends exact at that precision.</summary>
    private static string Stamp(DateTimeOffset value, bool roundUp)
    {
        var seconds = value.ToUnixTimeSeconds();
        if (roundUp && DateTimeOffset.FromUnixTimeSeconds(seconds) < value)
        {
            seconds++;
        }

        return ZohoTime(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>The COQL condition of a filter. It always has at least one term (COQL needs a where clause).</summary>
    private string Criteria(CrmFetchFilter filter)
    {
        var terms = new List<string> { "id is not null" };
        var stageField = filter.ObjectType == CrmFetchObjectType.Lead ? "Lead_Status" : "Stage";
        if (filter.ObjectType == CrmFetchObjectType.Deal)
        {
            var closed = _options.ClosedLostStages.Concat(_options.ClosedWonStages).ToList();
            var alternatives = filter.DealStatuses.Distinct().Order().Select(status => status switch
            {
                CrmDealStatus.ClosedLost => $"Stage in {InList(_options.ClosedLostStages)}",
                CrmDealStatus.ClosedWon => $"Stage in {InList(_options.ClosedWonStages)}",
                _ => $"Stage not in {InList(closed)}",
            }).ToList();
            terms.Add("(" + string.Join(" or ", alternatives) + ")");
        }

        if (filter.ObjectType != CrmFetchObjectType.Contact && filter.Stages.Count > 0)
        {
            terms.Add($"{stageField} in {InList(filter.Stages.Select(s => s.Trim()))}");
        }
        else if (filter.ObjectType == CrmFetchObjectType.Contact && filter.Stages.Count > 0)
        {
            // Contacts have no stage: a stage filter matches none, as CrmFetchFilter.Matches says.
            terms.Add("id is null");
        }

        if (filter.OwnerIds.Count > 0)
        {
            terms.Add($"Owner in {InList(filter.OwnerIds)}");
        }

        if (filter.CreatedFrom is { } cf)
        {
            terms.Add($"Created_Time >= {Quote(Stamp(cf, roundUp: true))}");
        }

        if (filter.CreatedBefore is { } cb)
        {
            terms.Add($"Created_Time < {Quote(Stamp(cb, roundUp: true))}");
        }

        if (filter.ModifiedSince is { } ms)
        {
            terms.Add($"Modified_Time >= {Quote(Stamp(ms, roundUp: false))}");
        }

        if (filter.ModifiedBefore is { } mb)
        {
            terms.Add($"Modified_Time < {Quote(Stamp(mb, roundUp: true))}");
        }

        return string.Join(" and ", terms);
    }

    /// <summary>Asks the records list whether anything changed after <paramref name="since"/> (304 when not).</summary>
    private async Task<bool> ChangedSinceAsync(CrmProviderContext context, string module, DateTimeOffset since, CancellationToken cancellationToken)
    {
        // If-Modified-Since means "after": a record stamped exactly at the mark was read by the run that set it.
        var header = ZohoTime(DateTimeOffset.FromUnixTimeSeconds(since.ToUnixTimeSeconds()));
        using var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.ListRecordsAsync(module, "id", null, 1, header, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotModified or HttpStatusCode.NoContent)
        {
            return false;
        }

        EnsureSuccess(response, $"check {module} for changes");
        return true;
    }

    private async Task<Dictionary<string, JsonObject>> GetAccountsAsync(CrmProviderContext context, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var chunk in ids.OfType<string>().Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var list = string.Join(',', chunk);
            using var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.ListRecordsAsync("Accounts", "Account_Name,Website", list, 100, null, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                continue;
            }

            EnsureSuccess(response, "read accounts");
            foreach (var account in response.Content!.Data ?? [])
            {
                if (Text(account, "id") is { } id)
                {
                    result[id] = account;
                }
            }
        }

        return result;
    }

    private CrmFetchedRecord ToRecord(CrmFetchObjectType type, JsonObject row, Dictionary<string, JsonObject>? accounts)
    {
        var id = Text(row, "id") ?? throw new CrmRequestFailedException($"{DisplayName} returned a record without id.", Name, null, CrmProblemType.Unknown);
        var modified = Time(row, "Modified_Time") ?? throw new CrmRequestFailedException($"{DisplayName} returned record {id} without Modified_Time.", Name, null, CrmProblemType.Unknown);
        CrmFetchedCompany? company = null;
        if (Lookup(row, "Account_Name") is { } accountId && accounts is not null && accounts.TryGetValue(accountId, out var account))
        {
            company = new CrmFetchedCompany
            {
                CrmId = accountId,
                Name = Text(account, "Account_Name") ?? accountId,
                Domain = DomainOf(Text(account, "Website")),
                Fields = new Dictionary<string, string?> { ["Website"] = Text(account, "Website") },
            };
        }

        var fields = new Dictionary<string, string?>();
        foreach (var (key, value) in row)
        {
            fields[key] = value is JsonObject lookup ? Text(lookup, "id") : Text(row, key);
        }

        string? name;
        string? stage = null;
        CrmDealStatus? status = null;
        if (type == CrmFetchObjectType.Deal)
        {
            name = Text(row, "Deal_Name");
            stage = Text(row, "Stage");
            status = DealStatusOf(stage);
            fields[CrmFieldNames.Name] = name;
        }
        else
        {
            fields[CrmFieldNames.FirstName] = Text(row, "First_Name");
            fields[CrmFieldNames.LastName] = Text(row, "Last_Name");
            fields[CrmFieldNames.Email] = Text(row, "Email");
            fields[CrmFieldNames.Phone] = Text(row, "Phone");
            name = $"{Text(row, "First_Name")} {Text(row, "Last_Name")}".Trim();
            if (type == CrmFetchObjectType.Lead)
            {
                stage = Text(row, "Lead_Status");
                fields[CrmFieldNames.Company] = Text(row, "Company");
            }
        }

        if (company is not null)
        {
            fields[CrmFieldNames.Company] = company.Name;
        }

        return new CrmFetchedRecord
        {
            ObjectType = type,
            CrmId = id,
            Name = name,
            Stage = stage,
            DealStatus = status,
            OwnerId = Lookup(row, "Owner"),
            Source = Text(row, "Lead_Source"),
            CreatedAt = Time(row, "Created_Time") ?? modified,
            ModifiedAt = modified,
            Fields = fields,
            Company = company,
        };
    }

    private CrmDealStatus DealStatusOf(string? stage) =>
        stage is null ? CrmDealStatus.Open
        : _options.ClosedLostStages.Contains(stage, StringComparer.OrdinalIgnoreCase) ? CrmDealStatus.ClosedLost
        : _options.ClosedWonStages.Contains(stage, StringComparer.OrdinalIgnoreCase) ? CrmDealStatus.ClosedWon
        : CrmDealStatus.Open;

    private static string? DomainOf(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
        {
            return null;
        }

        var text = website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host;
        return host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;
    }

    private static string? Text(JsonObject row, string field) => row[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject => null,
        var other => other.ToJsonString(),
    };

    private static string? Lookup(JsonObject row, string field) => row[field] is JsonObject lookup ? Text(lookup, "id") : null;

    private static DateTimeOffset? Time(JsonObject row, string field) =>
        Text(row, field) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? value : null;

    private static string EncodeCursor(string modifiedTime, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(modifiedTime + "|" + id));

    private (string Stamp, string Id) DecodeCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split('|');
            if (parts.Length == 2
                && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var stamp)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (ZohoTime(stamp), id.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw new CrmRequestFailedException($"Invalid {DisplayName} page cursor '{cursor}'.", Name, 400, CrmProblemType.InvalidValue);
    }
}
