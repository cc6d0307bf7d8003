namespace CrmSync.Providers.Simulation;

/// <summary>
/// Counts the units a simulator's CRM charges for the requests it meters. Thread-safe; simulators charge from their request
/// handlers and report through <see cref="ICrmSimulator.GetUsage"/>.
/// </summary>
public sealed class CrmSimulatorMeter
{
    private long _used;

    /// <summary>Initializes a meter.</summary>
    /// <param name="unit">The unit the CRM meters (for example <c>calls</c>, <c>API requests</c>, <c>tokens</c>, <c>credits</c>).</param>
    public CrmSimulatorMeter(string unit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        Unit = unit;
    }

    /// <summary>Gets the unit.</summary>
    public string Unit { get; }

    /// <summary>Gets the units charged.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Charges units for a request the CRM meters.</summary>
    /// <param name="units">The units; 0 for a request the CRM does not meter.</param>
    public void Charge(long units)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        Interlocked.Add(ref _used, units);
    }

    /// <summary>Clears the count.</summary>
    public void Reset() => Interlocked.Exchange(ref _used, 0);

    /// <summary>Reads the usage.</summary>
    /// <param name="requests">The HTTP requests the simulator received.</param>
    /// <param name="dailyLimit">The daily quota, when one is set.</param>
    /// <param name="dailyUsed">The units charged in the current daily window.</param>
    /// <returns>The usage.</returns>
    public CrmSimulatorUsage Snapshot(long requests, long? dailyLimit, long dailyUsed) => new(Unit, requests, Used, dailyLimit, dailyUsed);
}
