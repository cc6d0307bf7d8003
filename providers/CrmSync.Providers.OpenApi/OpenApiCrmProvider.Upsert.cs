using System.Globalization;
using System.Text.Json.Nodes;
using CrmSync.Providers.OpenApi.Internal;
using CrmSync.Sdk;

namespace CrmSync.Providers.OpenApi;

/// <content>Writes: search by external id, then (contacts) by email and phone, then update or create; activities linked to their contact.</content>
public sealed partial class OpenApiCrmProvider
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

        if (records.Count > Capabilities.MaxBatchSize)
        {
            throw new CrmRequestFailedException($"{DisplayName} accepts at most {Capabilities.MaxBatchSize} records per call; got {records.Count}.", Name, null, CrmProblemType.InvalidValue);
        }

        var results = await WriteConcurrentlyAsync(records, (record, ct) => UpsertOneAsync(context, record, ct), cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            // The engine stores these outcomes now: nothing is left to reconcile.
            _unconfirmed.Confirm(context.ConnectionId, record.ObjectType, record.ExternalId);
        }

        return results;
    }

    private async Task<CrmRecordResult> UpsertOneAsync(CrmProviderContext context, CrmRecordWrite record, CancellationToken cancellationToken)
    {
        var isActivity = record.ObjectType is CrmObjectType.Email or CrmObjectType.Call or CrmObjectType.Meeting;
        OpenApiObjectProfile target;
        if (isActivity)
        {
            if (Profile.Activity is not { } activityProfile || !activityProfile.TypeValues.ContainsKey(KindOf(record.ObjectType)))
            {
                return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.NotSupported, $"{DisplayName} has no place for {KindOf(record.ObjectType)} activities in this profile.");
            }

            if (string.IsNullOrWhiteSpace(record.ContactCrmId))
            {
                return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.ContactNotSynced, $"This activity's contact is not in {DisplayName} yet, so there is nothing to link it to.");
            }

            target = activityProfile;
        }
        else
        {
            target = Profile.Contact;
        }

        var built = BuildBody(record, target, isActivity);
        if (built.Failure is { } failure)
        {
            return failure;
        }

        // 1. The id CrmSync already knows (stored by the engine, or made by an earlier call that failed afterwards).
        var knownId = record.KnownCrmId ?? _unconfirmed.Find(context.ConnectionId, record.ObjectType, record.ExternalId)?.CrmRecordId;
        if (knownId is not null)
        {
            var updated = await UpdateAsync(context, record, target, knownId, built.Body, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return updated;
            }
        }

        // 2. A search by external id (the record may exist from a lost answer or an earlier install).
        var found = await FindByExternalIdAsync(context, record, target, cancellationToken).ConfigureAwait(false);
        if (found is not null)
        {
            var updated = await UpdateAsync(context, record, target, found, built.Body, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return updated;
            }
        }

        // 3. Contacts only: a record the CRM already holds for the same person (added by hand or by another tool) is adopted,
        //    found by the profile's search by email, then by phone; the update writes the external id onto it.
        if (!isActivity && await FindSamePersonAsync(context, record, cancellationToken).ConfigureAwait(false) is { } adopted)
        {
            var updated = await UpdateAsync(context, record, target, adopted, built.Body, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                Log.Adopted(_logger, Name, context.ConnectionId);
                return updated;
            }
        }

        // 4. Create, with the owner (owners are set on create only) and the create-only fixed values.
        var body = built.Body.DeepClone().AsObject();
        var create = _document.Find(target.Create!.Operation)!;
        foreach (var (path, value) in target.FixedValues)
        {
            if (OpenApiValues.At(body, path) is null && create.RequestBody?.At(path) is { } schema)
            {
                OpenApiValues.Set(body, path, OpenApiValues.Convert(schema, value));
            }
        }

        if (record.OwnerIdOnCreate is { Length: > 0 } owner && target.OwnerField is { } ownerField && create.RequestBody?.At(ownerField) is { } ownerSchema)
        {
            OpenApiValues.Set(body, ownerField, ownerSchema.Type == "array" ? new JsonArray(JsonValue.Create(owner)) : JsonValue.Create(owner));
        }

        OpenApiAnswer answer;
        try
        {
            answer = await SendAsync(context, new OpenApiCall(create.Id) { Body = body }, cancellationToken).ConfigureAwait(false);
        }
        catch (CrmProviderUnavailableException)
        {
            _unconfirmed.RecordUncertain(context.ConnectionId, record.ObjectType, record.ExternalId);
            Log.WriteUncertain(_logger, Name, context.ConnectionId);
            throw;
        }

        if (!answer.IsSuccess)
        {
            var (problem, message) = Describe(answer);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }

        var id = target.CreatedId == OpenApiCreatedIdSource.Location
            ? LastSegment(CrmSync.Sdk.Http.CrmHttpHeaders.GetValue(answer.Headers, "Location"))
            : OpenApiValues.Text(answer.Body, target.IdPath);
        if (id is null)
        {
            // Created, but the answer does not say as what: the next attempt finds it by external id.
            _unconfirmed.RecordUncertain(context.ConnectionId, record.ObjectType, record.ExternalId);
            throw new CrmRequestFailedException($"{DisplayName} created the record but its answer carried no id.", Name, answer.Status, CrmProblemType.Unknown);
        }

        _unconfirmed.RecordCreated(context.ConnectionId, record.ObjectType, record.ExternalId, id);
        return CrmRecordResult.Success(record.ExternalId, id, created: true);
    }

    /// <summary>Updates a record; returns <see langword="null"/> when it no longer exists (deleted in the CRM), so the caller creates it again.</summary>
    private async Task<CrmRecordResult?> UpdateAsync(CrmProviderContext context, CrmRecordWrite record, OpenApiObjectProfile target, string id, JsonObject body, CancellationToken cancellationToken)
    {
        if (target.Update is not { } update)
        {
            // The CRM keeps this kind of record as written (Reapit journal entries): it exists, and cannot change.
            return target is OpenApiActivityProfile && !await ExistsAsync(context, target, id, cancellationToken).ConfigureAwait(false)
                ? null
                : CrmRecordResult.Success(record.ExternalId, id, created: false);
        }

        var operation = _document.Find(update.Operation)!;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var call = new OpenApiCall(operation.Id) { Body = body };
            call.PathParameters[update.Parameter!] = id;
            if (update.IfMatch)
            {
                var current = await GetAsync(context, target, id, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return null;
                }

                if (current.Value.ETag is not { } etag)
                {
                    return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.Unknown, $"{DisplayName} returned the record without an ETag, so it cannot be updated safely.");
                }

                call.Headers["If-Match"] = etag;
            }

            var answer = await SendAsync(context, call, cancellationToken).ConfigureAwait(false);
            if (answer.IsNotFound)
            {
                return null;
            }

            if (answer.Status == 412 && attempt == 0)
            {
                // Someone changed the record between our read and our write: read it again and replay the change once.
                Log.StaleETag(_logger, Name, context.ConnectionId);
                continue;
            }

            if (answer.IsSuccess)
            {
                return CrmRecordResult.Success(record.ExternalId, id, created: false);
            }

            var (problem, message) = Describe(answer);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }

        return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.InvalidValue, $"{DisplayName} kept rejecting the update as stale (HTTP 412); it is retried on the next run.");
    }

    private async Task<bool> ExistsAsync(CrmProviderContext context, OpenApiObjectProfile target, string id, CancellationToken cancellationToken)
    {
        if (target.Get is null)
        {
            return true;
        }

        return await GetAsync(context, target, id, cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<(JsonNode? Record, string? ETag)?> GetAsync(CrmProviderContext context, OpenApiObjectProfile target, string id, CancellationToken cancellationToken)
    {
        var get = target.Get!;
        var call = new OpenApiCall(get.Operation);
        call.PathParameters[get.Parameter!] = id;
        var answer = await SendAsync(context, call, cancellationToken).ConfigureAwait(false);
        if (answer.IsNotFound)
        {
            return null;
        }

        EnsureSuccess(answer, "read a record");
        var etag = CrmSync.Sdk.Http.CrmHttpHeaders.GetValue(answer.Headers, "ETag") ?? OpenApiValues.Text(answer.Body, "_eTag");
        return (answer.Body, etag);
    }

    private async Task<string?> FindByExternalIdAsync(CrmProviderContext context, CrmRecordWrite record, OpenApiObjectProfile target, CancellationToken cancellationToken)
    {
        if (target is OpenApiActivityProfile { ExternalIdAsMarker: true } activity)
        {
            var marker = Marker(record.ExternalId);
            string? cursor = null;
            for (var page = 1; page <= 50; page++)
            {
                var list = await ListPageAsync(context, activity.ListByContact!, record.ContactCrmId, cursor, page, Profile.Paging.MaxPageSize, cancellationToken).ConfigureAwait(false);
                var match = list.Items.FirstOrDefault(i => OpenApiValues.Text(i, activity.ExternalIdField)?.Contains(marker, StringComparison.Ordinal) == true);
                if (match is not null)
                {
                    return OpenApiValues.Text(match, target.IdPath);
                }

                if (!list.HasMore)
                {
                    return null;
                }

                cursor = list.NextCursor;
            }

            return null;
        }

        var search = target.SearchByExternalId!;
        var answer = await ListPageAsync(context, search, record.ExternalId, null, 1, Math.Min(Profile.Paging.MaxPageSize, 10), cancellationToken).ConfigureAwait(false);
        var found = answer.Items.FirstOrDefault(i => string.Equals(OpenApiValues.Text(i, target.ExternalIdField), record.ExternalId, StringComparison.Ordinal));
        return found is null ? null : OpenApiValues.Text(found, target.IdPath);
    }

    /// <summary>
    /// Finds a contact the CRM already holds for this person: the profile's search by email, then by phone, each with the
    /// value CrmSync would write. A record that already carries another external id belongs to another CrmSync record and
    /// is never taken over. Returns <see langword="null"/> when the profile has neither search or nothing matches.
    /// </summary>
    private async Task<string?> FindSamePersonAsync(CrmProviderContext context, CrmRecordWrite record, CancellationToken cancellationToken)
    {
        var contact = Profile.Contact;
        foreach (var (search, field) in new[] { (contact.SearchByEmail, CrmFieldNames.Email), (contact.SearchByPhone, CrmFieldNames.Phone) })
        {
            if (search is null || Get(record.Fields, field) is not { } value)
            {
                continue;
            }

            var answer = await ListPageAsync(context, search, value, null, 1, Math.Min(Profile.Paging.MaxPageSize, 10), cancellationToken).ConfigureAwait(false);
            var match = answer.Items.FirstOrDefault(i =>
                OpenApiValues.Text(i, contact.ExternalIdField) is not { Length: > 0 } claimed || string.Equals(claimed, record.ExternalId, StringComparison.Ordinal));
            if (match is not null && OpenApiValues.Text(match, contact.IdPath) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Reads one page of a list operation (search, list by contact, users, modified since).</summary>
    private async Task<OpenApiPage> ListPageAsync(CrmProviderContext context, OpenApiOperationRef reference, string? value, string? cursor, int pageNumber, int pageSize, CancellationToken cancellationToken)
    {
        var call = new OpenApiCall(reference.Operation);
        var operation = _document.Find(reference.Operation)!;
        if (reference.Parameter is { } name && value is not null)
        {
            var text = reference.Value?.Replace("{value}", value, StringComparison.Ordinal) ?? value;
            var parameter = operation.Parameter(name);
            if (parameter?.In == "path")
            {
                call.PathParameters[name] = text;
            }
            else
            {
                call.Query[name] = parameter?.Schema?.Type == "array" ? new[] { text } : text;
            }
        }

        foreach (var (key, fixedValue) in reference.FixedParameters)
        {
            call.Query[key] = fixedValue;
        }

        var paging = Profile.Paging;
        call.Query[paging.SizeParameter] = pageSize.ToString(CultureInfo.InvariantCulture);
        if (paging.Style == OpenApiPagingStyle.PageNumber)
        {
            call.Query[paging.PageParameter] = pageNumber.ToString(CultureInfo.InvariantCulture);
        }
        else if (cursor is not null)
        {
            call.Query[paging.PageParameter] = cursor;
        }

        var answer = await SendAsync(context, call, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(answer, "list records");
        var items = OpenApiValues.Items(answer.Body, paging.ItemsPath);
        if (paging.Style == OpenApiPagingStyle.PageNumber)
        {
            var total = int.TryParse(OpenApiValues.Text(answer.Body, paging.TotalPagesPath), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : pageNumber;
            var totalCount = long.TryParse(OpenApiValues.Text(answer.Body, "totalCount"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) ? c : (long?)null;
            return new OpenApiPage(items, pageNumber < total, (pageNumber + 1).ToString(CultureInfo.InvariantCulture), totalCount);
        }

        var next = OpenApiValues.Text(answer.Body, paging.NextCursorPath);
        return new OpenApiPage(items, !string.IsNullOrEmpty(next), next, null);
    }

    /// <summary>Builds the request body shared by create and update: translated standard fields, mapped fields, the external id and (activities) the contact and kind.</summary>
    private (JsonObject Body, CrmRecordResult? Failure) BuildBody(CrmRecordWrite record, OpenApiObjectProfile target, bool isActivity)
    {
        var create = _document.Find(target.Create!.Operation)!;
        var schema = create.RequestBody!;
        var body = new JsonObject();
        var fields = new Dictionary<string, string?>(record.Fields, StringComparer.Ordinal);
        if (!isActivity && string.IsNullOrWhiteSpace(Get(fields, CrmFieldNames.FirstName)) && string.IsNullOrWhiteSpace(Get(fields, CrmFieldNames.LastName)) && Get(fields, CrmFieldNames.Name) is { } fullName)
        {
            var parts = fullName.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            fields[CrmFieldNames.FirstName] = parts.Length > 1 ? parts[0] : null;
            fields[CrmFieldNames.LastName] = parts.Length > 1 ? parts[1] : parts.FirstOrDefault();
        }

        foreach (var (field, path) in target.Fields)
        {
            if (Get(fields, field) is not { Length: > 0 } value)
            {
                continue;
            }

            if (isActivity && field == CrmFieldNames.Body && target is OpenApiActivityProfile { ExternalIdAsMarker: true } markerProfile && markerProfile.ExternalIdField == path)
            {
                continue;
            }

            if (OpenApiValues.Convert(schema.At(path)!, value) is not { } converted)
            {
                return (body, CrmRecordResult.Failure(record.ExternalId, CrmProblemType.InvalidValue, $"'{value}' is not a valid value for {DisplayName}'s field '{path}' ({field})."));
            }

            OpenApiValues.Set(body, path, converted);
        }

        foreach (var (path, value) in record.MappedFields)
        {
            if (value is null)
            {
                continue;
            }

            if (schema.At(path) is not { } fieldSchema || fieldSchema.Type == "object")
            {
                return (body, CrmRecordResult.Failure(record.ExternalId, CrmProblemType.UnknownField, $"{DisplayName} has no field '{path}' on this record (check the field mapping)."));
            }

            if (OpenApiValues.Convert(fieldSchema, value) is not { } converted)
            {
                return (body, CrmRecordResult.Failure(record.ExternalId, CrmProblemType.InvalidValue, $"'{value}' is not a valid value for {DisplayName}'s field '{path}'."));
            }

            OpenApiValues.Set(body, path, converted);
        }

        if (target is OpenApiActivityProfile activity)
        {
            OpenApiValues.Set(body, activity.ContactField, OpenApiValues.Convert(schema.At(activity.ContactField)!, record.ContactCrmId!) ?? JsonValue.Create(record.ContactCrmId));
            OpenApiValues.Set(body, activity.TypeField, OpenApiValues.Convert(schema.At(activity.TypeField)!, activity.TypeValues[KindOf(record.ObjectType)]));
            if (activity.ExternalIdAsMarker)
            {
                var text = Get(fields, CrmFieldNames.Body) ?? Get(fields, CrmFieldNames.Subject) ?? KindOf(record.ObjectType);
                OpenApiValues.Set(body, activity.ExternalIdField!, JsonValue.Create(text + " [" + Marker(record.ExternalId) + "]"));
            }
            else
            {
                OpenApiValues.Set(body, activity.ExternalIdField!, JsonValue.Create(record.ExternalId));
            }
        }
        else
        {
            OpenApiValues.Set(body, target.ExternalIdField!, JsonValue.Create(record.ExternalId));
        }

        foreach (var required in schema.Required)
        {
            if (body[required] is null && !target.FixedValues.Keys.Any(k => k.Split('.')[0] == required))
            {
                var host = target.Fields.FirstOrDefault(f => f.Value.Split('.')[0] == required).Key;
                return (body, CrmRecordResult.Failure(record.ExternalId, CrmProblemType.RequiredFieldMissing,
                    $"{DisplayName} requires '{required}'" + (host is null ? "." : $", and this record has no {host}.")));
            }
        }

        return (body, null);
    }

    private static string? Get(IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string KindOf(CrmObjectType type) => type switch
    {
        CrmObjectType.Email => "email",
        CrmObjectType.Call => "call",
        CrmObjectType.Meeting => "meeting",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Marker(string externalId) => MarkerPrefix + externalId;

    private static string? LastSegment(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return null;
        }

        var path = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : location.Split('?')[0];
        var segment = path.TrimEnd('/').Split('/').LastOrDefault();
        return string.IsNullOrEmpty(segment) ? null : Uri.UnescapeDataString(segment);
    }

    /// <summary>Writes records with at most <see cref="CrmProviderCapabilities.MaxBatchSize"/> in flight. A throttle, outage or revocation stops the rest and is thrown once the writes in flight have finished.</summary>
    private static async Task<IReadOnlyList<CrmRecordResult>> WriteConcurrentlyAsync(IReadOnlyList<CrmRecordWrite> records, Func<CrmRecordWrite, CancellationToken, Task<CrmRecordResult>> write, CancellationToken cancellationToken)
    {
        var results = new CrmRecordResult[records.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? fatal = null;
        var tasks = records.Select(async (record, index) =>
        {
            try
            {
                results[index] = await write(record, stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lock (results)
                {
                    if (ex is not OperationCanceledException && (fatal is null || Severity(ex) > Severity(fatal)))
                    {
                        fatal = ex;
                    }
                }

                await stop.CancelAsync().ConfigureAwait(false);
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (fatal is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fatal);
        }

        return results;

        static int Severity(Exception ex) => ex switch
        {
            CrmAuthRevokedException => 4,
            CrmRateLimitedException => 3,
            CrmProviderUnavailableException => 2,
            _ => 1,
        };
    }
}

/// <summary>One page of a list answer.</summary>
internal sealed record OpenApiPage(IReadOnlyList<JsonObject> Items, bool HasMore, string? NextCursor, long? TotalCount);
