using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RandomFit.Web.Apis;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

/// <summary>
/// The heartbeat's check for runs ended elsewhere around a run's own end. The scheduler publishes a run's final
/// status after committing it and before it releases the run, so a feed subscriber that blocks on that event
/// holds the scheduler in that window while the heartbeat goes on.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class WorkerHeartbeatTests
{
    private const string WorkerUpdate = "UPDATE \"workers\"";
    private const string FinalStatusTag = "final status committed";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["RandomFit:Worker:HeartbeatSeconds"] = "0.1",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
    };

    [Fact]
    public async Task Heartbeat_RunFinishing_LogsNoWarning()
    {
        var beats = new CommandCounter(WorkerUpdate);
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory(settings: Settings) { Log = log, LogProviders = [beats] };
        var scheduler = host.GetService<RunScheduler>();
        var heldAtFinish = new TaskCompletionSource<(bool Listed, bool BeatsPassed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            // Two beats: the second starts after the first one's check for runs ended elsewhere has finished.
            if (runEvent is StatusEvent { Status: RunStatus.Completed } completed && !heldAtFinish.Task.IsCompleted)
            {
                var listed = scheduler.ActiveRunIds.Contains(completed.RunId);
                beats.Reset();
                var beatsPassed = beats.Wait(2, WaitLimit);
                heldAtFinish.TrySetResult((listed, beatsPassed));
            }
        });

        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2));
        var (listed, beatsPassed) = await heldAtFinish.Task.WaitAsync(WaitLimit * 6, TestContext.Current.CancellationToken);
        var run = await host.WaitForFinalAsync(created.Runs[0].Id);

        Assert.True(beatsPassed);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Empty(HeartbeatWarnings(log));
        Assert.False(listed);
    }

    [Fact]
    public async Task Heartbeat_CheckSpanningFinish_LogsNoWarning()
    {
        // The gate pauses the heartbeat's check after it has listed the training run, and releases it once the run's
        // final status is committed, so the check reads a completed run that it listed while it was training.
        var gate = new CommandGate(["FROM \"runs\"", "@active1"], FinalStatusTag, releaseAfter: 1);
        var beats = new CommandCounter(WorkerUpdate);
        var log = new RecordingLog();
        await using var host = new RandomFitHostFactory(settings: Settings) { Log = log, LogProviders = [gate, beats] };
        var dbFactory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        var paused = false;
        var heldAtFinish = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.GetService<IRunEventsFeed>().Subscribe(runEvent =>
        {
            if (runEvent is StatusEvent { Status: RunStatus.Running })
            {
                paused = SpinWait.SpinUntil(() => gate.Paused, WaitLimit);
            }
            else if (runEvent is StatusEvent { Status: RunStatus.Completed } && !heldAtFinish.Task.IsCompleted)
            {
                // The tagged query releases the paused check. The next beat starts after that check has finished.
                beats.Reset();
                using var db = dbFactory.CreateDbContext();
                _ = db.Runs.TagWith(FinalStatusTag).Count();
                heldAtFinish.TrySetResult(beats.Wait(1, WaitLimit));
            }
        });

        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2));
        var beatPassed = await heldAtFinish.Task.WaitAsync(WaitLimit * 6, TestContext.Current.CancellationToken);
        var run = await host.WaitForFinalAsync(created.Runs[0].Id);

        Assert.True(paused);
        Assert.True(beatPassed);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Empty(HeartbeatWarnings(log));
    }

    private static List<string> HeartbeatWarnings(RecordingLog log) =>
    [
        .. log.Entries
            .Where(entry => entry.Category == typeof(WorkerHeartbeat).FullName && entry.Level >= LogLevel.Warning)
            .Select(entry => entry.Message),
    ];
}
