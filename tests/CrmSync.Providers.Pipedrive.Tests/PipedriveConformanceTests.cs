using System.Globalization;
using CrmSync.Sdk;
using CrmSync.TestUtils.Conformance;

namespace CrmSync.Providers.Pipedrive.Tests;

/// <summary>The provider conformance suite against the Pipedrive simulator.</summary>
public sealed class PipedriveConformanceTests : CrmProviderConformanceTests
{
    /// <inheritdoc />
    protected override Task<CrmConformanceTarget> StartAsync()
    {
        var h = PipedriveHarness.Create();
        return Task.FromResult(new CrmConformanceTarget
        {
            Provider = h.Provider,
            Simulator = h.Sim,
            Context = PipedriveProviderContractTests.Context(h),

            // A person needs a name ("Parameter 'name' is required").
            InvalidContact = id => CrmConformanceTarget.DefaultContact(id, "Lovelace") with
            {
                Fields = new Dictionary<string, string?> { [CrmFieldNames.Phone] = "+358401234567" },
            },
            SeedContacts = n => Enumerable.Range(1, n).Select(i => h.Sim.SeedPerson($"Seeded {i}", $"seeded-{i}@example.test").ToString(CultureInfo.InvariantCulture)).ToList(),
            Owner = h,
        });
    }
}
