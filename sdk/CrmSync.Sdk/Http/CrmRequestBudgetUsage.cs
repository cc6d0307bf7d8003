namespace CrmSync.Sdk.Http;

/// <summary>How much of its budget a connection uses.</summary>
/// <param name="BurstUsed">Requests counted in the current burst window (including those in flight).</param>
/// <param name="BurstLimit">The burst limit in force, when there is one.</param>
/// <param name="DailyUsed">Requests counted against today's (or the rolling 24 hours') quota.</param>
/// <param name="DailyLimit">The daily quota in force, when known.</param>
/// <param name="DailySpentUntil">When the spent daily quota resets; <see langword="null"/> when it is not spent.</param>
public sealed record CrmRequestBudgetUsage(int BurstUsed, int? BurstLimit, int DailyUsed, int? DailyLimit, DateTimeOffset? DailySpentUntil);
