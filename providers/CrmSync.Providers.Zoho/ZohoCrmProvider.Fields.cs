using CrmSync.Sdk;

namespace CrmSync.Providers.Zoho;

public sealed partial class ZohoCrmProvider : ICrmFieldCatalog
{
    /// <summary>The system fields Zoho sets itself on every record; never writable, whatever the metadata says.</summary>
    private static readonly string[] ReadOnlySystemFields = ["id", "Created_Time", "Modified_Time", "Created_By", "Modified_By"];

    /// <summary>
    /// Lists the fields of the module contacts are written to (<c>Contacts</c> or <c>Leads</c>, as the connection's
    /// <see cref="ModuleSetting"/> or <see cref="ZohoOptions.ContactModule"/> says) from
    /// <c>GET /crm/v8/settings/fields?module=…</c> (scope <c>ZohoCRM.settings.fields.READ</c>, asked for at sign-in). A field
    /// is writable unless it is <c>read_only</c> or <c>field_read_only</c> or its <c>operation_type</c> refuses API creates or
    /// updates; required when <c>system_mandatory</c>; picklists carry their <c>actual_value</c>s (without <c>-None-</c>),
    /// multi-select picklists and other types are passed as text.
    /// </summary>
    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (objectType != CrmObjectType.Contact)
        {
            return [];
        }

        var module = PersonModule(context, CrmObjectType.Contact);
        return (await ListModuleFieldsAsync(context, module, cancellationToken).ConfigureAwait(false)).Select(ToField).ToList();
    }

    private static CrmFieldInfo ToField(Internal.ZohoField f)
    {
        var type = f.DataType switch
        {
            "text" or "textarea" or "website" or "multiselectpicklist" => CrmFieldType.Text,
            "integer" or "double" or "currency" or "bigint" or "decimal" or "long" => CrmFieldType.Number,
            "boolean" => CrmFieldType.Boolean,
            "date" => CrmFieldType.Date,
            "datetime" => CrmFieldType.DateTime,
            "picklist" => CrmFieldType.Enumeration,
            "email" => CrmFieldType.Email,
            "phone" => CrmFieldType.Phone,
            "lookup" or "ownerlookup" => CrmFieldType.Reference,
            _ => CrmFieldType.Other,
        };
        var writable = !f.ReadOnly && f.FieldReadOnly != true && f.OperationType?.ApiCreate != false && f.OperationType?.ApiUpdate != false
            && !ReadOnlySystemFields.Contains(f.ApiName!, StringComparer.OrdinalIgnoreCase);
        var label = f.FieldLabel ?? f.DisplayLabel;
        return new CrmFieldInfo(f.ApiName!, string.IsNullOrWhiteSpace(label) ? f.ApiName! : label, type, writable, f.SystemMandatory, f.CustomField)
        {
            Options = type == CrmFieldType.Enumeration
                ? [.. (f.PickListValues ?? []).Where(v => v.Type != "unused" && v.ActualValue is { Length: > 0 } && v.ActualValue != "-None-").Select(v => v.ActualValue!)]
                : [],
        };
    }
}
