using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Salesforce.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Salesforce API requests.</content>
public sealed partial class SalesforceSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("API requests");

    /// <inheritdoc />
    public string Provider => "salesforce";

    /// <inheritdoc />
    public string DisplayName => "Salesforce";

    /// <inheritdoc />
    public string ContactObjectType => "Contact";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    void ICrmSimulator.SetDailyLimit(long limit) => SetDailyLimit((int)Math.Clamp(limit, 0, int.MaxValue));

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType).Select(r => new CrmSimulatorRecord(r.Id, r.ObjectType, r.Properties, r.CreatedAt, r.UpdatedAt)).ToList();

    /// <inheritdoc />
    /// <remarks>Salesforce meters API requests: every REST call under <c>/services/data/vNN.N/</c> it accepts counts toward <c>DailyApiRequests</c>; OAuth calls and refused calls do not.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_gate)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _dailyCalls.Count);
        }
    }
}
