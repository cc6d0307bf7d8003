namespace CrmSync.Sdk.Http;

/// <summary>A slot in a <see cref="CrmRequestBudget"/>. Dispose it when the request has finished, so the slot is dated by the completion time.</summary>
public sealed class CrmRequestLease : IDisposable
{
    private readonly CrmRequestBudget _budget;
    private readonly CrmRequestBudget.ConnectionState _state;
    private readonly CrmRequestBudget.Slot _slot;
    private int _disposed;

    internal CrmRequestLease(CrmRequestBudget budget, CrmRequestBudget.ConnectionState state, CrmRequestBudget.Slot slot)
    {
        _budget = budget;
        _state = state;
        _slot = slot;
    }

    /// <summary>Marks the request as finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _budget.Complete(_state, _slot);
        }
    }
}
