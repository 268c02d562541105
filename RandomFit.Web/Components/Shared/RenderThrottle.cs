namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Coalesces render requests so a page redraws at most once per interval. A run can report hundreds of epochs a
/// second, and redrawing charts for each would swamp the circuit. The first request after a quiet interval renders
/// at once, and later ones within the interval collapse into one render at its end.
/// </summary>
public sealed class RenderThrottle(TimeProvider timeProvider, TimeSpan interval, Func<Task> renderAsync) : IDisposable
{
    /// <summary>At most ten renders a second.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private long? _lastRender;
    private ITimer? _pending;
    private bool _disposed;

    /// <summary>Records a render that happened for another reason, so the next request waits from it.</summary>
    public void MarkRendered()
    {
        lock (_lock)
        {
            _lastRender = timeProvider.GetTimestamp();
        }
    }

    /// <summary>Renders now, or schedules one render at the end of the current interval.</summary>
    public Task RequestAsync()
    {
        lock (_lock)
        {
            if (_disposed || _pending is not null)
            {
                return Task.CompletedTask;
            }

            var now = timeProvider.GetTimestamp();
            var sinceLast = _lastRender is { } last ? timeProvider.GetElapsedTime(last, now) : interval;
            if (sinceLast < interval)
            {
                _pending = timeProvider.CreateTimer(_ => _ = RenderPendingAsync(), null, interval - sinceLast, Timeout.InfiniteTimeSpan);
                return Task.CompletedTask;
            }

            _lastRender = now;
        }

        return renderAsync();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _pending?.Dispose();
            _pending = null;
        }
    }

    private Task RenderPendingAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            _pending?.Dispose();
            _pending = null;
            _lastRender = timeProvider.GetTimestamp();
        }

        return renderAsync();
    }
}
