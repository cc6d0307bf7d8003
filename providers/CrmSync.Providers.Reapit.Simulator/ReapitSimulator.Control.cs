using CrmSync.Providers.Simulation;

namespace CrmSync.Providers.Reapit.Simulator;

/// <content>The shared simulator control surface (<see cref="ICrmSimulator"/>) and the meter of Reapit requests.</content>
public sealed partial class ReapitSimulator : ICrmSimulator
{
    private readonly CrmSimulatorMeter _meter = new("requests");

    /// <inheritdoc />
    public string Provider => "reapit";

    /// <inheritdoc />
    public string DisplayName => "Reapit";

    /// <inheritdoc />
    public string ContactObjectType => "contacts";

    /// <inheritdoc />
    /// <remarks>Reapit authorises an app per customer: revoking means every customer uninstalled the app (401 on every call).</remarks>
    public void RevokeAllTokens()
    {
        lock (_lock)
        {
            foreach (var customer in _installed.ToList())
            {
                UninstallApp(customer);
            }

            _tokens.Clear();
        }
    }

    /// <inheritdoc />
    public void ExpireAccessTokens() => ExpireTokens();

    /// <inheritdoc />
    /// <remarks>Reapit limits requests per second; any other window is refused rather than simulated loosely.</remarks>
    public void SetBurstLimit(int limit, TimeSpan? window = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (window is { } w && w != TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(window), w, "Reapit limits requests per second; the window is always one second.");
        }

        lock (_lock)
        {
            _perSecond = limit;
            _window.Clear();
        }
    }

    /// <summary>
    /// Returns the most API requests the per-second limit admits in a period of the given length, the first second
    /// included: the whole limit at the start, and the whole limit again each time a full second has passed (the window
    /// rolls). Benchmarks compare it with <see cref="GetUsage"/> to say how much of the limit a client used.
    /// </summary>
    /// <param name="period">The length of the period (for example a sync run).</param>
    /// <returns>The number of requests.</returns>
    public long GetBurstAllowance(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        lock (_lock)
        {
            return _perSecond * ((long)Math.Floor(period / TimeSpan.FromSeconds(1)) + 1);
        }
    }

    /// <inheritdoc />
    public void SetDailyLimit(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_lock)
        {
            _daily = (int)Math.Min(limit, int.MaxValue);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<CrmSimulatorRecord> GetStoredRecords(string objectType)
    {
        lock (_lock)
        {
            if (!_tables.TryGetValue(objectType, out var table))
            {
                throw new ArgumentException($"Unknown kind '{objectType}'. Use contacts, applicants, negotiators or journalEntries.", nameof(objectType));
            }

            return table.Values
                .OrderBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new CrmSimulatorRecord(r.Id, objectType, CrmSimulatorRecord.TextOf(r.Data), r.Created, r.Modified))
                .ToList();
        }
    }

    /// <inheritdoc />
    /// <remarks>Reapit counts requests: every API request that reached the limits' gate and was let through costs one; token calls and refused calls cost nothing.</remarks>
    public CrmSimulatorUsage GetUsage()
    {
        lock (_lock)
        {
            return _meter.Snapshot(_requests, _daily, _dayCount);
        }
    }
}
