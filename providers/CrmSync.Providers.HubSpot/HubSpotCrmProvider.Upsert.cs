using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.HubSpot;

/// <content>Batch upserts of contacts and engagements.</content>
public sealed partial class HubSpotCrmProvider
{
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

        // The engine groups by external id already; keep the last write per id so HubSpot never sees duplicate ids in a batch.
        var unique = records.GroupBy(r => r.ExternalId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var results = new List<CrmRecordResult>(unique.Count);
        foreach (var chunk in unique.Chunk(Options.BatchSize))
        {
            results.AddRange(type is CrmObjectType.Contact or CrmObjectType.Lead
                ? await UpsertContactsAsync(context, chunk, cancellationToken).ConfigureAwait(false)
                : await UpsertActivitiesAsync(context, type, chunk, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private string ExternalIdProperty(CrmRecordWrite write) =>
        string.IsNullOrEmpty(write.ExternalIdField) || write.ExternalIdField == FieldMapping.DefaultExternalIdField
            ? Options.ExternalIdProperty
            : write.ExternalIdField;

    private async Task<List<CrmRecordResult>> UpsertContactsAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        const string ObjectType = "contacts";
        var idProperty = ExternalIdProperty(records[0]);
        await EnsurePropertyAsync(context, ObjectType, idProperty, cancellationToken).ConfigureAwait(false);

        // The owner applies to new records only: when some writes carry one, find which records HubSpot already has.
        var existing = records.Any(r => r.OwnerIdOnCreate is not null)
            ? await ReadByExternalIdAsync(context, ObjectType, idProperty, records.Select(r => r.ExternalId).ToList(), cancellationToken).ConfigureAwait(false)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var inputs = records
            .Select(r => new HubSpotUpsertInput(r.ExternalId, idProperty, r.ExternalId, HubSpotFieldTranslator.Contact(r, idProperty, includeOwner: !existing.ContainsKey(r.ExternalId))))
            .ToList();
        var (first, second) = Paths.Objects;
        var response = await SendAsync(context, (token, ct) => Api.BatchUpsertAsync(first, second, ObjectType, new(inputs), token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);

        var results = new Dictionary<string, CrmRecordResult>(StringComparer.Ordinal);
        foreach (var result in response.Content?.Results ?? [])
        {
            if (result.Properties?.GetValueOrDefault(idProperty) is { } externalId)
            {
                results[externalId] = CrmRecordResult.Success(externalId, result.Id, result.New ?? false);
            }
        }

        var conflicts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in response.Content?.Errors ?? [])
        {
            foreach (var externalId in ErrorIds(error, "ids").Concat(ErrorIds(error, "objectWriteTraceId")).Distinct(StringComparer.Ordinal))
            {
                if (error.Category == "CONFLICT" && ExistingId(error.Message) is { } existingId)
                {
                    conflicts[externalId] = existingId;
                }
                else
                {
                    results[externalId] = CrmRecordResult.Failure(externalId, Classify(error.Category, (error.Errors ?? []).Select(e => e.Code)), Describe(error));
                }
            }
        }

        if (conflicts.Count > 0)
        {
            foreach (var adopted in await AdoptAsync(context, records, idProperty, conflicts, cancellationToken).ConfigureAwait(false))
            {
                results[adopted.ExternalId] = adopted;
            }
        }

        return Complete(records, results);
    }

    /// <summary>
    /// Links contacts that HubSpot refused to create because their email already exists (409 "Existing ID: N") to their
    /// external id, when the existing contact has none yet. One that belongs to another external id stays a duplicate.
    /// </summary>
    private async Task<List<CrmRecordResult>> AdoptAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, string idProperty, Dictionary<string, string> conflicts, CancellationToken cancellationToken)
    {
        const string ObjectType = "contacts";
        var (first, second) = Paths.Objects;
        var read = new HubSpotBatchRead(null, conflicts.Values.Distinct(StringComparer.Ordinal).Select(id => new HubSpotReadId(id)).ToList(), [idProperty]);
        var current = await SendAsync(context, (token, ct) => Api.BatchReadAsync(first, second, ObjectType, read, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(current, context.ConnectionId);
        var owners = (current.Content?.Results ?? []).ToDictionary(r => r.Id, r => r.Properties?.GetValueOrDefault(idProperty), StringComparer.Ordinal);

        var results = new List<CrmRecordResult>();
        var updates = new List<HubSpotUpdateInput>();
        foreach (var write in records.Where(r => conflicts.ContainsKey(r.ExternalId)))
        {
            var existingId = conflicts[write.ExternalId];
            var holder = owners.GetValueOrDefault(existingId);
            if (!string.IsNullOrEmpty(holder) && holder != write.ExternalId)
            {
                results.Add(CrmRecordResult.Failure(write.ExternalId, CrmProblemType.DuplicateRecord,
                    $"HubSpot already has contact {existingId} with the same email address, and it belongs to another record ({holder})."));
                continue;
            }

            updates.Add(new HubSpotUpdateInput(existingId, write.ExternalId, HubSpotFieldTranslator.Contact(write, idProperty, includeOwner: false)));
        }

        if (updates.Count > 0)
        {
            results.AddRange(await UpdateByIdAsync(context, ObjectType, updates, cancellationToken).ConfigureAwait(false));
            Log.Adopted(_logger, updates.Count, ObjectType, context.ConnectionId);
        }

        return results;
    }

    private async Task<List<CrmRecordResult>> UpsertActivitiesAsync(CrmProviderContext context, CrmObjectType type, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var objectType = HubSpotFieldTranslator.ObjectType(type);
        var idProperty = ExternalIdProperty(records[0]);
        var results = new Dictionary<string, CrmRecordResult>(StringComparer.Ordinal);
        var writable = new List<CrmRecordWrite>(records.Count);
        foreach (var write in records)
        {
            if (string.IsNullOrEmpty(write.ContactCrmId))
            {
                results[write.ExternalId] = CrmRecordResult.Failure(write.ExternalId, CrmProblemType.ContactNotSynced, $"Its contact is not in HubSpot yet, so the {type.ToString().ToLowerInvariant()} cannot be attached to it.");
            }
            else
            {
                writable.Add(write);
            }
        }

        if (writable.Count == 0)
        {
            return Complete(records, results);
        }

        await EnsurePropertyAsync(context, objectType, idProperty, cancellationToken).ConfigureAwait(false);

        // HubSpot has no unique-value properties on engagements, so no upsert and no idProperty: update the records CrmSync
        // already knows by their HubSpot id, find the rest by the (non-unique) marker property — an earlier attempt whose
        // answer was lost may have created them — and create what is still missing, with its contact association.
        var existing = writable.Where(w => !string.IsNullOrEmpty(w.KnownCrmId)).ToDictionary(w => w.ExternalId, w => w.KnownCrmId!, StringComparer.Ordinal);
        var unknown = writable.Where(w => !existing.ContainsKey(w.ExternalId)).Select(w => w.ExternalId).ToList();
        if (unknown.Count > 0)
        {
            foreach (var (externalId, crmId) in await SearchByMarkerAsync(context, objectType, idProperty, unknown, cancellationToken).ConfigureAwait(false))
            {
                existing[externalId] = crmId;
            }
        }

        var now = _time.GetUtcNow();
        var updates = new List<HubSpotUpdateInput>();
        var creates = new List<HubSpotCreateInput>();
        foreach (var write in writable)
        {
            if (existing.TryGetValue(write.ExternalId, out var crmId))
            {
                updates.Add(new HubSpotUpdateInput(crmId, write.ExternalId, HubSpotFieldTranslator.Activity(write, idProperty, includeOwner: false, now)));
            }
            else
            {
                var association = new HubSpotAssociation(new HubSpotAssociationTarget(write.ContactCrmId!), [new HubSpotAssociationType("HUBSPOT_DEFINED", HubSpotFieldTranslator.ContactAssociationTypeId(type))]);
                creates.Add(new HubSpotCreateInput(write.ExternalId, HubSpotFieldTranslator.Activity(write, idProperty, includeOwner: true, now), [association]));
            }
        }

        var (first, second) = Paths.Objects;
        if (creates.Count > 0)
        {
            var response = await SendAsync(context, (token, ct) => Api.BatchCreateAsync(first, second, objectType, new(creates), token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, context.ConnectionId);
            foreach (var result in response.Content?.Results ?? [])
            {
                if (result.Properties?.GetValueOrDefault(idProperty) is { } externalId)
                {
                    results[externalId] = CrmRecordResult.Success(externalId, result.Id, created: true);
                }
            }

            foreach (var error in response.Content?.Errors ?? [])
            {
                foreach (var externalId in ErrorIds(error, "objectWriteTraceId"))
                {
                    results[externalId] = CrmRecordResult.Failure(externalId, Classify(error.Category, (error.Errors ?? []).Select(e => e.Code)), Describe(error));
                }
            }
        }

        if (updates.Count > 0)
        {
            foreach (var result in await UpdateByIdAsync(context, objectType, updates, cancellationToken).ConfigureAwait(false))
            {
                results[result.ExternalId] = result;
            }
        }

        return Complete(records, results);
    }

    private async Task<List<CrmRecordResult>> UpdateByIdAsync(CrmProviderContext context, string objectType, List<HubSpotUpdateInput> updates, CancellationToken cancellationToken)
    {
        var (first, second) = Paths.Objects;
        var response = await SendAsync(context, (token, ct) => Api.BatchUpdateAsync(first, second, objectType, new(updates), token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var externalIds = updates.ToDictionary(u => u.Id, u => u.ObjectWriteTraceId, StringComparer.Ordinal);
        var results = new List<CrmRecordResult>();
        foreach (var result in response.Content?.Results ?? [])
        {
            if (externalIds.TryGetValue(result.Id, out var externalId))
            {
                results.Add(CrmRecordResult.Success(externalId, result.Id, created: false));
            }
        }

        foreach (var error in response.Content?.Errors ?? [])
        {
            var ids = ErrorIds(error, "objectWriteTraceId").ToList();
            if (ids.Count == 0)
            {
                ids = ErrorIds(error, "ids").Select(id => externalIds.GetValueOrDefault(id)).OfType<string>().ToList();
            }

            results.AddRange(ids.Select(externalId => CrmRecordResult.Failure(externalId, Classify(error.Category, (error.Errors ?? []).Select(e => e.Code)), Describe(error))));
        }

        return results;
    }

    /// <summary>Finds which external ids HubSpot already holds, by the unique property: external id → HubSpot id.</summary>
    private async Task<Dictionary<string, string>> ReadByExternalIdAsync(CrmProviderContext context, string objectType, string idProperty, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        var (first, second) = Paths.Objects;
        var read = new HubSpotBatchRead(idProperty, externalIds.Select(id => new HubSpotReadId(id)).ToList(), [idProperty]);
        var response = await SendAsync(context, (token, ct) => Api.BatchReadAsync(first, second, objectType, read, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in response.Content?.Results ?? [])
        {
            if (result.Properties?.GetValueOrDefault(idProperty) is { } externalId)
            {
                found[externalId] = result.Id;
            }
        }

        return found;
    }

    /// <summary>
    /// Finds engagements an earlier attempt created, by the marker property holding their external id (search, 100 values per
    /// <c>IN</c> filter). Search is eventually consistent: a record created seconds ago may not be found yet, which is why the
    /// engine keeps the HubSpot id of every record it wrote and passes it back (<see cref="CrmRecordWrite.KnownCrmId"/>).
    /// </summary>
    private async Task<Dictionary<string, string>> SearchByMarkerAsync(CrmProviderContext context, string objectType, string markerProperty, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in externalIds.Chunk(100))
        {
            var body = new HubSpotSearchRequest([new([new HubSpotFilter(markerProperty, "IN", Values: chunk)])], [new HubSpotSort("hs_object_id", "ASCENDING")], [markerProperty], 200, null);
            var response = await SearchAsync(context, objectType, body, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, context.ConnectionId);
            foreach (var result in response.Content?.Results ?? [])
            {
                if (result.Properties?.GetValueOrDefault(markerProperty) is { } externalId)
                {
                    // Two copies (a duplicate from before) keep the oldest: results are sorted by id.
                    found.TryAdd(externalId, result.Id);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Creates the external-id property when it is missing; remembered per connection once it exists. On contacts it must
    /// require unique values (it is the upsert key); engagements cannot have unique-value properties, so there it is a plain
    /// marker.
    /// </summary>
    private Task EnsurePropertyAsync(CrmProviderContext context, string objectType, string property, CancellationToken cancellationToken)
    {
        var key = (context.ConnectionId, objectType, property);
        var task = _ensuredProperties.GetOrAdd(key, _ => EnsurePropertyCoreAsync(context, objectType, property, cancellationToken));
        return AwaitEnsuredAsync(key, task);
    }

    private async Task AwaitEnsuredAsync((Guid, string, string) key, Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch
        {
            // Failed (outage, revoked, cancelled): the next call checks again.
            _ensuredProperties.TryRemove(new KeyValuePair<(Guid, string, string), Task>(key, task));
            throw;
        }
    }

    private async Task EnsurePropertyCoreAsync(CrmProviderContext context, string objectType, string property, CancellationToken cancellationToken)
    {
        var (first, second) = Paths.Properties;
        var current = await SendAsync(context, (token, ct) => Api.GetPropertyAsync(first, second, objectType, property, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        var unique = UniqueValueObjects.Contains(objectType);
        if (current.IsSuccessStatusCode)
        {
            if (unique && current.Content is { HasUniqueValue: false })
            {
                throw new CrmRequestFailedException(
                    $"The HubSpot {objectType} property '{property}' exists but does not require unique values, so CrmSync cannot upsert by it. Choose another external-id field or make it unique in HubSpot.",
                    Name, 400, CrmProblemType.InvalidValue, "INVALID_ID_PROPERTY");
            }

            return;
        }

        if (current.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            EnsureSuccess(current, context.ConnectionId);
        }

        var definition = new HubSpotPropertyCreate(
            property,
            ExternalIdPropertyLabel,
            "string",
            "text",
            objectType == "contacts" ? "contactinformation" : "engagement",
            HasUniqueValue: unique,
            "The record's id in the app that syncs it (CrmSync). Used to update the same HubSpot record on every sync.");
        var created = await SendAsync(context, (token, ct) => Api.CreatePropertyAsync(first, second, objectType, definition, token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        if (created.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return;
        }

        if (created.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            throw PropertyRefused(context, objectType, property, unique, created);
        }

        EnsureSuccess(created, context.ConnectionId);
        Log.PropertyCreated(_logger, property, objectType, context.ConnectionId);
    }

    /// <summary>
    /// HubSpot refused to create the external-id property (403): the sign-in lacks the schema scope
    /// (<c>MISSING_SCOPES</c>, naming <c>crm.schemas.{object}.write</c>), or the HubSpot user behind the connection may not edit
    /// property settings. Nothing was written yet; the message tells an admin the one thing to do, and the check is forgotten
    /// so the next run (after Retry) looks again.
    /// </summary>
    private CrmRequestFailedException PropertyRefused(CrmProviderContext context, string objectType, string property, bool unique, IApiResponse created)
    {
        var body = ParseError(created.Error is ApiException api ? api.Content : null);
        var code = body?.Category ?? "FORBIDDEN";
        Log.PropertyRefused(_logger, property, objectType, context.ConnectionId, code);
        var singular = objectType.EndsWith('s') ? objectType[..^1] : objectType;
        var scope = $"crm.schemas.{(objectType is "notes" or "emails" or "calls" or "meetings" or "tasks" ? "contacts" : objectType)}.write";
        var reason = string.Equals(code, "MISSING_SCOPES", StringComparison.Ordinal)
            ? $"the connection was not granted the permission (scope) {scope}"
            : "the HubSpot user who connected it may not edit property settings";
        var rules = unique ? ", and tick 'Require unique values for this property'" : string.Empty;
        return new CrmRequestFailedException(
            $"HubSpot did not let CrmSync create its external-id property on {objectType} ({reason}), so no {objectType} were sent. "
            + $"Either Reconnect HubSpot and approve every permission it asks for (including {scope}), "
            + $"or have a super admin create the property once: Settings › Data Management › Properties › {char.ToUpperInvariant(singular[0])}{singular[1..]} properties › Create property, "
            + $"label '{ExternalIdPropertyLabel}', internal name {property}, field type 'Single-line text'{rules}. Then click Retry.",
            Name, StatusOf(created), CrmProblemType.PermissionDenied, code);
    }

    /// <summary>The label of the external-id property CrmSync creates.</summary>
    internal const string ExternalIdPropertyLabel = "CrmSync external id";

    /// <summary>The objects HubSpot documents unique-value properties for (besides custom objects); not engagements.</summary>
    private static readonly string[] UniqueValueObjects = ["contacts", "companies", "deals", "tickets"];

    private List<CrmRecordResult> Complete(IReadOnlyList<CrmRecordWrite> records, Dictionary<string, CrmRecordResult> results) =>
        records.Select(r => results.GetValueOrDefault(r.ExternalId)
            ?? CrmRecordResult.Failure(r.ExternalId, CrmProblemType.Unknown, $"{DisplayName} returned no result for this record.")).ToList();
}
