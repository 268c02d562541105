using Microsoft.AspNetCore.Components;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// A page that follows the run feed. Pushes arrive on the publisher's thread and reach the page through
/// <see cref="OnCircuit"/>, which hops onto the circuit's dispatcher. A push can still be queued when the tab closes
/// and the circuit drops. Such work ends without reporting a circuit failure, because no user sees the page any more.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    // Cancelled on disposal but not disposed itself, so work still queued can read the token.
    private readonly CancellationTokenSource _closing = new();

    protected LivePage() => Closing = _closing.Token;

    /// <summary>Token cancelled when the page is disposed. Pass it to every store query the page makes.</summary>
    protected CancellationToken Closing { get; }

    protected bool IsClosed => _closing.IsCancellationRequested;

    /// <summary>
    /// Runs <paramref name="work"/> on the circuit unless the page is closed by the time it starts. A failure while the
    /// page is open is reported as the page's own, and a failure after it closed is dropped.
    /// </summary>
    protected Task OnCircuit(Func<Task> work) => InvokeAsync(async () =>
    {
        if (IsClosed)
        {
            return;
        }

        try
        {
            await work();
        }
        catch (Exception exception)
        {
            if (!IsClosed)
            {
                await DispatchExceptionAsync(exception);
            }
        }
    });

    public void Dispose()
    {
        if (IsClosed)
        {
            return;
        }

        _closing.Cancel();
        OnClosed();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the page's subscriptions and timers.</summary>
    protected virtual void OnClosed()
    {
    }
}
