using Microsoft.AspNetCore.Components;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Components;

/// <summary>
/// Pushes queued for a page that closes before they run. A dropped circuit logs no failure for a page without a viewer,
/// and a page that is still open reports its failures.
/// </summary>
public sealed class LivePageTests : ComponentTestBase
{
    [Fact]
    public async Task OnCircuit_FailsAfterClose_NotReported()
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
    public async Task OnCircuit_FailsWhileOpen_Reported()
    {
        var page = Render<ProbePage>();
        var failure = new TaskCompletionSource();
        var work = page.Instance.Queue(() => failure.Task);

        failure.SetException(new InvalidOperationException("The store failed."));
        await work.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var reported = await Renderer.UnhandledException.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("The store failed.", reported.Message);
    }

    [Fact]
    public async Task OnCircuit_QueuedAfterClose_Skipped()
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
