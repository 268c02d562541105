using Microsoft.AspNetCore.Components;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Components;

/// <summary>
/// Pushes queued for a page that closes before they run: a dropped circuit must not log a failure for a page nobody
/// sees, while a page that is still open reports its failures.
/// </summary>
public sealed class LivePageTests : ComponentTestBase
{
    [Fact]
    public async Task OnCircuit_WorkFailsAfterPageClosed_ReportsNothing()
    {
        var page = Render<ProbePage>().Instance;
        var failure = new TaskCompletionSource();
        var work = page.Queue(() => failure.Task);

        await DisposeComponentsAsync();
        failure.SetException(new ObjectDisposedException("CancellationTokenSource"));
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(page.Closed);
        Assert.False(Renderer.UnhandledException.IsCompleted, "A closed page reported a failure.");
    }

    [Fact]
    public async Task OnCircuit_WorkFailsWhilePageOpen_ReportsTheFailure()
    {
        var page = Render<ProbePage>();
        var failure = new TaskCompletionSource();
        var work = page.Instance.Queue(() => failure.Task);

        failure.SetException(new InvalidOperationException("the store is gone"));
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var reported = await Renderer.UnhandledException.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("the store is gone", reported.Message);
    }

    [Fact]
    public async Task OnCircuit_QueuedAfterPageClosed_DoesNotRun()
    {
        var page = Render<ProbePage>().Instance;
        await DisposeComponentsAsync();
        var ran = false;

        await page.Queue(() =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.False(ran);
        Assert.True(page.Closing.IsCancellationRequested);
    }

    private sealed class ProbePage : LivePage
    {
        public new CancellationToken Closing => base.Closing;

        public bool Closed { get; private set; }

        public Task Queue(Func<Task> work) => OnCircuit(work);

        protected override void OnClosed() => Closed = true;
    }
}
