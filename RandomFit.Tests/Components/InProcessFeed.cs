using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Components;

/// <summary>
/// A feed with the contract's semantics (handlers run on the publisher's thread, a throwing handler is skipped),
/// used until the application's feed class is available to these tests.
/// </summary>
public sealed class InProcessFeed : IRunEventsFeed
{
    private readonly Lock _gate = new();
    private readonly List<Action<RunEvent>> _handlers = [];

    public IDisposable Subscribe(Action<RunEvent> handler)
    {
        lock (_gate)
        {
            _handlers.Add(handler);
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _handlers.Remove(handler);
            }
        });
    }

    public void Publish(RunEvent runEvent)
    {
        Action<RunEvent>[] handlers;
        lock (_gate)
        {
            handlers = [.. _handlers];
        }

        foreach (var handler in handlers)
        {
            try
            {
                handler(runEvent);
            }
            catch (InvalidOperationException)
            {
                // Mirrors the contract: one failing subscriber never stops the others.
            }
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
