namespace CrmSync.Providers.Zoho.Simulator.Internal;

/// <summary>A fixed-window request counter driven by a <see cref="TimeProvider"/>. Not thread-safe; callers lock.</summary>
internal sealed class FixedWindowCounter
{
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;

    public int Count { get; private set; }

    public DateTimeOffset WindowEnd(TimeSpan window) => _windowStart + window;

    /// <summary>Rolls the window if it has elapsed and reports whether one more request fits.</summary>
    public bool HasRoom(DateTimeOffset now, int limit, TimeSpan window)
    {
        if (_windowStart == DateTimeOffset.MinValue || now >= _windowStart + window)
        {
            _windowStart = now;
            Count = 0;
        }

        return Count < limit;
    }

    public void Add() => Count++;
}
