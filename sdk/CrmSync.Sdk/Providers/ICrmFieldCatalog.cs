namespace CrmSync.Sdk;

/// <summary>
/// A provider that can list a CRM object's fields, so the field-mapping editor offers the CRM's real fields and a mapping is
/// checked against them when it is saved (unknown, read-only or wrongly typed fields are refused then, not at the next sync).
/// </summary>
public interface ICrmFieldCatalog
{
    /// <summary>Lists the fields of an object type in the connected CRM account.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="objectType">The object type (field mappings apply to <see cref="CrmObjectType.Contact"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The fields, in the CRM's order.</returns>
    /// <exception cref="CrmProviderUnavailableException">The CRM is failing or unreachable.</exception>
    /// <exception cref="CrmAuthRevokedException">The credentials were revoked.</exception>
    Task<IReadOnlyList<CrmFieldInfo>> GetFieldsAsync(CrmProviderContext context, CrmObjectType objectType, CancellationToken cancellationToken = default);
}
