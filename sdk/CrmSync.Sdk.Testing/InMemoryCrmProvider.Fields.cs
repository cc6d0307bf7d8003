namespace CrmSync.Sdk.Testing;

/// <content>An optional field catalog, so tests can exercise the field-mapping checks made against the CRM.</content>
public sealed partial class InMemoryCrmProvider : ICrmFieldCatalog
{
    private IReadOnlyList<CrmFieldInfo> _contactFields = [];

    /// <summary>
    /// Sets the contact fields this CRM lists (<see cref="ICrmFieldCatalog"/>). Until set it lists none, and mappings are
    /// saved with CrmSync's own checks only, like a CRM that cannot list its fields.
    /// </summary>
    /// <param name="fields">The fields.</param>
    public void SetContactFields(params CrmFieldInfo[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _contactFields = [.. fields];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_contactFields.Count == 0)
        {
            return [];
        }

        // Asked like any other call: outages, revocation and scripted failures apply.
        await CheckAvailableAsync(context, cancellationToken).ConfigureAwait(false);
        return objectType == CrmObjectType.Contact ? _contactFields : [];
    }
}
