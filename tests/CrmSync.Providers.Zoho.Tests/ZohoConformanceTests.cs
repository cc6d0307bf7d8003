using CrmSync.Sdk;
using CrmSync.TestUtils.Conformance;

namespace CrmSync.Providers.Zoho.Tests;

/// <summary>The provider conformance suite against the Zoho CRM simulator.</summary>
public sealed class ZohoConformanceTests : CrmProviderConformanceTests
{
    /// <inheritdoc />
    protected override async Task<CrmConformanceTarget> StartAsync()
    {
        var h = ZohoHarness.Create();
        var context = await ZohoProviderContractTests.SignInAsync(h);
        return new CrmConformanceTarget
        {
            Provider = h.Provider,
            Simulator = h.Sim,
            Context = context,

            // Contacts need Last_Name (MANDATORY_NOT_FOUND).
            InvalidContact = id => CrmConformanceTarget.DefaultContact(id, "Lovelace") with
            {
                Fields = new Dictionary<string, string?> { [CrmFieldNames.FirstName] = "Ada", [CrmFieldNames.Email] = $"{id}@example.test" },
            },
            SeedContacts = n => Enumerable.Range(1, n).Select(i => h.Sim.SeedContact("Seeded", $"Contact {i}", $"seeded-{i}@example.test")).ToList(),
            Owner = h,
        };
    }
}
