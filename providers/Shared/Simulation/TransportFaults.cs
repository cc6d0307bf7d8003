using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CrmSync.Simulation;

/// <summary>
/// ASP.NET Core middleware placed in front of the WireMock middleware. It counts requests, adds latency,
/// hangs requests during a "timeout" outage and drops the connection of "lost" responses after the
/// request has been fully processed (so the write is applied but the client never sees the answer).
/// </summary>
internal sealed class TransportFaults : IDisposable
{
    private readonly object _sync = new();
    private readonly CancellationTokenSource _disposed = new();
    private TaskCompletionSource _outageEnded = NewSignal();
    private bool _timeoutOutage;
    private int _responsesToLose;
    private long _requestCount;
    private long _latencyTicks;

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    public void Register(object applicationBuilder)
    {
        var app = (IApplicationBuilder)applicationBuilder;
        app.Use(InvokeAsync);
    }

    public void SetTimeoutOutage(bool enabled)
    {
        lock (_sync)
        {
            if (enabled == _timeoutOutage)
            {
                return;
            }

            _timeoutOutage = enabled;
            if (!enabled)
            {
                _outageEnded.TrySetResult();
                _outageEnded = NewSignal();
            }
        }
    }

    public void LoseNextResponses(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Exchange(ref _responsesToLose, count);
    }

    public void Reset()
    {
        SetTimeoutOutage(false);
        Interlocked.Exchange(ref _responsesToLose, 0);
        Interlocked.Exchange(ref _requestCount, 0);
        Latency = TimeSpan.Zero;
    }

    public void Dispose()
    {
        SetTimeoutOutage(false);
        _disposed.Cancel();
        _disposed.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool TryTakeLostResponse()
    {
        while (true)
        {
            var current = Volatile.Read(ref _responsesToLose);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _responsesToLose, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    private async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        Interlocked.Increment(ref _requestCount);

        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Task? outage = null;
        lock (_sync)
        {
            if (_timeoutOutage)
            {
                outage = _outageEnded.Task;
            }
        }

        if (outage is not null)
        {
            // Never answer: the client's own timeout fires. Drop the connection when the outage ends.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _disposed.Token);
            try
            {
                await outage.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client gave up or the simulator is shutting down.
            }

            context.Abort();
            return;
        }

        if (!TryTakeLostResponse())
        {
            await next().ConfigureAwait(false);
            return;
        }

        // Process the request for real, but buffer the answer and then drop the connection.
        var originalBody = context.Features.Get<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer));
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            context.Features.Set(originalBody);
        }

        context.Abort();
    }
}
