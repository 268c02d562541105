namespace RandomFit.Web.Scheduling;

/// <summary>
/// The in-process feed. Handlers are kept in an immutable array swapped under a lock, so publishing never
/// takes the lock and a handler may subscribe or unsubscribe from inside a callback.
/// </summary>
public sealed partial class RunEventsFeed(ILogger<RunEventsFeed> logger) : IRunEventsFeed
{
    private readonly Lock _gate = new();
    private Action<RunEvent>[] _handlers = [];

    public IDisposable Subscribe(Action<RunEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    public void Publish(RunEvent runEvent)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(runEvent);
            }
            catch (Exception exception)
            {
                // A faulty subscriber must not stop training or starve the other subscribers.
                LogSubscriberFailed(logger, exception, runEvent.GetType().Name, runEvent.RunId);
            }
        }
    }

    private void Unsubscribe(Action<RunEvent> handler)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_handlers, handler);
            if (index >= 0)
            {
                _handlers = [.. _handlers[..index], .. _handlers[(index + 1)..]];
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "A run-events subscriber failed on {EventType} of run {RunId}")]
    private static partial void LogSubscriberFailed(
        ILogger logger, Exception exception, string eventType, string runId);

    private sealed class Subscription(RunEventsFeed feed, Action<RunEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(handler);
            }
        }
    }
}
