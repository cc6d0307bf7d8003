using System.Runtime.CompilerServices;
using CrmSync.Sdk;

namespace CrmSync.Samples.Portal.Demo;

/// <summary>The demo host's existing contacts, offered by "Import N contacts" and "Resync existing contacts".</summary>
public sealed class DemoContacts : IHostRecordSource
{
    private static readonly string[] First = ["Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger", "Radia"];
    private static readonly string[] Last = ["Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman"];

    /// <summary>
    /// The host fields a demo contact carries, declared once so a field mapping naming any other field (a typo such as
    /// <c>{{nmae}}</c>) is refused when it is saved, not when it syncs.
    /// </summary>
    public static IReadOnlyList<string> SourceFields { get; } =
        [CrmFieldNames.FirstName, CrmFieldNames.LastName, CrmFieldNames.Name, CrmFieldNames.Email, CrmFieldNames.Company, CrmFieldNames.Phone, CrmFieldNames.JobTitle, "successEvaluation"];

    /// <summary>How many existing contacts the demo host has.</summary>
    public const int Count = 24;

    /// <summary>Builds the demo contact number <paramref name="i"/>.</summary>
    /// <param name="i">The index.</param>
    /// <returns>The contact as a change.</returns>
    public static CrmChange Contact(int i) => new(CrmObjectType.Contact, $"contact-{i:D4}", new Dictionary<string, string?>
    {
        [CrmFieldNames.FirstName] = First[i % First.Length],
        [CrmFieldNames.LastName] = Last[(i / First.Length + i) % Last.Length],
        [CrmFieldNames.Email] = $"{First[i % First.Length].ToLowerInvariant()}.{i}@example.com",
        [CrmFieldNames.Company] = "Demo Prospects Ltd",
        [CrmFieldNames.Phone] = $"+1 555 01{i % 100:D2}",
        ["successEvaluation"] = i % 3 == 0 ? "qualified" : "nurture",
    });

    /// <inheritdoc />
    public async IAsyncEnumerable<CrmChange> GetExistingContactsAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return Contact(i);
        }
    }
}
