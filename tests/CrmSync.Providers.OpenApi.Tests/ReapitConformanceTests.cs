using CrmSync.Sdk;
using CrmSync.TestUtils.Conformance;

namespace CrmSync.Providers.OpenApi.Tests;

/// <summary>The provider conformance suite against the Reapit simulator, through the OpenAPI provider and the Reapit profile.</summary>
public sealed class ReapitConformanceTests : CrmProviderConformanceTests
{
    /// <inheritdoc />
    protected override Task<CrmConformanceTarget> StartAsync()
    {
        var h = ReapitHarness.Create();
        return Task.FromResult(new CrmConformanceTarget
        {
            Provider = h.Provider,
            Simulator = h.Sim,
            Context = ReapitContractTests.Context(h),

            // The profile keeps the external id in the contact's metadata.
            Contact = (id, lastName) => CrmConformanceTarget.DefaultContact(id, lastName) with { ExternalIdField = "metadata.crmSyncExternalId" },

            // Reapit requires a surname on every contact ("'surname' is required.").
            InvalidContact = id => CrmConformanceTarget.DefaultContact(id, "Lovelace") with
            {
                ExternalIdField = "metadata.crmSyncExternalId",
                Fields = new Dictionary<string, string?> { [CrmFieldNames.FirstName] = "Ada", [CrmFieldNames.Email] = $"{id}@example.test" },
            },
            SeedContacts = n => Enumerable.Range(1, n).Select(i => h.Sim.AddContact(ReapitHarness.Customer, "Seeded", $"Contact {i}", $"seeded-{i}@example.test")).ToList(),

            // Reapit's published API documents no web page per contact to link to, so the profile has no link template.
            ExpectsRecordDeepLinks = false,
            Owner = h,
        });
    }
}
