namespace CrmSync.Providers.Simulation;

/// <summary>
/// The control surface every CRM simulator offers, so the sample portal, provider tests and benchmarks drive any CRM the
/// same way: faults (outage, revoked tokens, expired tokens, lost answers, latency), limits, what the simulator stores and
/// what the real CRM would have metered.
/// </summary>
public interface ICrmSimulator : IDisposable
{
    /// <summary>Gets the CrmSync provider name the simulator stands in for (for example <c>hubspot</c>).</summary>
    string Provider { get; }

    /// <summary>Gets the CRM's name (for example <c>HubSpot</c>).</summary>
    string DisplayName { get; }

    /// <summary>Gets the base address the simulator listens on.</summary>
    Uri BaseUrl { get; }

    /// <summary>Gets the object type that holds contacts in this CRM (for example <c>contacts</c>, <c>Contact</c>, <c>persons</c>).</summary>
    string ContactObjectType { get; }

    /// <summary>Starts or ends an outage: every endpoint answers 503.</summary>
    /// <param name="enabled"><see langword="true"/> to start it.</param>
    void SimulateOutage(bool enabled);

    /// <summary>Revokes every access and refresh token, as an uninstalled app or a revoked consent would.</summary>
    void RevokeAllTokens();

    /// <summary>Expires every access token now; refresh tokens stay valid.</summary>
    void ExpireAccessTokens();

    /// <summary>Sets the CRM's burst limit: requests per window, answered as the CRM answers them when exceeded.</summary>
    /// <param name="limit">The most requests per window.</param>
    /// <param name="window">The window; <see langword="null"/> keeps the CRM's own.</param>
    void SetBurstLimit(int limit, TimeSpan? window = null);

    /// <summary>Sets the CRM's daily quota in the CRM's own unit (<see cref="CrmSimulatorUsage.Unit"/>) and clears today's usage.</summary>
    /// <param name="limit">The quota; a small number uses it up at once.</param>
    void SetDailyLimit(long limit);

    /// <summary>Delays every answer.</summary>
    /// <param name="latency">The delay; <see cref="TimeSpan.Zero"/> for none.</param>
    void SetLatency(TimeSpan latency);

    /// <summary>Applies the next <paramref name="count"/> writes and then drops the connection instead of answering.</summary>
    /// <param name="count">How many answers to lose.</param>
    void LoseNextResponses(int count);

    /// <summary>Reads back the stored records of an object type, in the simulator's common shape.</summary>
    /// <param name="objectType">The CRM's object type or module name.</param>
    /// <returns>The records, oldest first.</returns>
    IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType);

    /// <summary>Reads what the real CRM would have metered since start or the last <see cref="Reset"/>.</summary>
    /// <returns>The usage.</returns>
    CrmSimulatorUsage GetUsage();

    /// <summary>Forgets every record, token, fault, limit and meter reading.</summary>
    void Reset();
}
