namespace CrmSync.Benchmarks.Scenarios;

/// <summary>Samples the managed heap every few milliseconds and keeps the peak.</summary>
internal sealed class PeakMemorySampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public PeakMemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try
                {
                    await Task.Delay(5, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public long Baseline { get; }

    public long Peak => Math.Max(Interlocked.Read(ref _peak), GC.GetTotalMemory(false));

    public void Sample()
    {
        var current = GC.GetTotalMemory(false);
        long seen;
        do
        {
            seen = Interlocked.Read(ref _peak);
            if (current <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _peak, current, seen) != seen);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
