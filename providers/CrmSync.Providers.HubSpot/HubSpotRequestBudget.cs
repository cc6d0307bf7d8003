using CrmSync.Sdk.Http;

namespace CrmSync.Providers.HubSpot;

/// <summary>Holds the one <see cref="CrmRequestBudget"/> shared by the HubSpot HTTP handler and provider.</summary>
internal sealed class HubSpotRequestBudget(CrmRequestBudget budget)
{
    public CrmRequestBudget Budget { get; } = budget;
}
