using CrmSync.Providers.Simulation;
using CrmSync.Sdk;

namespace CrmSync.TestUtils.Conformance;

/// <summary>A provider signed in to a fresh simulator, and what the conformance checks need to know about that CRM.</summary>
public sealed class CrmConformanceTarget : IAsyncDisposable
{
    /// <summary>Gets the provider under test.</summary>
    public required ICrmProvider Provider { get; init; }

    /// <summary>Gets the simulator it talks to.</summary>
    public required ICrmSimulator Simulator { get; init; }

    /// <summary>Gets a connection signed in to the simulator.</summary>
    public required CrmProviderContext Context { get; init; }

    /// <summary>Gets the fields of a valid contact for this CRM by external id and last name (CrmSync field names).</summary>
    public Func<string, string, CrmRecordWrite> Contact { get; init; } = DefaultContact;

    /// <summary>Gets a contact this CRM rejects per record, by its documented validation (a missing required field, a malformed email…).</summary>
    public required Func<string, CrmRecordWrite> InvalidContact { get; init; }

    /// <summary>Gets a seeder that stores contacts in the simulator directly and returns their CRM ids.</summary>
    public required Func<int, IReadOnlyList<string>> SeedContacts { get; init; }

    /// <summary>Gets whether the CRM has a web page per record, so the provider must link to it (true for the four built-in CRMs).</summary>
    public bool ExpectsRecordDeepLinks { get; init; } = true;

    /// <summary>Gets what to dispose with the target (the harness owning the host and the simulator).</summary>
    public IAsyncDisposable? Owner { get; init; }

    /// <summary>Reads the contacts the simulator stores.</summary>
    /// <returns>The records.</returns>
    public IReadOnlyList<CrmSimulatorRecord> StoredContacts() => Simulator.GetStoredRecords(Simulator.ContactObjectType);

    /// <summary>A contact with the CrmSync fields every CRM accepts.</summary>
    /// <param name="externalId">The host's record id.</param>
    /// <param name="lastName">The last name.</param>
    /// <returns>The write.</returns>
    public static CrmRecordWrite DefaultContact(string externalId, string lastName) => new()
    {
        ObjectType = CrmObjectType.Contact,
        ExternalId = externalId,
        ExternalIdField = FieldMapping.DefaultExternalIdField,
        Fields = new Dictionary<string, string?>
        {
            [CrmFieldNames.FirstName] = "Ada",
            [CrmFieldNames.LastName] = lastName,
            [CrmFieldNames.Email] = $"{externalId}@example.test",
            [CrmFieldNames.Company] = "Analytical Engines",
        },
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Owner is not null)
        {
            await Owner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
