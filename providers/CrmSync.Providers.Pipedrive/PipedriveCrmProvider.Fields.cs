using System.Text.Json;
using CrmSync.Providers.Pipedrive.Internal;
using CrmSync.Sdk;

namespace CrmSync.Providers.Pipedrive;

public sealed partial class PipedriveCrmProvider : ICrmFieldCatalog
{
    /// <summary>The standard person fields CrmSync writes in a person body (<c>name</c>, <c>emails</c>, <c>phones</c>); v1 and v2 field codes.</summary>
    private static readonly HashSet<string> WritableStandardFields = new(StringComparer.Ordinal) { "name", "email", "emails", "phone", "phones" };

    /// <summary>Custom field types whose value is plain text, a number or a date, which CrmSync can send as mapped.</summary>
    private static readonly HashSet<string> WritableCustomTypes = new(StringComparer.Ordinal) { "varchar", "varchar_auto", "text", "double", "int", "date", "phone" };

    /// <summary>
    /// Lists person fields (<c>GET /api/v2/personFields</c>, cursor-paged, scope <c>contacts:read</c>): the name to map to is
    /// the <c>field_code</c> (a 40-character key for custom fields), the label the <c>field_name</c>. Writable are
    /// <c>name</c>, email and phone, and custom fields holding text, numbers, dates or phones; the other standard fields
    /// (owner, organization, times, counts) are not written by a mapping. Pipedrive takes an option <em>id</em> for
    /// <c>enum</c>/<c>set</c> fields and objects for monetary, address and range fields, which a mapping's text value is not,
    /// so those are listed as read-only (<see cref="CrmFieldType.Other"/>, no options).
    /// </summary>
    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (objectType != CrmObjectType.Contact)
        {
            return [];
        }

        var fields = new List<CrmFieldInfo>();
        string? cursor = null;
        do
        {
            var next = cursor;
            using var page = await SendAsync(context, (api, auth, baseAddress, ct) => api.GetPersonFieldsAsync(next, auth, context.ConnectionId, baseAddress, ct), cancellationToken).ConfigureAwait(false);
            EnsureSuccess(page, "read the person fields");
            fields.AddRange((page.Content!.Data ?? []).Where(f => !string.IsNullOrWhiteSpace(f.FieldCode)).Select(ToField));
            cursor = page.Content.AdditionalData is { ValueKind: JsonValueKind.Object } more
                && more.TryGetProperty("next_cursor", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (cursor is not null);

        return fields;
    }

    private static CrmFieldInfo ToField(PipedrivePersonField f)
    {
        var code = f.FieldCode!;
        var type = (code, f.FieldType) switch
        {
            ("email" or "emails", _) => CrmFieldType.Email,
            (_, "phone") or ("phone" or "phones", _) => CrmFieldType.Phone,
            (_, "varchar" or "varchar_auto" or "text") => CrmFieldType.Text,
            (_, "double" or "monetary" or "int") => CrmFieldType.Number,
            (_, "date") => CrmFieldType.Date,
            (_, "user" or "org" or "people") => CrmFieldType.Reference,
            _ => CrmFieldType.Other,
        };
        var writable = WritableStandardFields.Contains(code) || (f.IsCustomField && f.FieldType is not null && WritableCustomTypes.Contains(f.FieldType));
        return new CrmFieldInfo(code, string.IsNullOrWhiteSpace(f.FieldName) ? code : f.FieldName, type, writable, Required: code == "name", Custom: f.IsCustomField);
    }
}
