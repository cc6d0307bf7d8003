namespace CrmSync.Sdk;

/// <summary>
/// A CRM that CrmSync can push to. Providers plug in through DI (<see cref="ICrmSyncBuilder"/>); the engine
/// knows them only through this contract and their <see cref="Capabilities"/>.
/// </summary>
public interface ICrmProvider
{
    /// <summary>Gets the stable provider name stored on connections (for example <c>hubspot</c>).</summary>
    string Name { get; }

    /// <summary>Gets the name users see (for example <c>HubSpot</c>).</summary>
    string DisplayName { get; }

    /// <summary>Gets what the provider can do.</summary>
    CrmProviderCapabilities Capabilities { get; }

    /// <summary>
    /// Creates or updates records by external id. All records have the same <see cref="CrmRecordWrite.ObjectType"/>
    /// and there are at most <see cref="CrmProviderCapabilities.MaxBatchSize"/> of them.
    /// </summary>
    /// <param name="context">The connection.</param>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>One result per record, matched by <see cref="CrmRecordWrite.ExternalId"/>.</returns>
    /// <exception cref="CrmRateLimitedException">The CRM throttled the request.</exception>
    /// <exception cref="CrmProviderUnavailableException">The CRM is failing or unreachable.</exception>
    /// <exception cref="CrmAuthRevokedException">The credentials were revoked.</exception>
    /// <exception cref="CrmRequestFailedException">The whole request was rejected.</exception>
    Task<IReadOnlyList<CrmRecordResult>> UpsertAsync(CrmProviderContext context, IReadOnlyList<CrmRecordWrite> records, CancellationToken cancellationToken = default);

    /// <summary>Lists the CRM's users for the record-owner picker. Only called when <see cref="CrmProviderCapabilities.CanListUsers"/>.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The users.</returns>
    Task<IReadOnlyList<CrmUser>> GetUsersAsync(CrmProviderContext context, CancellationToken cancellationToken = default);

    /// <summary>Builds a link that opens a record in the CRM, or <see langword="null"/> when the CRM has none.</summary>
    /// <param name="context">The connection.</param>
    /// <param name="objectType">The record's type.</param>
    /// <param name="crmRecordId">The CRM's record id.</param>
    /// <returns>The link.</returns>
    Uri? GetRecordLink(CrmProviderContext context, CrmObjectType objectType, string crmRecordId);
}
