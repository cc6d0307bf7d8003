using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Salesforce;

/// <summary>Holds the one <see cref="CrmRequestBudget"/> shared by the Salesforce HTTP handler and provider.</summary>
internal sealed class SalesforceRequestBudget(CrmRequestBudget budget)
{
    public CrmRequestBudget Budget { get; } = budget;
}
