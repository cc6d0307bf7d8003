using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce;

/// <content>
/// The fetch direction: Contacts, Leads (not converted) and Opportunities with their Account, read with SOQL ordered by
/// <c>SystemModstamp, Id</c>. Pages are keyset pages: the cursor is the (SystemModstamp, Id) of the last record returned and
/// the next query asks for <c>SystemModstamp &gt; m OR (SystemModstamp = m AND Id &gt; i)</c>, so asking for the same cursor again
/// (after a 403 <c>REQUEST_LIMIT_EXCEEDED</c>, a restart or days later) returns the same page. Query locators
/// (<c>nextRecordsUrl</c>) are followed only inside one page, since they expire.
/// </content>
public sealed partial class SalesforceCrmProvider : ICrmFetchProvider
{
    private const int MaxQueryPage = 2000;

    private static readonly string[] AccountFields = ["Id", "Name", "Website", "Phone", "Industry", "BillingCity", "BillingCountry"];

    /// <inheritdoc />
    public CrmFetchCapabilities FetchCapabilities { get; } = new() { MaxPageSize = MaxQueryPage, ExactCounts = true };

    /// <inheritdoc />
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var query = BuildQuery(filter);
        if (query is null)
        {
            return new CrmFetchCount(0, true);
        }

        var soql = $"SELECT COUNT() FROM {query.SObject}{Where(query.Conditions)}";
        var response = await SendAsync(context, (token, instance, ct) => Api.QueryAsync(Options.ApiVersion, soql, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        return new CrmFetchCount(response.Content?.TotalSize ?? 0, true);
    }

    /// <inheritdoc />
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var after = request.Cursor is null ? (FetchCursor?)null : FetchCursor.Parse(request.Cursor, Name);
        var query = BuildQuery(request.Filter);
        if (query is null)
        {
            return new CrmFetchPage([], null);
        }

        var size = Math.Clamp(request.PageSize, 1, MaxQueryPage);
        var conditions = new List<string>(query.Conditions);
        if (after is { } a)
        {
            var stamp = Literal(a.Modified);
            conditions.Add($"(SystemModstamp > {stamp} OR (SystemModstamp = {stamp} AND Id > {Quote(a.Id)}))");
        }

        var fields = request.Filter.IncludeCompanies && query.HasAccount
            ? query.Fields.Concat(AccountFields.Select(f => "Account." + f))
            : query.Fields;
        var soql = $"SELECT {string.Join(", ", fields)} FROM {query.SObject}{Where(conditions)} ORDER BY SystemModstamp ASC, Id ASC LIMIT {size + 1}";
        var rows = await QueryAllAsync(context, soql, cancellationToken).ConfigureAwait(false);

        var records = new List<CrmFetchedRecord>(Math.Min(rows.Count, size));
        foreach (var row in rows.Take(size))
        {
            var id = Text(row, "Id") ?? throw new CrmRequestFailedException($"Salesforce returned a {query.SObject} without Id.", Name, 200, CrmProblemType.Unknown);
            var modified = ParseDateTime(Text(row, "SystemModstamp"))
                ?? throw new CrmRequestFailedException($"Salesforce returned {query.SObject} {id} without SystemModstamp.", Name, 200, CrmProblemType.Unknown);
            records.Add(ToRecord(request.Filter.ObjectType, id, row, modified, request.Filter.IncludeCompanies ? Company(row) : null));
        }

        var more = rows.Count > size;
        return new CrmFetchPage(records, more ? new FetchCursor(records[^1].ModifiedAt, records[^1].CrmId).ToString() : null);
    }

