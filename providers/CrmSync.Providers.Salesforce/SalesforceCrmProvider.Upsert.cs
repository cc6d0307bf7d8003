using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce;

/// <content>sObject collections upserts of people and activities.</content>
public sealed partial class SalesforceCrmProvider
{
    /// <summary>Ids per SOQL <c>IN</c> list, so query URLs stay well under Salesforce's 16 KB limit whatever the id length.</summary>
    private const int QueryChunk = 50;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return [];
        }

        var type = records[0].ObjectType;
        if (records.Any(r => r.ObjectType != type))
        {
            throw new ArgumentException("All records of one upsert call must have the same object type.", nameof(records));
        }

        var unique = records.GroupBy(r => r.ExternalId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var results = new List<CrmRecordResult>(unique.Count);
        foreach (var chunk in unique.Chunk(Options.BatchSize))
        {
            results.AddRange(type is CrmObjectType.Contact or CrmObjectType.Lead
                ? await UpsertPeopleAsync(context, type == CrmObjectType.Lead ? "Lead" : ContactObject(context), chunk, cancellationToken).ConfigureAwait(false)
                : await UpsertActivitiesAsync(context, chunk, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private string ExternalIdField(CrmRecordWrite write) =>
        string.IsNullOrEmpty(write.ExternalIdField) || write.ExternalIdField == FieldMapping.DefaultExternalIdField ? Options.ExternalIdField : write.ExternalIdField;

    private async Task<List<CrmRecordResult>> UpsertPeopleAsync(CrmProviderContext context, string sobject, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var field = ExternalIdField(records[0]);
        await EnsureExternalIdFieldAsync(context, sobject, field, cancellationToken).ConfigureAwait(false);

        // The owner applies to new records only: when some writes carry one, find which records Salesforce already has.
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (records.Any(r => r.OwnerIdOnCreate is not null))
        {
            foreach (var part in records.Chunk(QueryChunk))
            {
                var ids = string.Join(", ", part.Select(r => SalesforceFieldTranslator.Quote(r.ExternalId)));
                foreach (var row in await QueryAllAsync(context, $"SELECT Id, {field} FROM {sobject} WHERE {field} IN ({ids})", cancellationToken).ConfigureAwait(false))
                {
                    if (Text(row, field) is { } externalId)
                    {
                        existing.Add(externalId);
                    }
                }
            }
        }

        var body = new SalesforceCollection(false, records.Select(r => SalesforceFieldTranslator.Person(r, sobject, field, includeOwner: !existing.Contains(r.ExternalId))).ToList());
        var response = await SendAsync(context, (token, instance, ct) => Api.UpsertCollectionAsync(Options.ApiVersion, sobject, field, body, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // The field went away (an admin deleted it, or its access was removed): check, and create it if it is ours, next time.
            ForgetExternalIdField(context, sobject, field);
        }

        EnsureSuccess(response, context.ConnectionId);
        return Pair(records, response.Content ?? [], (write, result) => result.Created ?? !existing.Contains(write.ExternalId));
    }

    private async Task<List<CrmRecordResult>> UpsertActivitiesAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var type = records[0].ObjectType;
        var sobject = SalesforceFieldTranslator.SObject(type);
        var results = new Dictionary<string, CrmRecordResult>(StringComparer.Ordinal);
        var writable = new List<CrmRecordWrite>();
        foreach (var write in records)
        {
            if (string.IsNullOrEmpty(write.ContactCrmId))
            {
                results[write.ExternalId] = CrmRecordResult.Failure(write.ExternalId, CrmProblemType.ContactNotSynced, $"Its contact is not in Salesforce yet, so the {type.ToString().ToLowerInvariant()} cannot be linked to it.");
            }
            else
            {
                writable.Add(write);
            }
        }

        // Activities have no External ID field: updates go by the known id; new ones are first looked up (a lost response may have created them).
        var known = writable.Where(w => w.KnownCrmId is not null).ToDictionary(w => w.ExternalId, w => w.KnownCrmId!, StringComparer.Ordinal);
        var fresh = writable.Where(w => w.KnownCrmId is null).ToList();
        if (fresh.Count > 0)
        {
            foreach (var (externalId, id) in await FindActivitiesAsync(context, sobject, fresh, cancellationToken).ConfigureAwait(false))
            {
                known[externalId] = id;
            }
        }

        var now = _time.GetUtcNow();
        var taskFields = sobject == "Task" && writable.Count > 0 ? await TaskFieldsAsync(context, cancellationToken).ConfigureAwait(false) : NoFields;
        var updates = writable.Where(w => known.ContainsKey(w.ExternalId)).ToList();
        var creates = writable.Where(w => !known.ContainsKey(w.ExternalId)).ToList();
        if (creates.Count > 0)
        {
            var body = new SalesforceCollection(false, creates.Select(w => SalesforceFieldTranslator.Activity(w, create: true, now, taskFields)).ToList());
            var response = await SendAsync(context, (token, instance, ct) => Api.CreateCollectionAsync(Options.ApiVersion, body, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, context.ConnectionId);
            foreach (var result in Pair(creates, response.Content ?? [], (_, _) => true))
            {
                results[result.ExternalId] = result;
            }
        }

        if (updates.Count > 0)
        {
            var body = new SalesforceCollection(false, updates.Select(w =>
            {
                var record = SalesforceFieldTranslator.Activity(w, create: false, now, taskFields);
                record["id"] = known[w.ExternalId];
                return record;
            }).ToList());
            var response = await SendAsync(context, (token, instance, ct) => Api.UpdateCollectionAsync(Options.ApiVersion, body, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, context.ConnectionId);
            foreach (var result in Pair(updates, response.Content ?? [], (_, _) => false))
            {
                results[result.ExternalId] = result;
            }
        }

        return records.Select(r => results.GetValueOrDefault(r.ExternalId)
            ?? CrmRecordResult.Failure(r.ExternalId, CrmProblemType.Unknown, "Salesforce returned no result for this record.")).ToList();
    }

    /// <summary>
    /// Finds activities CrmSync already created: Tasks of the same contacts and subjects by the reference on the last line of
    /// their description (SOQL cannot filter a long text area, so it is matched here), Events by contact, start and subject.
    /// </summary>
    private async Task<Dictionary<string, string>> FindActivitiesAsync(CrmProviderContext context, string sobject, List<CrmRecordWrite> writes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sobject == "Task")
        {
            foreach (var part in writes.Chunk(QueryChunk))
            {
                var wanted = part.ToDictionary(w => w.ExternalId, w => w.ContactCrmId!, StringComparer.Ordinal);
                var who = string.Join(", ", part.Select(w => w.ContactCrmId!).Distinct(StringComparer.Ordinal).Select(SalesforceFieldTranslator.Quote));
                var subjects = string.Join(", ", part.Select(SalesforceFieldTranslator.SubjectOf).Distinct(StringComparer.Ordinal).Select(SalesforceFieldTranslator.Quote));
                foreach (var row in await QueryAllAsync(context, $"SELECT Id, WhoId, Description FROM Task WHERE WhoId IN ({who}) AND Subject IN ({subjects})", cancellationToken).ConfigureAwait(false))
                {
                    if (SalesforceFieldTranslator.MarkerOf(Text(row, "Description")) is { } externalId
                        && wanted.TryGetValue(externalId, out var contact)
                        && SameId(Text(row, "WhoId"), contact))
                    {
                        found.TryAdd(externalId, Text(row, "Id")!);
                    }
                }
            }

            return found;
        }

        var rows = new List<Dictionary<string, System.Text.Json.JsonElement>>();
        foreach (var part in writes.Select(w => w.ContactCrmId!).Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
        {
            var who = string.Join(", ", part.Select(SalesforceFieldTranslator.Quote));
            rows.AddRange(await QueryAllAsync(context, $"SELECT Id, WhoId, Subject, StartDateTime FROM Event WHERE WhoId IN ({who})", cancellationToken).ConfigureAwait(false));
        }

        var now = _time.GetUtcNow();
        foreach (var write in writes)
        {
            var wanted = SalesforceFieldTranslator.Activity(write, create: true, now, NoFields);
            var start = SalesforceFieldTranslator.Date(wanted["StartDateTime"] as string);
            var match = rows.FirstOrDefault(r => Text(r, "WhoId") == write.ContactCrmId
                && string.Equals(Text(r, "Subject"), wanted["Subject"] as string, StringComparison.Ordinal)
                && SalesforceFieldTranslator.Date(Text(r, "StartDateTime")) == start);
            if (match is not null)
            {
                found[write.ExternalId] = Text(match, "Id")!;
            }
        }

        return found;
    }

    /// <summary>
    /// The Task fields of the connection's org, described once per connection: the Call Center fields (<c>CallType</c>,
    /// <c>CallDurationInSeconds</c>, <c>CallDisposition</c>, <c>CallObject</c>) exist only with Salesforce Call Center.
    /// </summary>
    private async Task<IReadOnlySet<string>> TaskFieldsAsync(CrmProviderContext context, CancellationToken cancellationToken)
    {
        if (_taskFields.TryGetValue(context.ConnectionId, out var cached))
        {
            return cached;
        }

        var response = await SendAsync(context, (token, instance, ct) => Api.DescribeAsync(Options.ApiVersion, "Task", token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var fields = (response.Content?.Fields ?? []).Where(f => f.Createable || f.Updateable).Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _taskFields[context.ConnectionId] = fields;
        return fields;
    }

    /// <summary>Compares Salesforce ids, which come in 15- and 18-character forms.</summary>
    private static bool SameId(string? left, string right) =>
        left is not null && (string.Equals(left, right, StringComparison.Ordinal)
            || (left.Length >= 15 && right.Length >= 15 && string.Equals(left[..15], right[..15], StringComparison.Ordinal)));

    /// <summary>Pairs collection results with the records sent (Salesforce answers in request order).</summary>
    private static List<CrmRecordResult> Pair(IReadOnlyList<CrmRecordWrite> writes, IReadOnlyList<SalesforceSaveResult> results, Func<CrmRecordWrite, SalesforceSaveResult, bool> created)
    {
        var paired = new List<CrmRecordResult>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (i >= results.Count)
            {
                paired.Add(CrmRecordResult.Failure(write.ExternalId, CrmProblemType.Unknown, "Salesforce returned no result for this record."));
            }
            else if (results[i] is { Success: true, Id: { } id })
            {
                paired.Add(CrmRecordResult.Success(write.ExternalId, id, created(write, results[i])));
            }
            else
            {
                paired.Add(CrmRecordResult.Failure(write.ExternalId, Classify(results[i].Errors?.FirstOrDefault()?.StatusCode), Describe(results[i])));
            }
        }

        return paired;
    }
}
