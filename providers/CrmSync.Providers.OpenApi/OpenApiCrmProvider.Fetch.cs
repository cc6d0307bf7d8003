using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.OpenApi.Internal;
using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi;

/// <content>Fetch: contacts and leads modified since a time, page by page.</content>
public sealed partial class OpenApiCrmProvider
{
    /// <inheritdoc />
    public async Task<CrmFetchCount> CountAsync(CrmProviderContext context, CrmFetchFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(filter);
        var (target, list) = FetchTarget(filter);
        if (Profile.Paging.Style == OpenApiPagingStyle.PageNumber && filter.Stages.Count == 0 && filter.OwnerIds.Count == 0 && filter.CreatedFrom is null && filter.CreatedBefore is null && filter.ModifiedBefore is null)
        {
            var first = await ListPageAsync(context, list, Stamp(filter.ModifiedSince), null, 1, 1, cancellationToken).ConfigureAwait(false);
            if (first.TotalCount is { } total)
            {
                return new CrmFetchCount(total, IsExact: true);
            }
        }

        // Other filters apply to the records read: count by reading.
        long count = 0;
        string? cursor = null;
        do
        {
            var page = await FetchPageAsync(context, new CrmFetchRequest(filter, cursor, Profile.Paging.MaxPageSize), cancellationToken).ConfigureAwait(false);
            count += page.Records.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        _ = target;
        return new CrmFetchCount(count, IsExact: true);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The cursor is the CRM's own next page (a page number or its cursor). Records are filtered by the rest of the
    /// filter after reading, so a page may hold fewer records than asked for; only the last page has no next cursor.
    /// </remarks>
    public async Task<CrmFetchPage> FetchPageAsync(CrmProviderContext context, CrmFetchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var problems = request.Filter.Validate();
        if (problems.Count > 0)
        {
            throw new CrmValidationException("Filter", problems);
        }

        var (target, list) = FetchTarget(request.Filter);
        var size = Math.Clamp(request.PageSize, 1, Profile.Paging.MaxPageSize);
        var pageNumber = 1;
        string? cursor = null;
        if (request.Cursor is { } c)
        {
            if (Profile.Paging.Style == OpenApiPagingStyle.PageNumber)
            {
                pageNumber = int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : throw new CrmValidationException("Cursor", [new CrmValidationError("Cursor", $"'{c}' is not a {DisplayName} page cursor.")]);
            }
            else
            {
                cursor = c;
            }
        }

        var page = await ListPageAsync(context, list, Stamp(request.Filter.ModifiedSince), cursor, pageNumber, size, cancellationToken).ConfigureAwait(false);
        var records = new List<CrmFetchedRecord>();
        foreach (var item in page.Items)
        {
            if (ToRecord(item, target, request.Filter.ObjectType) is { } record && request.Filter.Matches(record))
            {
                records.Add(record);
            }
        }

        return new CrmFetchPage(records, page.HasMore ? page.NextCursor : null);
    }

    private (OpenApiObjectProfile Target, OpenApiOperationRef List) FetchTarget(CrmFetchFilter filter)
    {
        var target = filter.ObjectType switch
        {
            CrmFetchObjectType.Contact => Profile.Contact,
            CrmFetchObjectType.Lead => Profile.Lead,
            _ => null,
        };
        if (target?.ListModifiedSince is not { } list)
        {
            throw new CrmRequestFailedException($"{DisplayName} cannot read {filter.ObjectType.ToString().ToLowerInvariant()}s through this profile.", Name, null, CrmProblemType.NotSupported);
        }

        return (target, list);
    }

    private static string? Stamp(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private CrmFetchedRecord? ToRecord(JsonObject item, OpenApiObjectProfile target, CrmFetchObjectType type)
    {
        if (OpenApiValues.Text(item, target.IdPath) is not { } id || OpenApiValues.Time(item, target.ModifiedPath) is not { } modified)
        {
            return null;
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, path) in target.Fields)
        {
            fields[field] = OpenApiValues.Text(item, path);
        }

        foreach (var (path, field) in target.ReadFields)
        {
            fields[field] = OpenApiValues.Text(item, path) ?? fields.GetValueOrDefault(field);
        }

        var name = string.Join(' ', new[] { fields.GetValueOrDefault(CrmFieldNames.FirstName), fields.GetValueOrDefault(CrmFieldNames.LastName) }.Where(p => !string.IsNullOrWhiteSpace(p)));
        return new CrmFetchedRecord
        {
            ObjectType = type,
            CrmId = id,
            Name = name.Length > 0 ? name : fields.GetValueOrDefault(CrmFieldNames.Name) ?? fields.GetValueOrDefault(CrmFieldNames.Email) ?? id,
            Fields = fields,
            Stage = fields.GetValueOrDefault(CrmFieldNames.Status),
            OwnerId = OpenApiValues.Text(item, target.OwnerPath),
            CreatedAt = OpenApiValues.Time(item, target.CreatedPath) ?? modified,
            ModifiedAt = modified,
        };
    }
}