    /// <summary>Translates a filter to SOQL conditions; <see langword="null"/> when nothing can match (a stage filter on contacts, which have none).</summary>
    private static FetchQuery? BuildQuery(CrmFetchFilter filter)
    {
        var errors = filter.Validate();
        if (errors.Count > 0)
        {
            throw new CrmValidationException("Import filter", errors);
        }

        var conditions = new List<string>();
        FetchQuery query;
        switch (filter.ObjectType)
        {
            case CrmFetchObjectType.Deal:
                query = new FetchQuery("Opportunity", ["Id", "Name", "StageName", "IsClosed", "IsWon", "Amount", "CloseDate", "Type", "LeadSource", "OwnerId", "AccountId", "CreatedDate", "SystemModstamp"], conditions, HasAccount: true);
                var statuses = filter.DealStatuses.Distinct().ToList();
                if (statuses.Count < Enum.GetValues<CrmDealStatus>().Length)
                {
                    var parts = statuses.Select(s => s switch
                    {
                        CrmDealStatus.ClosedLost => "(IsClosed = true AND IsWon = false)",
                        CrmDealStatus.ClosedWon => "IsWon = true",
                        _ => "IsClosed = false",
                    });
                    conditions.Add($"({string.Join(" OR ", parts)})");
                }

                if (filter.Stages.Count > 0)
                {
                    conditions.Add($"StageName IN ({List(filter.Stages)})");
                }

                break;
            case CrmFetchObjectType.Lead:
                query = new FetchQuery("Lead", ["Id", "FirstName", "LastName", "Name", "Email", "Phone", "MobilePhone", "Title", "Company", "Website", "Status", "LeadSource", "OwnerId", "CreatedDate", "SystemModstamp"], conditions, HasAccount: false);
                conditions.Add("IsConverted = false");
                if (filter.Stages.Count > 0)
                {
                    conditions.Add($"Status IN ({List(filter.Stages)})");
                }

                break;
            default:
                if (filter.Stages.Count > 0)
                {
                    return null;
                }

                query = new FetchQuery("Contact", ["Id", "FirstName", "LastName", "Name", "Email", "Phone", "MobilePhone", "Title", "Department", "LeadSource", "OwnerId", "AccountId", "CreatedDate", "SystemModstamp"], conditions, HasAccount: true);
                break;
        }

        if (filter.OwnerIds.Count > 0)
        {
            conditions.Add($"OwnerId IN ({List(filter.OwnerIds)})");
        }

        AddRange("CreatedDate", filter.CreatedFrom, filter.CreatedBefore);
        AddRange("SystemModstamp", filter.ModifiedSince, filter.ModifiedBefore);
        return query;

        void AddRange(string field, DateTimeOffset? from, DateTimeOffset? before)
        {
            if (from is { } f)
            {
                conditions.Add($"{field} >= {Literal(f)}");
            }

            if (before is { } b)
            {
                conditions.Add($"{field} < {Literal(b)}");
            }
        }
    }

    private CrmFetchedRecord ToRecord(CrmFetchObjectType kind, string id, Dictionary<string, JsonElement> row, DateTimeOffset modified, CrmFetchedCompany? company)
    {
        var created = ParseDateTime(Text(row, "CreatedDate")) ?? modified;
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (kind == CrmFetchObjectType.Deal)
        {
            var isWon = Bool(row, "IsWon");
            var isClosed = Bool(row, "IsClosed");
            fields[CrmFieldNames.Name] = Text(row, "Name");
            fields[CrmFieldNames.Status] = Text(row, "StageName");
            fields[CrmFieldNames.Company] = company?.Name;
            AddNative(fields, row, "StageName", "Amount", "CloseDate", "Type", "LeadSource", "AccountId");
            return new CrmFetchedRecord
            {
                ObjectType = kind,
                CrmId = id,
                Name = Text(row, "Name") ?? id,
                Stage = Text(row, "StageName"),
                DealStatus = isWon ? CrmDealStatus.ClosedWon : isClosed ? CrmDealStatus.ClosedLost : CrmDealStatus.Open,
                OwnerId = Text(row, "OwnerId"),
                Source = Text(row, "LeadSource"),
                CreatedAt = created,
                ModifiedAt = modified,
                Fields = fields,
                Company = company,
            };
        }

        var email = Text(row, "Email");
        fields[CrmFieldNames.FirstName] = Text(row, "FirstName");
        fields[CrmFieldNames.LastName] = Text(row, "LastName");
        fields[CrmFieldNames.Email] = email;
        fields[CrmFieldNames.Phone] = Text(row, "Phone") ?? Text(row, "MobilePhone");
        fields[CrmFieldNames.JobTitle] = Text(row, "Title");
        fields[CrmFieldNames.Company] = company?.Name ?? Text(row, "Company");
        AddNative(fields, row, "Status", "LeadSource", "Department", "Website", "AccountId");
        return new CrmFetchedRecord
        {
            ObjectType = kind,
            CrmId = id,
            Name = Text(row, "Name") ?? email ?? id,
            Stage = kind == CrmFetchObjectType.Lead ? Text(row, "Status") : null,
            OwnerId = Text(row, "OwnerId"),
            Source = Text(row, "LeadSource"),
            CreatedAt = created,
            ModifiedAt = modified,
            Fields = fields,
            Company = company,
        };
    }

