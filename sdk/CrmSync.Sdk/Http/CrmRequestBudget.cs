using System.Collections.Concurrent;

namespace CrmSync.Sdk.Http;

/// <summary>
/// A proactive, per-connection request budget: a sliding window for the CRM's burst limit plus a daily quota.
/// <see cref="AcquireAsync"/> waits (on the <see cref="TimeProvider"/>) for room instead of letting a request
/// exceed the limit, and throws <see cref="CrmRateLimitedException"/> when the wait would be longer than
/// <see cref="CrmRequestBudgetOptions.MaxWait"/> or the daily quota is spent (then with
/// <see cref="CrmRateLimitedException.IsDailyLimit"/> and the time until the reset).
/// </summary>
/// <remarks>
/// <para>
/// A request holds its slot from the moment it starts until its <see cref="CrmRequestLease"/> is disposed, and the slot
/// is then dated by the completion time. The CRM therefore never counts a request later than the budget does, so a
/// budget configured with the CRM's exact limit stays under it whatever the latency.
/// </para>
/// <para>
/// Providers feed back what the CRM reports (<see cref="ReportLimits"/>, <see cref="ReportThrottled"/>,
/// <see cref="ReportDailyLimitReached"/>) so that other instances' traffic and a lower tier than configured are honoured.
/// One instance per provider is enough; state is kept per connection id. Thread-safe.
/// </para>
/// </remarks>
public sealed class CrmRequestBudget
{
    private static readonly TimeSpan RollingBucket = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, ConnectionState> _connections = new();
    private readonly TimeProvider _time;

    /// <summary>Initializes a budget.</summary>
    /// <param name="provider">The provider name put on the exceptions it throws (for example <c>hubspot</c>).</param>
    /// <param name="displayName">The CRM name users see, used in messages (for example <c>HubSpot</c>).</param>
    /// <param name="options">The CRM's limits.</param>
    /// <param name="timeProvider">The clock used for windows and waits. Defaults to <see cref="TimeProvider.System"/>.</param>
    public CrmRequestBudget(string provider, string displayName, CrmRequestBudgetOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentNullException.ThrowIfNull(options);
        Provider = provider;
        DisplayName = displayName;
        Options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the provider name.</summary>
    public string Provider { get; }

    /// <summary>Gets the CRM name users see.</summary>
    public string DisplayName { get; }

    /// <summary>Gets the configured limits.</summary>
    public CrmRequestBudgetOptions Options { get; }

    /// <summary>Waits until the connection may start one more request, then takes a slot.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A lease; dispose it when the response has arrived (or the request failed).</returns>
    /// <exception cref="CrmRateLimitedException">The daily quota is spent, or the wait would exceed <see cref="CrmRequestBudgetOptions.MaxWait"/>.</exception>
    public async Task<CrmRequestLease> AcquireAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            lock (state)
            {
                var now = _time.GetUtcNow();
                ThrowIfDailySpent(state, now);
                wait = BurstWait(state, now);
                if (wait <= TimeSpan.Zero)
                {
                    var slot = new Slot(now);
                    state.Slots.Add(slot);
                    CountDaily(state, now, 1);
                    return new CrmRequestLease(this, state, slot);
                }

                if (wait > Options.MaxWait)
                {
                    throw new CrmRateLimitedException(
                        $"{DisplayName} allows no more requests right now; the next one is possible in {wait.TotalSeconds:0.#} seconds.",
                        Provider,
                        wait,
                        isDailyLimit: false,
                        policyName: "BUDGET");
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Aligns the budget with limits the CRM reported in a response.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="snapshot">What the response said.</param>
    public void ReportLimits(Guid connectionId, CrmRateLimitSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            var now = _time.GetUtcNow();
            if (snapshot.BurstLimit is > 0 and var burst)
            {
                state.ServerBurstLimit = burst;
            }

            if (snapshot.BurstWindow is { } window && window > TimeSpan.Zero)
            {
                state.ServerBurstWindow = window;
            }

            if (snapshot.BurstRemaining is { } remaining && EffectiveBurstLimit(state) is { } limit)
            {
                // Requests the CRM counted but we did not (another instance, another app): hold their slots too.
                Prune(state, now);
                var missing = limit - Math.Max(0, remaining) - state.Slots.Count;
                for (var i = 0; i < missing; i++)
                {
                    state.Slots.Add(new Slot(now) { Completed = true });
                }
            }

            if (snapshot.DailyLimit is > 0 and var daily)
            {
                state.ServerDailyLimit = daily;
            }

            if (snapshot.DailyRemaining is { } dailyRemaining && EffectiveDailyLimit(state) is { } dailyLimit)
            {
                // The CRM's count is authoritative: it includes other instances and excludes calls it did not charge (a 401).
                RollDaily(state, now);
                SetDailyUsed(state, now, dailyLimit - Math.Max(0, dailyRemaining));
                state.DailySpentUntil = dailyRemaining <= 0 ? NextDailyReset(state, now) : default;
            }
        }
    }

    /// <summary>Records that the CRM throttled the connection: no request starts before <paramref name="wait"/> has passed.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="wait">How long the CRM asked to wait.</param>
    public void ReportThrottled(Guid connectionId, TimeSpan wait)
    {
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            var until = _time.GetUtcNow() + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            if (until > state.BlockedUntil)
            {
                state.BlockedUntil = until;
            }
        }
    }

    /// <summary>Records that the CRM refused a request because the daily quota is spent.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="resetsAt">When the quota resets, when the CRM says; otherwise the configured reset applies.</param>
    /// <returns>When the budget lets the connection make requests again.</returns>
    public DateTimeOffset ReportDailyLimitReached(Guid connectionId, DateTimeOffset? resetsAt = null)
    {
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            var now = _time.GetUtcNow();
            var until = resetsAt ?? NextDailyReset(state, now);
            state.DailySpentUntil = until;
            return until;
        }
    }

