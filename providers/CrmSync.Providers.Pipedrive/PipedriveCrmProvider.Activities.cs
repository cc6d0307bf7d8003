using System.Globalization;
using System.Net;
using System.Text;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;
using Refit;

namespace CrmSync.Providers.Pipedrive;

/// <content>Activities (v2, linked through <c>participants</c>) and notes (v1, linked through <c>person_id</c>).</content>
public sealed partial class PipedriveCrmProvider
{
    private async Task<CrmRecordResult> UpsertActivityAsync(CrmProviderContext context, CrmRecordWrite record, CancellationToken cancellationToken)
    {
        if (ParseId(record.ContactCrmId) is not { } personId)
        {
            return CrmRecordResult.Failure(record.ExternalId, CrmProblemType.ContactNotSynced, "This activity's contact has no Pipedrive person yet, so there is nothing to link it to.");
        }

        if (record.ObjectType == CrmObjectType.Email && _options.LogEmailsAsNotes)
        {
            return await UpsertNoteAsync(context, record, personId, cancellationToken).ConfigureAwait(false);
        }

        var body = BuildActivity(record, personId);
        var journal = _unconfirmed.Find(context.ConnectionId, record.ObjectType, record.ExternalId);
        var knownId = ParseId(record.KnownCrmId) ?? ParseId(journal?.CrmRecordId);
        if (knownId is null && journal?.IsUncertain == true)
        {
            // The last create got no answer: it may exist. Look for our reference on the person's activities first.
            knownId = await FindActivityAsync(context, personId, record.ExternalId, cancellationToken).ConfigureAwait(false);
        }

        if (knownId is { } id)
        {
            var response = await SendAsync(context, (api, auth, baseAddress, ct) => api.UpdateActivityAsync(id, body, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (response.IsSuccessStatusCode && response.Content?.Data is { } updated)
                {
                    return CrmRecordResult.Success(record.ExternalId, Id(updated.Id), created: false);
                }

                if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Gone))
                {
                    var (problem, message) = Describe(response);
                    return CrmRecordResult.Failure(record.ExternalId, problem, message);
                }
            }
        }

