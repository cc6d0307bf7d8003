using CrmSync.Sdk.Http;

namespace CrmSync.Providers.Zoho.Internal;

/// <summary>Holds the Zoho provider's request budget in DI (a type of its own, so other providers' budgets never collide).</summary>
internal sealed class ZohoBudget(CrmRequestBudget budget)
{
    public CrmRequestBudget Budget { get; } = budget;
}