    /// <summary>
    /// Sets the time zone whose midnight resets one connection's <see cref="CrmDailyLimitWindow.CalendarDay"/> quota, when it
    /// differs per account (HubSpot resets a private app's daily limit at midnight in the account's time zone). Connections
    /// without one use <see cref="CrmRequestBudgetOptions.DailyResetTimeZone"/>.
    /// </summary>
    /// <param name="connectionId">The connection.</param>
    /// <param name="timeZone">The account's time zone.</param>
    public void SetDailyResetTimeZone(Guid connectionId, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            state.DailyResetTimeZone = timeZone;
        }
    }

    /// <summary>Returns when the daily quota next resets for a connection (midnight in the configured time zone, or when the oldest counted request leaves the rolling 24 hours).</summary>
    /// <param name="connectionId">The connection.</param>
    /// <returns>The reset time.</returns>
    public DateTimeOffset GetDailyReset(Guid connectionId)
    {
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            return NextDailyReset(state, _time.GetUtcNow());
        }
    }

    /// <summary>Returns how much of the budget a connection uses now.</summary>
    /// <param name="connectionId">The connection.</param>
    /// <returns>The usage.</returns>
    public CrmRequestBudgetUsage GetUsage(Guid connectionId)
    {
        var state = _connections.GetOrAdd(connectionId, _ => new ConnectionState());
        lock (state)
        {
            var now = _time.GetUtcNow();
            Prune(state, now);
            RollDaily(state, now);
            return new CrmRequestBudgetUsage(
                state.Slots.Count,
                EffectiveBurstLimit(state),
                DailyUsed(state, now),
                EffectiveDailyLimit(state),
                state.DailySpentUntil > now ? state.DailySpentUntil : null);
        }
    }

    /// <summary>Forgets everything about a connection (for example after it was reconnected to another account).</summary>
    /// <param name="connectionId">The connection.</param>
    public void Reset(Guid connectionId) => _connections.TryRemove(connectionId, out _);

    internal void Complete(ConnectionState state, Slot slot)
    {
        lock (state)
        {
            var now = _time.GetUtcNow();
            if (now > slot.Time)
            {
                slot.Time = now;
            }

            slot.Completed = true;
        }
    }

    private int? EffectiveBurstLimit(ConnectionState state) => Min(Options.BurstLimit, state.ServerBurstLimit);

    private int? EffectiveDailyLimit(ConnectionState state) => Min(Options.DailyLimit, state.ServerDailyLimit);

    private static int? Min(int? configured, int? reported) =>
        configured is { } a && reported is { } b ? Math.Min(a, b) : configured ?? reported;

    private TimeSpan Window(ConnectionState state) =>
        state.ServerBurstWindow is { } server && server > Options.BurstWindow ? server : Options.BurstWindow;

    private void Prune(ConnectionState state, DateTimeOffset now)
    {
        var window = Window(state);
        state.Slots.RemoveAll(s => s.Completed && s.Time + window <= now);
    }

    private TimeSpan BurstWait(ConnectionState state, DateTimeOffset now)
    {
        var blocked = state.BlockedUntil - now;
        if (blocked > TimeSpan.Zero)
        {
            return blocked;
        }

        if (EffectiveBurstLimit(state) is not { } limit)
        {
            return TimeSpan.Zero;
        }

        Prune(state, now);
        if (state.Slots.Count < limit)
        {
            return TimeSpan.Zero;
        }

        // Slots still in flight end no earlier than now, so they free no earlier than now + window.
        var window = Window(state);
        var frees = state.Slots.Select(s => (s.Completed ? s.Time : now) + window).Order().ToList();
        var wait = frees[state.Slots.Count - limit] - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1);
    }

    private void ThrowIfDailySpent(ConnectionState state, DateTimeOffset now)
    {
        RollDaily(state, now);
        if (state.DailySpentUntil <= now && EffectiveDailyLimit(state) is { } limit && DailyUsed(state, now) >= limit)
        {
            state.DailySpentUntil = NextDailyReset(state, now);
        }

        if (state.DailySpentUntil > now)
        {
            var wait = state.DailySpentUntil - now;
            throw new CrmRateLimitedException(
                $"{DisplayName} daily API limit is used up; syncing resumes when it resets.",
                Provider,
                wait,
                isDailyLimit: true,
                policyName: "DAILY")
            {
                ResetsAt = state.DailySpentUntil,
            };
        }
    }

    private void RollDaily(ConnectionState state, DateTimeOffset now)
    {
        if (Options.DailyWindow == CrmDailyLimitWindow.CalendarDay)
        {
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, state.DailyResetTimeZone ?? Options.DailyResetTimeZone).DateTime);
            if (state.Day != today)
            {
                state.Day = today;
                state.DayCount = 0;
            }
        }
        else
        {
            while (state.Buckets.Count > 0 && state.Buckets.Peek().Start + TimeSpan.FromDays(1) <= now)
            {
                var expired = state.Buckets.Dequeue();
                state.RollingCount -= expired.Count;
            }
        }
    }

    private int DailyUsed(ConnectionState state, DateTimeOffset now) =>
        Options.DailyWindow == CrmDailyLimitWindow.CalendarDay ? state.DayCount : state.RollingCount;

    private void CountDaily(ConnectionState state, DateTimeOffset now, int count)
    {
        if (Options.DailyWindow == CrmDailyLimitWindow.CalendarDay)
        {
            state.DayCount += count;
            return;
        }

        var start = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % RollingBucket.Ticks), TimeSpan.Zero);
        if (state.Buckets.Count > 0 && state.Buckets.Last().Start == start)
        {
            state.Buckets.Last().Count += count;
        }
        else
        {
            state.Buckets.Enqueue(new Bucket(start) { Count = count });
        }

        state.RollingCount += count;
    }

    private void SetDailyUsed(ConnectionState state, DateTimeOffset now, int used)
    {
        var current = DailyUsed(state, now);
        if (used > current)
        {
            CountDaily(state, now, used - current);
            return;
        }

        if (Options.DailyWindow == CrmDailyLimitWindow.CalendarDay)
        {
            state.DayCount = Math.Max(0, used);
            return;
        }

        // Take the surplus off the newest buckets, which are the ones the CRM may not have counted.
        var surplus = current - Math.Max(0, used);
        foreach (var bucket in state.Buckets.Reverse())
        {
            var take = Math.Min(surplus, bucket.Count);
            bucket.Count -= take;
            state.RollingCount -= take;
            surplus -= take;
            if (surplus == 0)
            {
                break;
            }
        }
    }

    private DateTimeOffset NextDailyReset(ConnectionState state, DateTimeOffset now)
    {
        if (Options.DailyWindow == CrmDailyLimitWindow.Rolling24Hours)
        {
            return state.Buckets.Count > 0 ? state.Buckets.Peek().Start + TimeSpan.FromDays(1) + RollingBucket : now + TimeSpan.FromDays(1);
        }

        var zone = state.DailyResetTimeZone ?? Options.DailyResetTimeZone;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = local.Date.AddDays(1);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    internal sealed class ConnectionState
    {
        public List<Slot> Slots { get; } = [];

        public int? ServerBurstLimit { get; set; }

        public TimeSpan? ServerBurstWindow { get; set; }

        public int? ServerDailyLimit { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public DateTimeOffset DailySpentUntil { get; set; }

        public TimeZoneInfo? DailyResetTimeZone { get; set; }

        public DateOnly Day { get; set; }

        public int DayCount { get; set; }

        public Queue<Bucket> Buckets { get; } = new();

        public int RollingCount { get; set; }
    }

    internal sealed class Slot(DateTimeOffset time)
    {
        public DateTimeOffset Time { get; set; } = time;

        public bool Completed { get; set; }
    }

    internal sealed class Bucket(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;

        public int Count { get; set; }
    }
}