    /// <summary>Reads the <c>Account</c> relationship of a row (<see langword="null"/> when the record has none).</summary>
    private static CrmFetchedCompany? Company(Dictionary<string, JsonElement> row)
    {
        if (!row.TryGetValue("Account", out var account) || account.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var values = account.EnumerateObject().Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)).ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ToString(), StringComparer.Ordinal);
        var id = values.GetValueOrDefault("Id") ?? Text(row, "AccountId");
        if (id is null)
        {
            return null;
        }

        var website = values.GetValueOrDefault("Website");
        return new CrmFetchedCompany
        {
            CrmId = id,
            Name = values.GetValueOrDefault("Name") ?? id,
            Domain = Domain(website),
            Fields = AccountFields.Skip(2).Where(f => !string.IsNullOrEmpty(values.GetValueOrDefault(f))).ToDictionary(f => f, f => values[f], StringComparer.Ordinal),
        };
    }

    private static string? Domain(string? website)
    {
        if (string.IsNullOrWhiteSpace(website))
        {
            return null;
        }

        var text = website.Contains("://", StringComparison.Ordinal) ? website : "https://" + website;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? (uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host) : website;
    }

    private static void AddNative(Dictionary<string, string?> fields, Dictionary<string, JsonElement> row, params string[] names)
    {
        foreach (var name in names)
        {
            if (row.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.Object))
            {
                fields[name] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString();
            }
        }
    }

    private static bool Bool(Dictionary<string, JsonElement> row, string field) =>
        row.TryGetValue(field, out var value) && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase)));

    private static string Where(IReadOnlyList<string> conditions) => conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);

    private static string List(IEnumerable<string> values) => string.Join(", ", values.Distinct(StringComparer.OrdinalIgnoreCase).Select(Quote));

    /// <summary>Quotes a SOQL string literal, escaping backslashes and quotes.</summary>
    private static string Quote(string value)
    {
        var b = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    b.Append(@"\\");
                    break;
                case '\'':
                    b.Append(@"\'");
                    break;
                case '\n':
                    b.Append(@"\n");
                    break;
                case '\r':
                    b.Append(@"\r");
                    break;
                default:
                    b.Append(c);
                    break;
            }
        }

        return b.Append('\'').ToString();
    }

    /// <summary>Formats a SOQL date-time literal (unquoted, UTC); whole seconds, as Salesforce stores them, without a fraction.</summary>
    private static string Literal(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return utc.Millisecond == 0 && utc.Ticks % TimeSpan.TicksPerMillisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a Salesforce date-time: <c>2026-11-23T09:00:00.000+0000</c> (what the API returns) or ISO 8601.</summary>
    private static DateTimeOffset? ParseDateTime(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var m = SalesforceDateTime().Match(value);
        if (m.Success)
        {
            var zone = m.Groups["zone"].Value;
            value = m.Groups["local"].Value + (zone == "Z" ? "+00:00" : zone.Length == 5 ? zone[..3] + ":" + zone[3..] : zone);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUniversalTime() : null;
    }

    [GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?)(?<zone>Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex SalesforceDateTime();

    private sealed record FetchQuery(string SObject, string[] Fields, List<string> Conditions, bool HasAccount);

    /// <summary>The keyset position: the SystemModstamp and Id of the last record returned.</summary>
    private readonly record struct FetchCursor(DateTimeOffset Modified, string Id)
    {
        public static FetchCursor Parse(string cursor, string provider)
        {
            var parts = cursor.Split(':', 3);
            return parts.Length == 3 && parts[0] == "sf1"
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var millis)
                && IdPattern().IsMatch(parts[2])
                ? new FetchCursor(DateTimeOffset.FromUnixTimeMilliseconds(millis), parts[2])
                : throw new CrmRequestFailedException($"Invalid Salesforce page cursor '{cursor}'.", provider, 400, CrmProblemType.InvalidValue);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"sf1:{Modified.ToUnixTimeMilliseconds()}:{Id}");
    }

    [GeneratedRegex("^[A-Za-z0-9]{15,18}$")]
    private static partial Regex IdPattern();
}
