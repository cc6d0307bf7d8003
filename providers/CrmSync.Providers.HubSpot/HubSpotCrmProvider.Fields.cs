using CrmSync.Sdk;

namespace CrmSync.Providers.HubSpot;

public sealed partial class HubSpotCrmProvider : ICrmFieldCatalog
{
    /// <summary>
    /// Lists contact properties (<c>GET /crm/v3/properties/contacts</c>, scope <c>crm.schemas.contacts.read</c>). Calculated
    /// properties and those with a read-only value are not writable; <c>select</c>/<c>radio</c> enumerations carry their
    /// option values, multi-select <c>checkbox</c> ones take <c>;</c>-separated values and are passed as text.
    /// </summary>
    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (objectType != CrmObjectType.Contact)
        {
            return [];
        }

        var (first, second) = Paths.Properties;
        using var page = await SendAsync(context, (token, ct) => Api.ListPropertiesAsync(first, second, "contacts", token, context.ConnectionId, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(page, context.ConnectionId);
        return (page.Content?.Results ?? [])
            .Where(p => !p.Archived && !string.IsNullOrWhiteSpace(p.Name))
            .Select(ToField)
            .ToList();
    }

    private static CrmFieldInfo ToField(HubSpotPropertyDefinition p)
    {
        var type = (p.Type, p.FieldType, p.Name) switch
        {
            (_, _, "email") => CrmFieldType.Email,
            (_, "phonenumber", _) => CrmFieldType.Phone,
            ("number", _, _) => CrmFieldType.Number,
            ("bool", _, _) => CrmFieldType.Boolean,
            ("date", _, _) => CrmFieldType.Date,
            ("datetime", _, _) => CrmFieldType.DateTime,
            ("enumeration", "checkbox", _) => CrmFieldType.Text,
            ("enumeration", _, _) => CrmFieldType.Enumeration,
            ("string", _, _) => CrmFieldType.Text,
            _ => CrmFieldType.Other,
        };
        var writable = !p.Calculated && p.ModificationMetadata?.ReadOnlyValue != true;
        var custom = !(p.HubspotDefined ?? p.ModificationMetadata?.ReadOnlyDefinition ?? false);
        return new CrmFieldInfo(p.Name!, string.IsNullOrWhiteSpace(p.Label) ? p.Name! : p.Label, type, writable, Required: false, Custom: custom)
        {
            Options = type == CrmFieldType.Enumeration ? [.. (p.Options ?? []).Where(o => !o.Hidden && o.Value is not null).Select(o => o.Value!)] : [],
        };
    }
}
