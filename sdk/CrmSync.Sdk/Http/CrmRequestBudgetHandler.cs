namespace CrmSync.Sdk.Http;

/// <summary>
/// A <see cref="DelegatingHandler"/> that takes a <see cref="CrmRequestBudget"/> slot for every request carrying a
/// connection id (<see cref="CrmHttpRequestOptions.ConnectionId"/>) and feeds the CRM's limit headers back into the budget.
/// Requests without a connection id (OAuth token calls) pass straight through.
/// </summary>
/// <remarks>Add it inside the resilience handler (after <c>AddStandardResilienceHandler</c>) so that every attempt counts.</remarks>
public sealed class CrmRequestBudgetHandler : DelegatingHandler
{
    private readonly CrmRequestBudget _budget;
    private readonly Func<HttpResponseMessage, CrmRateLimitSnapshot?>? _readLimits;

    /// <summary>Initializes the handler.</summary>
    /// <param name="budget">The provider's budget.</param>
    /// <param name="readLimits">Reads the CRM's limit headers from a response; <see langword="null"/> when the CRM sends none.</param>
    public CrmRequestBudgetHandler(CrmRequestBudget budget, Func<HttpResponseMessage, CrmRateLimitSnapshot?>? readLimits = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _readLimits = readLimits;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!CrmHttpRequestOptions.TryGetConnectionId(request, out var connectionId))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var lease = await _budget.AcquireAsync(connectionId, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (_readLimits?.Invoke(response) is { } snapshot)
        {
            _budget.ReportLimits(connectionId, snapshot);
        }

        return response;
    }
}
