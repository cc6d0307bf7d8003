namespace CrmSync.Providers.Reapit.Simulator;

/// <summary>The simulator's meters since start or the last reset.</summary>
/// <param name="Requests">API requests received (token calls excluded), whatever their outcome.</param>
/// <param name="Throttled">API requests answered 429.</param>
/// <param name="PeakRequestsPerSecond">The most requests accepted in any one-second window.</param>
/// <param name="PeakConcurrent">The most requests of one customer in flight at once.</param>
/// <param name="RequestsToday">Requests counted against today's daily limit.</param>
/// <param name="RequestsPerSecondLimit">The per-second limit in force.</param>
/// <param name="ConcurrentLimit">The per-customer concurrency limit in force.</param>
/// <param name="DailyLimit">The daily limit in force.</param>
public sealed record ReapitUsage(long Requests, long Throttled, int PeakRequestsPerSecond, int PeakConcurrent, long RequestsToday, int RequestsPerSecondLimit, int ConcurrentLimit, int DailyLimit)
{
    /// <summary>Gets the share of the per-second limit the busiest second reached (0–1).</summary>
    public double PeakShareOfLimit => RequestsPerSecondLimit == 0 ? 0 : (double)PeakRequestsPerSecond / RequestsPerSecondLimit;
}
