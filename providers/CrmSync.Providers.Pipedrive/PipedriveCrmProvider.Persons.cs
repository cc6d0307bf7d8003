using System.Net;
using System.Text.Json;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using Refit;
using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Pipedrive;

/// <content>Persons: external-id field, exact-match search, then update or create.</content>
public sealed partial class PipedriveCrmProvider
{
    private async Task<CrmRecordResult> UpsertPersonAsync(CrmProviderContext context, CrmRecordWrite record, CancellationToken cancellationToken)
    {
        var fieldCode = await GetExternalIdFieldCodeAsync(context, record.ExternalIdField, cancellationToken).ConfigureAwait(false);
        var body = BuildPerson(record, fieldCode);
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.RequiredFieldMissing,
                "Pipedrive requires a name for every person, and this contact has no name, first or last name, or email to use as one.");
        }

        // 1. The id CrmSync already knows (stored by the engine, or made by an earlier call that failed afterwards).
        var knownId = ParseId(record.KnownCrmId) ?? ParseId(_unconfirmed.Find(context.ConnectionId, record.ObjectType, record.ExternalId)?.CrmRecordId);
        if (knownId is { } id)
        {
            var updated = await UpdatePersonAsync(context, record, id, body, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return updated;
            }
        }

        // 2. An exact search on the external-id field (the person may exist from a lost answer or an earlier install).
        var found = await FindPersonAsync(context, fieldCode, record.ExternalId, cancellationToken).ConfigureAwait(false);
        if (found is { } existing)
        {
            var updated = await UpdatePersonAsync(context, record, existing, body, cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return updated;
            }
        }

        // 3. Create, with the owner (owners are set on create only).
        body.OwnerId = ParseId(record.OwnerIdOnCreate);
        IApiResponse<PipedriveResponse<PipedrivePerson>> response;
        try
        {
            response = await SendAsync(context, (api, auth, baseAddress, ct) => api.CreatePersonAsync(body, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CrmProviderUnavailableException)
        {
            _unconfirmed.RecordUncertain(context.ConnectionId, record.ObjectType, record.ExternalId);
            Log.WriteUncertain(_logger, context.ConnectionId);
            throw;
        }

        using (response)
        {
            if (response.IsSuccessStatusCode && response.Content?.Data is { } created)
            {
                _unconfirmed.RecordCreated(context.ConnectionId, record.ObjectType, record.ExternalId, Id(created.Id));
                return CrmRecordResult.Success(record.ExternalId, Id(created.Id), created: true);
            }

            var (problem, message) = Describe(response);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }
    }

    /// <summary>Updates a person; returns <see langword="null"/> when it no longer exists (deleted in Pipedrive), so the caller creates it again.</summary>
    private async Task<CrmRecordResult?> UpdatePersonAsync(CrmProviderContext context, CrmRecordWrite record, long id, PipedrivePersonBody body, CancellationToken cancellationToken)
    {
        var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.UpdatePersonAsync(id, body, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }

            if (response.IsSuccessStatusCode && response.Content?.Data is { } person)
            {
                return CrmRecordResult.Success(record.ExternalId, Id(person.Id), created: false);
            }

            var (problem, message) = Describe(response);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }
    }

    /// <summary>Finds the person whose external-id field equals <paramref name="externalId"/>: exact search, then a check of the field itself.</summary>
    private async Task<long?> FindPersonAsync(CrmProviderContext context, string fieldCode, string externalId, CancellationToken cancellationToken)
    {
        List<long> candidates;
        using (var lease = await _budgets.Search.AcquireAsync(context.ConnectionId, cancellationToken).ConfigureAwait(false))
        {
            var response = await SendAsync(
                context,
                (api, auth, baseAddress, ct) => api.SearchPersonsAsync(externalId, "custom_fields", "true", 10, auth, baseAddress, ct),
                cancellationToken,
                search: true).ConfigureAwait(false);
            using (response)
            {
                EnsureSuccess(response, "search persons");
                candidates = response.Content!.Data?.Items
                    .Where(i => i.Item is { Type: null or "person" })
                    .Select(i => i.Item!.Id)
                    .Order()
                    .ToList() ?? [];
            }
        }

        // Search matches any custom field; confirm it is ours (and take the oldest if duplicates exist).
        foreach (var candidate in candidates.Take(3))
        {
            var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetPersonAsync(candidate, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (response.IsSuccessStatusCode && response.Content?.Data is { IsDeleted: false } person
                    && person.CustomFields?.TryGetValue(fieldCode, out var value) == true
                    && value.ValueKind == JsonValueKind.String
                    && string.Equals(value.GetString(), externalId, StringComparison.Ordinal))
                {
                    return person.Id;
                }
            }
        }

        return null;
    }

    /// <summary>Resolves the custom field that holds external ids, creating it when missing. One lookup per connection.</summary>
    private async Task<string> GetExternalIdFieldCodeAsync(CrmProviderContext context, string externalIdField, CancellationToken cancellationToken)
    {
        if (_fieldCodes.TryGetValue(context.ConnectionId, out var cached))
        {
            return cached;
        }

        var gate = _fieldLocks.GetOrAdd(context.ConnectionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_fieldCodes.TryGetValue(context.ConnectionId, out cached))
            {
                return cached;
            }

            var name = string.Equals(externalIdField, FieldMapping.DefaultExternalIdField, StringComparison.Ordinal)
                ? _options.ExternalIdFieldName ?? $"{_syncOptions.CurrentValue.ProductName} External ID"
                : externalIdField;
            string? cursor = null;
            string? code = null;
            do
            {
                var page = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetPersonFieldsAsync(cursor, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
                using (page)
                {
                    EnsureSuccess(page, "read the person fields");
                    var match = page.Content!.Data?.FirstOrDefault(f => string.Equals(f.FieldCode, externalIdField, StringComparison.Ordinal))
                        ?? page.Content.Data?.FirstOrDefault(f => f.IsCustomField && string.Equals(f.FieldName, name, StringComparison.OrdinalIgnoreCase));
                    code = match?.FieldCode;
                    cursor = code is null && page.Content.AdditionalData is { ValueKind: JsonValueKind.Object } more
                        && more.TryGetProperty("next_cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
                }
            }
            while (code is null && cursor is not null);

            if (code is null)
            {
                IApiResponse<PipedriveResponse<PipedrivePersonField>> created;
                try
                {
                    created = await SendAsync(context, (api, auth, baseAddress, ct) => api.CreatePersonFieldAsync(new PipedriveNewPersonField(name, "varchar"), auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
                }
                catch (CrmRequestFailedException ex) when (ex.ErrorCode == "SCOPE_MISMATCH")
                {
                    throw FieldRefused(context, name, 403, "SCOPE_MISMATCH");
                }

                using (created)
                {
                    if (created.StatusCode == HttpStatusCode.Forbidden)
                    {
                        throw FieldRefused(context, name, 403, "FORBIDDEN");
                    }

                    EnsureSuccess(created, $"create the person field '{name}'");
                    code = created.Content!.Data?.FieldCode
                        ?? throw new CrmRequestFailedException($"Pipedrive created the person field '{name}' but returned no field code.", Name, ((int?)created.StatusCode ?? 0), CrmProblemType.Unknown);
                    Log.ExternalIdFieldCreated(_logger, name, code, context.ConnectionId);
                }
            }

            _fieldCodes[context.ConnectionId] = code;
            return code;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Pipedrive refused to create the external-id person field (403): the connected user's permission set does not allow
    /// adding custom fields, or the app's sign-in lacks <c>contacts:full</c>. Nothing was written yet; the message tells an admin
    /// the one thing to do, and no field code is remembered, so the next run (after Retry) looks again.
    /// </summary>
    private CrmRequestFailedException FieldRefused(CrmProviderContext context, string name, int status, string code)
    {
        Log.ExternalIdFieldRefused(_logger, name, context.ConnectionId, code);
        var message = code == "SCOPE_MISMATCH"
            ? $"Pipedrive did not let CrmSync create its external-id person field '{name}' (the app's sign-in was not granted contacts:full, which CrmSync needs to add that field and to write persons), so no persons were sent. "
                + "Reconnect Pipedrive and approve full access to contacts (if the app's scopes in Pipedrive's Developer Hub lack contacts:full, add it first); then click Retry."
            : $"Pipedrive did not let CrmSync create its external-id person field '{name}' (the connected user's permission set does not allow adding custom fields), so no persons were sent. "
                + $"An admin can add it once: Company settings › Data fields › Person › Custom field, name '{name}', field type 'Text'; "
                + "or give the connected user the 'Add custom fields' permission (Company settings › Manage users › Permission sets). Then click Retry.";
        return new CrmRequestFailedException(message, Name, status, CrmProblemType.PermissionDenied, code);
    }

    /// <summary>Translates host fields (and the field mapping, which wins) into a v2 person body.</summary>
    private static PipedrivePersonBody BuildPerson(CrmRecordWrite record, string fieldCode)
    {
        string? Get(string key) => record.Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var name = Get(CrmFieldNames.Name) ?? string.Join(' ', new[] { Get(CrmFieldNames.FirstName), Get(CrmFieldNames.LastName) }.Where(p => p is not null));
        var email = Get(CrmFieldNames.Email);
        var phone = Get(CrmFieldNames.Phone);
        var custom = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, value) in record.MappedFields)
        {
            switch (field)
            {
                case "name":
                    name = value ?? name;
                    break;
                case "email":
                case "emails":
                    email = value ?? email;
                    break;
                case "phone":
                case "phones":
                    phone = value ?? phone;
                    break;
                default:
                    if (!string.Equals(field, record.ExternalIdField, StringComparison.Ordinal))
                    {
                        custom[field] = value;
                    }

                    break;
            }
        }

        custom[fieldCode] = record.ExternalId;
        return new PipedrivePersonBody
        {
            Name = string.IsNullOrWhiteSpace(name) ? email : name,
            Emails = email is null ? null : [new PipedriveContactValue(email, true, "work")],
            Phones = phone is null ? null : [new PipedriveContactValue(phone, true, "work")],
            CustomFields = custom,
        };
    }
}
