using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Zoho.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Zoho API credits.</content>
public sealed partial class ZohoSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("credits");

    /// <inheritdoc />
    public string Provider => "zoho";

    /// <inheritdoc />
    public string DisplayName => "Zoho CRM";

    /// <inheritdoc />
    public string ContactObjectType => "Contacts";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType)
            .Select(r => new CrmSimulatorRecord(r.Id, r.Module, CrmSimulatorRecord.TextOf(r.Fields), r.CreatedAt, r.ModifiedAt))
            .ToList();

    /// <inheritdoc />
    /// <remarks>Zoho meters API credits per rolling 24 hours: most calls cost 1, writes of many records and COQL queries with a large <c>LIMIT</c> cost more; OAuth calls and refused calls cost nothing.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_lock)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _creditsUsed);
        }
    }
}
