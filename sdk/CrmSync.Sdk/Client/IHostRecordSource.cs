namespace CrmSync.Sdk;

/// <summary>
/// The host's existing records, read when a user chooses "Import existing" or clicks "Resync existing contacts".
/// Implemented by the host; streamed, so the host never loads everything into memory.
/// </summary>
public interface IHostRecordSource
{
    /// <summary>Streams the tenant's existing contacts.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The contacts as changes.</returns>
    IAsyncEnumerable<CrmChange> GetExistingContactsAsync(string tenantId, CancellationToken cancellationToken = default);
}
