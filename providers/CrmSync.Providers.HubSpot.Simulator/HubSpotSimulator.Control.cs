using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.HubSpot.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of HubSpot API calls.</content>
public sealed partial class HubSpotSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("calls");

    /// <inheritdoc />
    public string Provider => "hubspot";

    /// <inheritdoc />
    public string DisplayName => "HubSpot";

    /// <inheritdoc />
    public string ContactObjectType => "contacts";

    /// <inheritdoc />
    void ICrmSimulator.SimulateOutage(bool enabled) => SimulateOutage(enabled);

    /// <inheritdoc />
    void ICrmSimulator.SetDailyLimit(long limit) => SetDailyLimit((int)Math.Clamp(limit, 0, int.MaxValue));

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType) =>
        GetRecords(objectType).Select(r => new CrmSimulatorRecord(r.Id, r.ObjectType, r.Properties, r.CreatedAt, r.UpdatedAt)).ToList();

    /// <inheritdoc />
    /// <remarks>HubSpot meters API calls: every <c>/crm/</c> call it accepts counts, searches included; OAuth calls and calls it refuses (401, 429) do not.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_gate)
        {
            return _meter.Snapshot(RequestCount, _dailyLimit, _dailyCount);
        }
    }
}
