using CrmSync.Sdk;

namespace CrmSync.Providers.Salesforce;

public sealed partial class SalesforceCrmProvider : ICrmFieldCatalog
{
    /// <summary>
    /// Lists the fields of the sObject contacts are written to (<c>Contact</c> or <c>Lead</c>, as the connection's
    /// <see cref="ObjectSetting"/> or <see cref="SalesforceOptions.ContactObject"/> says) from
    /// <c>GET /services/data/vXX.X/sobjects/{Object}/describe</c>. A field is writable when it is both <c>createable</c> and
    /// <c>updateable</c> (CrmSync upserts), required when it is createable, not <c>nillable</c> and not
    /// <c>defaultedOnCreate</c>; picklists carry their active values, multi-select picklists take <c>;</c>-separated values
    /// and are passed as text.
    /// </summary>
    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (objectType != CrmObjectType.Contact)
        {
            return [];
        }

        var fields = await DescribeFieldsAsync(context, ContactObject(context), cancellationToken).ConfigureAwait(false);
        return fields.Select(ToField).ToList();
    }

    /// <summary>Describes an sObject (<c>GET …/sobjects/{Object}/describe</c>): the fields the connected user can see.</summary>
    private async Task<List<SalesforceDescribeField>> DescribeFieldsAsync(CrmProviderContext context, string sobject, CancellationToken cancellationToken)
    {
        var response = await SendAsync(context, (token, instance, ct) => Api.DescribeAsync(Options.ApiVersion, sobject, token, context.ConnectionId, instance, ct), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, context.ConnectionId);
        return (response.Content?.Fields ?? []).Where(f => !string.IsNullOrWhiteSpace(f.Name)).ToList();
    }

    private static CrmFieldInfo ToField(SalesforceDescribeField f)
    {
        var type = f.Type switch
        {
            "string" or "textarea" or "url" or "multipicklist" => CrmFieldType.Text,
            "double" or "currency" or "percent" or "int" or "long" => CrmFieldType.Number,
            "boolean" => CrmFieldType.Boolean,
            "date" => CrmFieldType.Date,
            "datetime" => CrmFieldType.DateTime,
            "picklist" => CrmFieldType.Enumeration,
            "email" => CrmFieldType.Email,
            "phone" => CrmFieldType.Phone,
            "reference" or "id" => CrmFieldType.Reference,
            _ => CrmFieldType.Other,
        };
        var required = f.Createable && !f.Nillable && !f.DefaultedOnCreate;
        return new CrmFieldInfo(f.Name, string.IsNullOrWhiteSpace(f.Label) ? f.Name : f.Label, type, f.Createable && f.Updateable, required, f.Custom)
        {
            Options = type == CrmFieldType.Enumeration ? [.. (f.PicklistValues ?? []).Where(v => v.Active && v.Value is not null).Select(v => v.Value!)] : [],
        };
    }
}
