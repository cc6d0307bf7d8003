using CrmSync.Sdk;
using CrmSync.TestUtils.Conformance;

namespace CrmSync.Providers.HubSpot.Tests;

/// <summary>The provider conformance suite against the HubSpot simulator.</summary>
public sealed class HubSpotConformanceTests : CrmProviderConformanceTests
{
    /// <inheritdoc />
    protected override async Task<CrmConformanceTarget> StartAsync()
    {
        var h = HubSpotHarness.Create();
        var (context, _) = await HubSpotCrmProviderContractTests.ConnectAsync(h);
        return new CrmConformanceTarget
        {
            Provider = h.Provider,
            Simulator = h.Simulator,
            Context = context,

            // HubSpot validates the email format of contacts (INVALID_EMAIL).
            InvalidContact = id => CrmConformanceTarget.DefaultContact(id, "Lovelace") with
            {
                Fields = new Dictionary<string, string?> { [CrmFieldNames.LastName] = "Lovelace", [CrmFieldNames.Email] = "not-an-email" },
            },
            SeedContacts = n => Enumerable.Range(1, n).Select(i => h.Simulator.SeedContact($"seeded-{i}@example.test", lastName: $"Seeded {i}")).ToList(),
            Owner = h,
        };
    }
}
