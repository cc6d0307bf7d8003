using CrmSync.Sdk;
using CrmSync.TestUtils.Conformance;

namespace CrmSync.Providers.Salesforce.Tests;

/// <summary>The provider conformance suite against the Salesforce simulator.</summary>
public sealed class SalesforceConformanceTests : CrmProviderConformanceTests
{
    /// <inheritdoc />
    protected override async Task<CrmConformanceTarget> StartAsync()
    {
        var h = SalesforceHarness.Create();
        var (context, _) = await SalesforceCrmProviderContractTests.ConnectAsync(h);
        return new CrmConformanceTarget
        {
            Provider = h.Provider,
            Simulator = h.Simulator,
            Context = context,

            // Contact.LastName is required (REQUIRED_FIELD_MISSING).
            InvalidContact = id => CrmConformanceTarget.DefaultContact(id, "Lovelace") with
            {
                Fields = new Dictionary<string, string?> { [CrmFieldNames.FirstName] = "Ada", [CrmFieldNames.Email] = $"{id}@example.test" },
            },
            SeedContacts = n => Enumerable.Range(1, n).Select(i => h.Simulator.SeedContact($"Seeded {i}", email: $"seeded-{i}@example.test")).ToList(),
            Owner = h,
        };
    }
}