        body.OwnerId = ParseId(record.OwnerIdOnCreate);
        IApiResponse<PipedriveResponse<PipedriveActivity>> created;
        try
        {
            created = await SendAsync(context, (api, auth, baseAddress, ct) => api.CreateActivityAsync(body, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CrmProviderUnavailableException)
        {
            _unconfirmed.RecordUncertain(context.ConnectionId, record.ObjectType, record.ExternalId);
            Log.WriteUncertain(_logger, context.ConnectionId);
            throw;
        }

        using (created)
        {
            if (created.IsSuccessStatusCode && created.Content?.Data is { } activity)
            {
                _unconfirmed.RecordCreated(context.ConnectionId, record.ObjectType, record.ExternalId, Id(activity.Id));
                return CrmRecordResult.Success(record.ExternalId, Id(activity.Id), created: true);
            }

            var (problem, message) = Describe(created);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }
    }

    /// <summary>Logs an email as a v1 note on the person. Notes are written once: a later push of the same email keeps the note.</summary>
    private async Task<CrmRecordResult> UpsertNoteAsync(CrmProviderContext context, CrmRecordWrite record, long personId, CancellationToken cancellationToken)
    {
        var journal = _unconfirmed.Find(context.ConnectionId, record.ObjectType, record.ExternalId);
        var knownId = ParseId(record.KnownCrmId) ?? ParseId(journal?.CrmRecordId);
        if (knownId is null && journal?.IsUncertain == true)
        {
            knownId = await FindNoteAsync(context, personId, record.ExternalId, cancellationToken).ConfigureAwait(false);
        }

        if (knownId is { } id)
        {
            return CrmRecordResult.Success(record.ExternalId, Id(id), created: false);
        }

        var body = new PipedriveNoteBody
        {
            Content = ActivityHtml(record, includeSubject: true),
            PersonId = personId,
            UserId = ParseId(record.OwnerIdOnCreate),
        };
        IApiResponse<PipedriveResponse<PipedriveNote>> created;
        try
        {
            created = await SendAsync(context, (api, auth, baseAddress, ct) => api.CreateNoteAsync(body, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (CrmProviderUnavailableException)
        {
            _unconfirmed.RecordUncertain(context.ConnectionId, record.ObjectType, record.ExternalId);
            Log.WriteUncertain(_logger, context.ConnectionId);
            throw;
        }

        using (created)
        {
            if (created.IsSuccessStatusCode && created.Content?.Data is { } note)
            {
                _unconfirmed.RecordCreated(context.ConnectionId, record.ObjectType, record.ExternalId, Id(note.Id));
                return CrmRecordResult.Success(record.ExternalId, Id(note.Id), created: true);
            }

            var (problem, message) = Describe(created);
            return CrmRecordResult.Failure(record.ExternalId, problem, message);
        }
    }

    private async Task<long?> FindActivityAsync(CrmProviderContext context, long personId, string externalId, CancellationToken cancellationToken)
    {
        var marker = WebUtility.HtmlEncode(RefMarker(externalId));
        string? cursor = null;
        do
        {
            var page = await SendAsync(context, (api, auth, baseAddress, ct) => api.ListActivitiesAsync(personId, 500, cursor, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (page)
            {
                EnsureSuccess(page, "list the person's activities");
                var match = page.Content!.Data?.FirstOrDefault(a => a.Note?.Contains(marker, StringComparison.Ordinal) == true);
                if (match is not null)
                {
                    return match.Id;
                }

                cursor = page.Content.AdditionalData is { ValueKind: System.Text.Json.JsonValueKind.Object } more
                    && more.TryGetProperty("next_cursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            }
        }
        while (cursor is not null);

        return null;
    }

    private async Task<long?> FindNoteAsync(CrmProviderContext context, long personId, string externalId, CancellationToken cancellationToken)
    {
        var marker = WebUtility.HtmlEncode(RefMarker(externalId));
        var start = 0;
        while (true)
        {
            var page = await SendAsync(context, (api, auth, baseAddress, ct) => api.ListNotesAsync(personId, start, 500, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            using (page)
            {
                if (!page.IsSuccessStatusCode)
                {
                    EnsureSuccess(page, "list the person's notes");
                }

                var notes = page.Content?.Data ?? [];
                var match = notes.FirstOrDefault(n => n.Content?.Contains(marker, StringComparison.Ordinal) == true);
                if (match is not null)
                {
                    return match.Id;
                }

                if (notes.Count < 500)
                {
                    return null;
                }

                start += notes.Count;
            }
        }
    }

    private static PipedriveActivityBody BuildActivity(CrmRecordWrite record, long personId)
    {
        string? Get(string key) => record.Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var type = record.ObjectType switch
        {
            CrmObjectType.Call => "call",
            CrmObjectType.Meeting => "meeting",
            _ => "email",
        };
        var body = new PipedriveActivityBody
        {
            Subject = Get(CrmFieldNames.Subject) ?? record.ObjectType switch
            {
                CrmObjectType.Call => "Call",
                CrmObjectType.Meeting => "Meeting",
                _ => "Email",
            },
            Type = type,
            Done = true,
            Note = ActivityHtml(record, includeSubject: false),
            Participants = [new PipedriveParticipant(personId, true)],
        };
        if (Get(CrmFieldNames.OccurredAt) is { } occurred && DateTimeOffset.TryParse(occurred, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var utc = at.ToUniversalTime();
            body.DueDate = utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            body.DueTime = utc.ToString("HH:mm", CultureInfo.InvariantCulture);
            TimeSpan? length = null;
            if (Get(CrmFieldNames.DurationSeconds) is { } seconds && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0)
            {
                length = TimeSpan.FromSeconds(s);
            }
            else if (Get(CrmFieldNames.EndsAt) is { } ends && DateTimeOffset.TryParse(ends, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) && end > at)
            {
                length = end - at;
            }

            if (length is { } duration)
            {
                // Pipedrive durations are HH:MM; round up so a 30-second call is not 00:00.
                var minutes = (int)Math.Min(Math.Ceiling(duration.TotalMinutes), (23 * 60) + 59);
                body.Duration = string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");
            }
        }

        return body;
    }

    /// <summary>HTML for an activity note or a note body, ending with CrmSync's reference so a retry can find it.</summary>
    private static string ActivityHtml(CrmRecordWrite record, bool includeSubject)
    {
        string? Get(string key) => record.Fields.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        var html = new StringBuilder();
        if (includeSubject && Get(CrmFieldNames.Subject) is { } subject)
        {
            html.Append("<p><b>").Append(WebUtility.HtmlEncode(subject)).Append("</b></p>");
        }

        if (Get(CrmFieldNames.Body) is { } text)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        }

        if (Get(CrmFieldNames.Outcome) is { } outcome)
        {
            html.Append("<p>Outcome: ").Append(WebUtility.HtmlEncode(outcome)).Append("</p>");
        }

        html.Append("<p>").Append(WebUtility.HtmlEncode(RefMarker(record.ExternalId))).Append("</p>");
        return html.ToString();
    }
}
