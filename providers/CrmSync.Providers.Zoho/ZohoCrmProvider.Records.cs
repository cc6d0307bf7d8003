using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrmSync.Providers.Zoho.Internal;
using CrmSync.Sdk;
using CrmSync.Sdk.Http;
using Refit;

namespace CrmSync.Providers.Zoho;

/// <content>Writes: people by upsert, activities by insert or update, per-record outcomes.</content>
public sealed partial class ZohoCrmProvider
{
    /// <summary>
    /// Upserts people. A record whose field mapping writes a system field Zoho sets itself (<c>Created_Time</c>…) fails on its
    /// own, without being sent; the mapping check refuses such mappings, this guards mappings saved before.
    /// </summary>
    private async Task<IReadOnlyList<CrmRecordResult>> UpsertPeopleAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<int, CrmRecordResult>();
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].MappedFields.Keys.FirstOrDefault(k => ReadOnlySystemFields.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } systemField)
            {
                refused[i] = CrmRecordResult.Failure(records[i].ExternalId, CrmProblemType.InvalidValue,
                    $"Zoho CRM sets '{systemField}' itself, so CrmSync cannot write it. Remove it from Field Mapping, then click Retry failed records.");
            }
        }

        if (refused.Count == 0)
        {
            return await UpsertWritablePeopleAsync(context, records, cancellationToken).ConfigureAwait(false);
        }

        var writable = records.Where((_, i) => !refused.ContainsKey(i)).ToList();
        var written = writable.Count == 0 ? [] : await UpsertWritablePeopleAsync(context, writable, cancellationToken).ConfigureAwait(false);
        var results = new List<CrmRecordResult>(records.Count);
        var next = 0;
        for (var i = 0; i < records.Count; i++)
        {
            results.Add(refused.TryGetValue(i, out var failure) ? failure : written[next++]);
        }

        return results;
    }

    private async Task<IReadOnlyList<CrmRecordResult>> UpsertWritablePeopleAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var module = PersonModule(context, records[0].ObjectType);
        var configured = ExternalIdFieldOf(records[0]);
        var externalIdField = await EnsureExternalIdFieldAsync(context, module, configured, UsesDefaultExternalIdField(records[0]), cancellationToken).ConfigureAwait(false);
        if (externalIdField is null)
        {
            return records.Select(r => CrmRecordResult.Failure(r.ExternalId, CrmProblemType.UnknownField,
                $"Zoho CRM {module} has no field '{configured}' to match records by. An admin can create it (Setup › Customization › Modules and Fields › {module}, a Single Line field with \"Do not allow duplicate values\"), or map the external id to a field that exists; then click Retry failed records.")).ToList();
        }

        var request = new ZohoWriteRequest
        {
            Data = records.Select(r => BuildPerson(r, module, externalIdField)).ToList(),
            DuplicateCheckFields = [externalIdField],
            Trigger = [],
        };
        await ChargeCreditsAsync(context, records.Count, cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.UpsertAsync(module, request, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        var results = MapWrite(response, records, module, externalIdField, upsert: true);

        // Owners are set on create only: upsert cannot tell in advance, so inserted records get their owner right after.
        var owners = records.Select((r, i) => (Record: r, Result: results[i]))
            .Where(x => x.Result is { Succeeded: true, Created: true } && !string.IsNullOrWhiteSpace(x.Record.OwnerIdOnCreate))
            .ToList();
        if (owners.Count > 0)
        {
            var ownerUpdate = new ZohoWriteRequest
            {
                Data = owners.Select(x => new JsonObject { ["id"] = x.Result.CrmRecordId, ["Owner"] = new JsonObject { ["id"] = x.Record.OwnerIdOnCreate } }).ToList(),
                Trigger = [],
            };
            await ChargeCreditsAsync(context, owners.Count, cancellationToken).ConfigureAwait(false);
            using var assigned = await SendAsync(context, (api, auth, baseAddress, ct) => api.UpdateAsync(module, ownerUpdate, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            var body = ReadAnswer(assigned);
            for (var i = 0; i < owners.Count; i++)
            {
                if (body?.Data is { } data && i < data.Count && data[i].Status != "success")
                {
                    var index = records.ToList().IndexOf(owners[i].Record);
                    results[index] = CrmRecordResult.Failure(owners[i].Record.ExternalId, CrmProblemType.InvalidValue,
                        $"Zoho CRM created the record ({owners[i].Result.CrmRecordId}) but did not accept the record owner '{owners[i].Record.OwnerIdOnCreate}': {Explain(data[i], module)}") with
                    { CrmRecordId = owners[i].Result.CrmRecordId };
                }
            }
        }

        return results;
    }

    private async Task<IReadOnlyList<CrmRecordResult>> UpsertActivitiesAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken)
    {
        var type = records[0].ObjectType;
        var module = type switch
        {
            CrmObjectType.Email => "Notes",
            CrmObjectType.Call => "Calls",
            _ => "Events",
        };
        var parentModule = PersonModule(context, CrmObjectType.Contact);
        var results = new CrmRecordResult[records.Count];
        var updates = new List<(int Index, JsonObject Data)>();
        var inserts = new List<(int Index, JsonObject Data)>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (string.IsNullOrWhiteSpace(record.ContactCrmId))
            {
                results[i] = CrmRecordResult.Failure(record.ExternalId, CrmProblemType.ContactNotSynced, "This activity's contact is not in Zoho CRM yet, so there is nothing to link it to.");
                continue;
            }

            var journal = _unconfirmed.Find(context.ConnectionId, type, record.ExternalId);
            var id = record.KnownCrmId ?? journal?.CrmRecordId;
            if (id is null && journal?.IsUncertain == true)
            {
                // The last insert got no answer: look for our reference on the contact's related list first.
                id = await FindRelatedAsync(context, parentModule, record.ContactCrmId, module, record.ExternalId, cancellationToken).ConfigureAwait(false);
            }

            var data = BuildActivity(record, module, parentModule, _time.GetUtcNow());
            if (id is not null)
            {
                data["id"] = id;
                updates.Add((i, data));
            }
            else
            {
                if (!string.IsNullOrWhiteSpace(record.OwnerIdOnCreate) && module != "Notes")
                {
                    data["Owner"] = new JsonObject { ["id"] = record.OwnerIdOnCreate };
                }

                inserts.Add((i, data));
            }
        }

        if (updates.Count > 0)
        {
            var request = new ZohoWriteRequest { Data = updates.Select(u => u.Data).ToList(), Trigger = [] };
            await ChargeCreditsAsync(context, updates.Count, cancellationToken).ConfigureAwait(false);
            var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.UpdateAsync(module, request, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            var subset = updates.Select(u => records[u.Index]).ToList();
            var mapped = MapWrite(response, subset, module, null, upsert: false);
            for (var j = 0; j < updates.Count; j++)
            {
                var (index, data) = updates[j];
                if (mapped[j] is { Succeeded: false, Error: { } error } && error.Contains("does not exist", StringComparison.Ordinal))
                {
                    // Deleted in Zoho meanwhile: create it again.
                    data.Remove("id");
                    inserts.Add((index, data));
                }
                else
                {
                    results[index] = mapped[j] with { Created = false };
                }
            }
        }

        if (inserts.Count > 0)
        {
            var request = new ZohoWriteRequest { Data = inserts.Select(u => u.Data).ToList(), Trigger = [] };
            await ChargeCreditsAsync(context, inserts.Count, cancellationToken).ConfigureAwait(false);
            IApiResponse<ZohoWriteResponse> response;
            try
            {
                response = await SendAsync(context, (api, auth, baseAddress, ct) => api.InsertAsync(module, request, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (CrmProviderUnavailableException)
            {
                foreach (var (index, _) in inserts)
                {
                    _unconfirmed.RecordUncertain(context.ConnectionId, type, records[index].ExternalId);
                }

                Log.WriteUncertain(_logger, context.ConnectionId, inserts.Count);
                throw;
            }

            var subset = inserts.Select(u => records[u.Index]).ToList();
            var mapped = MapWrite(response, subset, module, null, upsert: false);
            for (var j = 0; j < inserts.Count; j++)
            {
                results[inserts[j].Index] = mapped[j];
                if (mapped[j] is { Succeeded: true, CrmRecordId: { } crmId })
                {
                    _unconfirmed.RecordCreated(context.ConnectionId, type, subset[j].ExternalId, crmId);
                }
            }
        }

        return results;
    }

    /// <summary>
    /// Finds an activity CrmSync wrote earlier by the reference in its description or note content, on the record's related
    /// lists as v8 names them: <c>Notes</c> for notes; calls and meetings on <c>Activities_History</c> (closed: logged calls,
    /// past meetings) and <c>Activities</c> (open). There is no <c>Calls</c> or <c>Events</c> related list.
    /// </summary>
    private async Task<string?> FindRelatedAsync(CrmProviderContext context, string parentModule, string parentId, string module, string externalId, CancellationToken cancellationToken)
    {
        string[] lists = module == "Notes" ? ["Notes"] : ["Activities_History", "Activities"];
        foreach (var list in lists)
        {
            if (await FindOnRelatedListAsync(context, parentModule, parentId, list, module, externalId, cancellationToken).ConfigureAwait(false) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    private async Task<string?> FindOnRelatedListAsync(CrmProviderContext context, string parentModule, string parentId, string list, string module, string externalId, CancellationToken cancellationToken)
    {
        var marker = RefMarker(externalId);
        var field = module == "Notes" ? "Note_Content" : "Description";
        for (var page = 1; page <= 25; page++)
        {
            var current = page;
            var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetRelatedAsync(parentModule, parentId, list, field, current, 200, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (response.StatusCode == System.Net.HttpStatusCode.NoContent)
                {
                    return null;
                }

                EnsureSuccess(response, $"list the {module} of a record");

                // The activity lists hold calls, meetings and tasks: Activity_Type says which.
                var match = response.Content!.Data?.FirstOrDefault(r =>
                    r[field] is JsonValue v && v.TryGetValue<string>(out var text) && text.Contains(marker, StringComparison.Ordinal)
                    && (r["Activity_Type"] is not JsonValue kind || !kind.TryGetValue<string>(out var type) || type == module));
                if (match?["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id))
                {
                    return id;
                }

                if (response.Content.Info?.MoreRecords != true)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>Writes cost one API credit per started block of 10 records; the budget counts the first with the request itself.</summary>
    private async Task ChargeCreditsAsync(CrmProviderContext context, int records, CancellationToken cancellationToken)
    {
        if (_options.RequestBudget.DailyLimit is null)
        {
            return;
        }

        for (var extra = ((records + 9) / 10) - 1; extra > 0; extra--)
        {
            using var lease = await _budget.AcquireAsync(context.ConnectionId, cancellationToken).ConfigureAwait(false);
        }
    }

    private string ExternalIdFieldOf(CrmRecordWrite record) =>
        string.Equals(record.ExternalIdField, FieldMapping.DefaultExternalIdField, StringComparison.Ordinal) ? _options.ExternalIdField : record.ExternalIdField;

    /// <summary>Maps a write answer to one result per record, in order. A whole-request error fails every record with the same explanation.</summary>
    private CrmRecordResult[] MapWrite(IApiResponse<ZohoWriteResponse> response, IReadOnlyList<CrmRecordWrite> records, string module, string? externalIdField, bool upsert)
    {
        using (response)
        {
            var body = ReadAnswer(response);
            var results = new CrmRecordResult[records.Count];
            if (body?.Data is { } data && data.Count == records.Count)
            {
                for (var i = 0; i < records.Count; i++)
                {
                    var item = data[i];
                    var id = DetailString(item.Details, "id");
                    results[i] = item.Status == "success" && id is not null
                        ? CrmRecordResult.Success(records[i].ExternalId, id, created: !upsert || item.Action != "update")
                        : Failure(records[i].ExternalId, item, module);
                }

                return results;
            }

            var status = (int?)response.StatusCode ?? 0;
            var error = body is { Code: not null } ? new ZohoResult { Code = body.Code, Details = body.Details, Message = body.Message, Status = body.Status } : ReadError(response);
            var path = DetailString(error?.Details, "json_path");
            (CrmProblemType Problem, string Message) failure = error?.Code switch
            {
                "INVALID_DATA" when path?.StartsWith("$.duplicate_check_fields", StringComparison.Ordinal) == true || DetailString(error.Details, "api_name") == externalIdField =>
                    (CrmProblemType.UnknownField, $"Zoho CRM {module} has no unique field '{externalIdField}' to match records by. Create it in Zoho CRM (Setup › Customization › Modules and Fields › {module}, with \"Do not allow duplicate values\"), then click Retry failed records."),
                "INVALID_MODULE" => (CrmProblemType.UnknownField, $"Zoho CRM does not have the module '{module}' (or the connected user cannot see it)."),
                "NO_PERMISSION" => (CrmProblemType.PermissionDenied, $"The connected Zoho CRM user may not write {module}. Give that user the permission or Reconnect as a user who has it."),
                { } code => (ProblemOf(code, DetailString(error.Details, "api_name")), $"Zoho CRM rejected the request ({code}): {CrmHttpFailures.DescribeBody(error.Message)}"),
                null when status is >= 200 and < 300 => (CrmProblemType.Unknown, $"Zoho CRM answered HTTP {status} without a result per record."),
                null => throw new CrmRequestFailedException($"Zoho CRM answered HTTP {status}: {CrmHttpFailures.DescribeBody((response.Error as ApiException)?.Content)}", Name, status, CrmProblemType.Unknown),
            };
            for (var i = 0; i < records.Count; i++)
            {
                results[i] = CrmRecordResult.Failure(records[i].ExternalId, failure.Problem, failure.Message);
            }

            return results;
        }
    }

    /// <summary>Reads Zoho's per-record (or per-field) answer, which comes as the content of a success or the body of a 4xx.</summary>
    private static T? ReadAnswer<T>(IApiResponse<T> response)
        where T : class
    {
        if (response.Content is { } content)
        {
            return content;
        }

        var body = (response.Error as ApiException)?.Content;
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, ZohoJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Turns one per-record error into a failure. <c>MULTIPLE_OR_MULTI_ERRORS</c> wraps several errors of one record in
    /// <c>details.errors</c>: the first decides the problem type and every one is explained.
    /// </summary>
    private static CrmRecordResult Failure(string externalId, ZohoResult item, string module)
    {
        if (item.Code == "MULTIPLE_OR_MULTI_ERRORS" && InnerErrors(item) is { Count: > 0 } inner)
        {
            return CrmRecordResult.Failure(
                externalId,
                ProblemOf(inner[0].Code, DetailString(inner[0].Details, "api_name")),
                string.Join(" ", inner.Select(e => Explain(e, module))));
        }

        return CrmRecordResult.Failure(externalId, ProblemOf(item.Code, DetailString(item.Details, "api_name")), Explain(item, module));
    }

    private static List<ZohoResult> InnerErrors(ZohoResult item)
    {
        var errors = new List<ZohoResult>();
        if (item.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in list.EnumerateArray())
            {
                if (error.ValueKind == JsonValueKind.Object && JsonSerializer.Deserialize<ZohoResult>(error.GetRawText(), ZohoJson.Options) is { Code: not null } parsed)
                {
                    errors.Add(parsed);
                }
            }
        }

        return errors;
    }

    /// <summary>Explains one per-record error in plain language.</summary>
    private static string Explain(ZohoResult item, string module)
    {
        var apiName = DetailString(item.Details, "api_name");
        var expected = DetailString(item.Details, "expected_data_type");
        return item.Code switch
        {
            "MANDATORY_NOT_FOUND" => $"Zoho CRM requires the field '{apiName}' on {module}, and this record leaves it empty. Map it under Field Mapping (or give it a fixed value).",
            "INVALID_DATA" when apiName is "Email" or "Secondary_Email" => $"Zoho CRM rejected the email address in '{apiName}' as not valid.",
            "INVALID_DATA" when apiName is not null => $"Zoho CRM did not accept the value of '{apiName}'{(expected is null ? string.Empty : $" (it expects {expected})")}.",
            "INVALID_DATA" when DetailString(item.Details, "id") is { } id => $"The Zoho CRM record {id} does not exist (it may have been deleted).",
            "DUPLICATE_DATA" => $"Zoho CRM already has a record with the same '{apiName}'{(item.Details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("duplicate_record", out var dup) && dup.ValueKind == JsonValueKind.Object && dup.TryGetProperty("id", out var dupId) ? $" (record {dupId})" : string.Empty)}, and its duplicate rule blocks another one.",
            "NO_PERMISSION" => $"The connected Zoho CRM user may not write {module}.",
            _ => $"Zoho CRM rejected the record ({item.Code}): {CrmHttpFailures.DescribeBody(item.Message)}",
        };
    }

    private static string? DetailString(JsonElement? details, string property)
    {
        if (details is not { ValueKind: JsonValueKind.Object } d || !d.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static JsonObject BuildPerson(CrmRecordWrite record, string module, string externalIdField)
    {
        string? Get(string key) => record.Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var first = Get(CrmFieldNames.FirstName);
        var last = Get(CrmFieldNames.LastName);
        if (first is null && last is null && Get(CrmFieldNames.Name) is { } full)
        {
            var space = full.LastIndexOf(' ');
            (first, last) = space > 0 ? (full[..space], full[(space + 1)..]) : (null, full);
        }

        var data = new JsonObject();
        void Set(string field, string? value)
        {
            if (value is not null)
            {
                data[field] = value;
            }
        }

        Set("First_Name", first);
        Set("Last_Name", last);
        Set("Email", Get(CrmFieldNames.Email));
        Set("Phone", Get(CrmFieldNames.Phone));
        Set(module == "Leads" ? "Designation" : "Title", Get(CrmFieldNames.JobTitle));
        if (module == "Leads")
        {
            Set("Company", Get(CrmFieldNames.Company));
            Set("Lead_Status", Get(CrmFieldNames.Status));
        }

        foreach (var (field, value) in record.MappedFields)
        {
            data[field] = value;
        }

        data[externalIdField] = record.ExternalId;
        return data;
    }

    private static JsonObject BuildActivity(CrmRecordWrite record, string module, string parentModule, DateTimeOffset now)
    {
        string? Get(string key) => record.Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var description = string.Join("\n\n", new[]
        {
            Get(CrmFieldNames.Body),
            Get(CrmFieldNames.Outcome) is { } outcome ? $"Outcome: {outcome}" : null,
            RefMarker(record.ExternalId),
        }.Where(p => p is not null));
        var start = Get(CrmFieldNames.OccurredAt) is { } occurred && DateTimeOffset.TryParse(occurred, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : (DateTimeOffset?)null;
        var contactId = record.ContactCrmId!;
        var data = new JsonObject();
        switch (module)
        {
            case "Notes":
                data["Note_Title"] = Get(CrmFieldNames.Subject) ?? "Email";
                data["Note_Content"] = description;
                data["Parent_Id"] = new JsonObject { ["module"] = new JsonObject { ["api_name"] = parentModule }, ["id"] = contactId };
                break;
            case "Calls":
                data["Subject"] = Get(CrmFieldNames.Subject) ?? "Call";
                data["Call_Type"] = string.Equals(Get(CrmFieldNames.Direction), "inbound", StringComparison.OrdinalIgnoreCase) ? "Inbound" : "Outbound";
                data["Call_Start_Time"] = ZohoTime(start ?? now);
                if (Get(CrmFieldNames.DurationSeconds) is { } seconds && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0)
                {
                    var total = (int)Math.Round(s);
                    data["Call_Duration"] = string.Create(CultureInfo.InvariantCulture, $"{total / 60:00}:{total % 60:00}");
                }

                data["Description"] = description;
                LinkTo(data, parentModule, contactId);
                break;
            default:
                var begin = start ?? now;
                var end = Get(CrmFieldNames.EndsAt) is { } ends && DateTimeOffset.TryParse(ends, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) && e > begin
                    ? e.ToUniversalTime()
                    : begin.AddMinutes(30);
                data["Event_Title"] = Get(CrmFieldNames.Subject) ?? "Meeting";
                data["Start_DateTime"] = ZohoTime(begin);
                data["End_DateTime"] = ZohoTime(end);
                data["Description"] = description;
                LinkTo(data, parentModule, contactId);
                data["Participants"] = new JsonArray(new JsonObject { ["type"] = parentModule == "Leads" ? "lead" : "contact", ["participant"] = contactId });
                break;
        }

        return data;
    }

    /// <summary>Calls and meetings link a contact through <c>Who_Id</c> and a lead through <c>What_Id</c> with <c>$se_module</c>.</summary>
    private static void LinkTo(JsonObject data, string parentModule, string id)
    {
        if (parentModule == "Contacts")
        {
            data["Who_Id"] = new JsonObject { ["id"] = id };
        }
        else
        {
            data["What_Id"] = new JsonObject { ["id"] = id };
            data["$se_module"] = parentModule;
        }
    }

    private static string ZohoTime(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
