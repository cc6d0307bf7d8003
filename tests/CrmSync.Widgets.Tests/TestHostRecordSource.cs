using System.Runtime.CompilerServices;

namespace CrmSync.Widgets.Tests;

/// <summary>Three existing host contacts, for "Import existing" and "Resync existing contacts".</summary>
public sealed class TestHostRecordSource : IHostRecordSource
{
    public async IAsyncEnumerable<CrmChange> GetExistingContactsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 1; i <= 3; i++)
        {
            await Task.Yield();
            yield return new CrmChange(CrmObjectType.Contact, $"existing-{i}", new Dictionary<string, string?>
            {
                [CrmFieldNames.Email] = $"existing-{i}@example.com",
                [CrmFieldNames.LastName] = $"Existing {i}",
            });
        }
    }
}
