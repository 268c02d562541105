using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;

namespace RandomFit.Web.Scheduling;

/// <summary>
/// Trains queued runs in creation order, a bounded number of jobs at a time, each on its own thread. A job is
/// one separate run, or the queued runs of a stacked cohort trained as one model. Runs belong to this service,
/// never to a page or a connection, so closing a browser tab never stops one.
/// </summary>
public sealed partial class RunScheduler(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    IRunEventsFeed feed,
    Trainer trainer,
    DeviceSelector devices,
    RunQueue queue,
    WorkerIdentity worker,
    CheckpointStore checkpoints,
    IOptions<SchedulerOptions> options,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> workerOptions,
    ILogger<RunScheduler> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ActiveRun> _active = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _jobsStarted;
    private int _runningJobs;

    /// <summary>
    /// Training jobs started since this process began: one per separate run and one per stacked cohort
    /// that left the queue.
    /// </summary>
    public long JobsStarted => Interlocked.Read(ref _jobsStarted);

    /// <summary>Runs trained at once: the configured value, else 1 on CPU and 4 on CUDA.</summary>
    public int Concurrency => options.Value.Concurrency ?? (devices.Name == "cuda" ? 4 : 1);

    /// <summary>
    /// Ids of the runs claimed for this worker in the database and still training. Runs a stacked cohort job has
    /// registered but not yet claimed are left out, because they are still queued in the database and must not be
    /// taken for runs that another node has ended. Runs whose final status is being committed are left out too.
    /// </summary>
    public IReadOnlyCollection<string> ActiveRunIds =>
        [.. _active.Values.Where(run => run.Claimed && !run.Finishing).Select(run => run.RunId)];

    /// <summary>Asks the scheduler to look at the queue again, after runs were added or finished.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Cancels a run this scheduler has taken. Returns false when it has none with this id, or when the run is
    /// committing its final status, which can then no longer become cancelled.
    /// </summary>
    public bool TryCancel(string runId) =>
        _active.TryGetValue(runId, out var run) && run.TryRequestCancel();

    /// <summary>
    /// Completes once a run that this scheduler is finishing has committed its final status and been released.
    /// Completes at once for a run that is not finishing here, such as one still training.
    /// </summary>
    public Task WhenFinishingEndsAsync(string runId) =>
        _active.TryGetValue(runId, out var run) && run.Finishing ? run.Finished : Task.CompletedTask;

    /// <summary>Completes once the run is no longer being trained here.</summary>
    public Task WhenFinishedAsync(string runId) =>
        _active.TryGetValue(runId, out var run) ? run.Finished : Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Training stops within an epoch once the stopping token fires; wait so each run commits its status.
        try
        {
            await Task.WhenAll(_active.Values.Select(run => run.Finished)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The next start marks these runs interrupted, with every committed epoch kept.
            LogShutdownTimedOut(logger, string.Join(", ", _active.Keys));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host stops hosted services one after another once ApplicationStopping fires, so runs would go on
        // training while the services stopped before this one take their time. Runs stop as shutdown begins.
        stoppingToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping).Token;

        var concurrency = Concurrency;
        LogStarted(logger, concurrency, devices.Name);

        try
        {
            // Runs added on another node never wake this one, so a shared queue is also read every poll interval.
            var poll = await queue.IsSharedAsync(stoppingToken)
                ? TimeSpan.FromSeconds(workerOptions.Value.PollSeconds)
                : Timeout.InfiniteTimeSpan;
            while (!stoppingToken.IsCancellationRequested)
            {
                await StartQueuedRunsAsync(concurrency, stoppingToken);
                await WaitForWakeAsync(poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    private async Task WaitForWakeAsync(TimeSpan poll, CancellationToken stoppingToken)
    {
        if (poll == Timeout.InfiniteTimeSpan)
        {
            await _wake.Reader.ReadAsync(stoppingToken);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(poll);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The poll interval passed without a wake-up.
        }
    }

    private bool StartSeparate(string runId, CancellationToken stoppingToken)
    {
        // The queue has already claimed a separate run in the database.
        var run = new ActiveRun(runId, stoppingToken);
        run.MarkClaimed();
        if (!_active.TryAdd(runId, run))
        {
            run.Dispose();
            return false;
        }

        Interlocked.Increment(ref _runningJobs);
        _ = Task.Run(() => RunJobAsync(run), CancellationToken.None);
        return true;
    }

    private async Task RunJobAsync(ActiveRun run)
    {
        try
        {
            await TrainAsync(run);
        }
        catch (Exception exception)
        {
            LogJobFailed(logger, exception, run.RunId);
            await FailAfterErrorAsync(run, exception);
        }
        finally
        {
            _active.TryRemove(run.RunId, out _);
            run.MarkFinished();
            run.Dispose();
            Interlocked.Decrement(ref _runningJobs);
            Wake();
        }
    }

    private async Task TrainAsync(ActiveRun run)
    {
        var claim = await ClaimAsync(run.RunId);
        if (claim is null)
        {
            return;
        }

        Interlocked.Increment(ref _jobsStarted);
        feed.Publish(new StatusEvent(run.RunId, claim.ExperimentId, RunStatus.Running, null));
        LogRunClaimed(logger, run.RunId, claim.ExperimentId, claim.Request, claim.Device);

        var writer = new EpochWriter(dbFactory, feed, run, claim.ExperimentId, logger);
        Exception? failure = null;
        try
        {
            await RunOnOwnThreadAsync(run.RunId, () => trainer.Train(claim.Request, writer, run.Token));
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        await writer.CompleteAsync();
        run.MarkFinishing();
        var (status, error) = Outcome(run, failure, writer.Failure);
        await FinishAsync(run.RunId, claim.ExperimentId, status, error);

        // Only an interrupted run can be resumed, so every other final status makes its checkpoint useless.
        if (status != RunStatus.Interrupted)
        {
            checkpoints.Delete(run.RunId);
        }

        var last = writer.LastEpoch;
        LogRunFinished(logger, run.RunId, StatusNames.ToName(status), last?.Epoch ?? 0, last?.TrainAccuracy, error);
    }

    private (RunStatus Status, string? Error) Outcome(ActiveRun run, Exception? failure, Exception? writerFailure)
    {
        if (writerFailure is not null)
        {
            return (RunStatus.Failed, $"Storing the run's epochs failed: {writerFailure.Message}");
        }

        switch (failure)
        {
            case null:
                // A cancel request that returned 202 promises a cancelled run, even when the last epoch finished
                // meanwhile. Requests made after MarkFinishing are rejected, so they cannot change this outcome.
                return run.CancelRequested ? (RunStatus.Cancelled, null) : (RunStatus.Completed, null);
            case OperationCanceledException when run.CancelRequested:
                return (RunStatus.Cancelled, null);
            case OperationCanceledException when run.HostStopping:
                return (RunStatus.Interrupted, null);
            case TrainingFailedException:
                return (RunStatus.Failed, failure.Message);
            default:
                LogTrainingFailed(logger, failure, run.RunId);
                return (RunStatus.Failed, ShownMessage(failure));
        }
    }

    /// <summary>
    /// Returns the message that a failed run shows. libtorch appends "Exception raised from" and its native stack to
    /// its messages, which the log keeps in full and the run's error leaves out.
    /// </summary>
    internal static string ShownMessage(Exception failure)
    {
        var message = failure.Message;
        var stack = message.IndexOf("Exception raised from ", StringComparison.Ordinal);
        return stack > 0 ? message[..stack].TrimEnd() : message;
    }

    private async Task<Claim?> ClaimAsync(string runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var run = await db.Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .Select(r => new { r.ExperimentId, r.Model, r.Condition, r.Seed, r.Experiment!.SpecJson })
            .SingleOrDefaultAsync();
        if (run is null)
        {
            return null;
        }

        var spec = JsonSerializer.Deserialize<ExperimentSpec>(run.SpecJson, SpecJson.Options)!;
        var device = devices.Name;
        var parameterCount = CountParameters(spec, run.Model, run.Condition);

        // The queue has already claimed the run for this worker; the condition skips a run cancelled since.
        var claimed = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running && r.WorkerId == worker.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ParameterCount, parameterCount));
        if (claimed == 0)
        {
            return null;
        }

        var request = new RunRequest(spec, run.Model, run.Condition, run.Seed)
        {
            Checkpoint = checkpoints.PlanFor(runId),
            RunId = runId,
        };
        return new Claim(run.ExperimentId, device, request);
    }

    private long? CountParameters(ExperimentSpec spec, string model, string? condition)
    {
        var modelSpec = spec.Models?.FirstOrDefault(m => m.Name == model);
        if (modelSpec is null || spec.Data is null)
        {
            return null;
        }

        try
        {
            return Training.Models.ModelBuilder.CountParameters(modelSpec, SpecExpansion.DataFor(spec.Data, condition));
        }
        catch (Exception exception)
        {
            // The trainer reports the count once it has built the model; the estimate is only a head start.
            LogCountFailed(logger, exception, model);
            return null;
        }
    }

    private async Task FinishAsync(string runId, string experimentId, RunStatus status, string? error)
    {
        await using var db = await dbFactory.CreateDbContextAsync();

        // Another node may have ended the run meanwhile, by a cancel through its API or an interrupt after a
        // missed heartbeat. That node's status stays, and that node has published it.
        var finished = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.Error, error)
                .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
        if (finished > 0)
        {
            feed.Publish(new StatusEvent(runId, experimentId, status, error));
        }
    }

    private async Task FailAfterErrorAsync(ActiveRun run, Exception exception)
    {
        // A run left queued would be taken again at once and fail the same way, so it fails for good.
        var runId = run.RunId;
        run.MarkFinishing();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var experimentId = await db.Runs
                .Where(r => r.Id == runId)
                .Select(r => r.ExperimentId)
                .SingleOrDefaultAsync();
            var failed = await db.Runs
                .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.Status, RunStatus.Failed)
                    .SetProperty(r => r.Error, exception.Message)
                    .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
            if (failed > 0 && experimentId is not null)
            {
                feed.Publish(new StatusEvent(runId, experimentId, RunStatus.Failed, exception.Message));
            }
        }
        catch (Exception storeException)
        {
            LogJobFailed(logger, storeException, runId);
        }
    }

    private static Task RunOnOwnThreadAsync(string runId, Action train)
    {
        // Training is synchronous and holds thread-local dispose scopes, so it gets a dedicated thread
        // instead of a thread-pool worker that it would block for minutes.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                train();
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"Run {runId}",
        };
        thread.Start();
        return done.Task;
    }

    private sealed record Claim(string ExperimentId, string Device, RunRequest Request);

    [LoggerMessage(LogLevel.Warning, "Shutdown timed out before runs {RunIds} committed their status; they are marked interrupted at the next start")]
    private static partial void LogShutdownTimedOut(ILogger logger, string runIds);

    [LoggerMessage(LogLevel.Information, "Run scheduler started: concurrency {Concurrency} on {Device}")]
    private static partial void LogStarted(ILogger logger, int concurrency, string device);

    // The trainer logs the start of training with the parameter count once the model is built. This line names the
    // experiment, because runs of several experiments can share the queue.
    [LoggerMessage(LogLevel.Information,
        "Run {RunId} of experiment {ExperimentId} claimed: model {Model}, condition {Condition}, seed {Seed}, device {Device}")]
    private static partial void LogRunClaimed(
        ILogger logger, string runId, string experimentId, string model, string condition, int seed, string device);

    private static void LogRunClaimed(ILogger logger, string runId, string experimentId, RunRequest request, string device) =>
        LogRunClaimed(logger, runId, experimentId, request.Model, request.Condition ?? "none", request.Seed, device);

    // Runs that end without an error get a line without an error field.
    private static void LogRunFinished(
        ILogger logger, string runId, string status, int epochs, double? trainAccuracy, string? error)
    {
        if (error is null)
        {
            LogRunEnded(logger, runId, status, epochs, trainAccuracy);
        }
        else
        {
            LogRunEndedWithError(logger, runId, status, epochs, trainAccuracy, error);
        }
    }

    [LoggerMessage(LogLevel.Information,
        "Run {RunId} ended {Status}, epochs {Epochs}, final train accuracy {TrainAccuracy:F4}")]
    private static partial void LogRunEnded(
        ILogger logger, string runId, string status, int epochs, double? trainAccuracy);

    [LoggerMessage(LogLevel.Information,
        "Run {RunId} ended {Status}, epochs {Epochs}, final train accuracy {TrainAccuracy:F4}: {Error}")]
    private static partial void LogRunEndedWithError(
        ILogger logger, string runId, string status, int epochs, double? trainAccuracy, string error);

    [LoggerMessage(LogLevel.Error, "Reading the run queue failed; retrying when the next run is added or finishes")]
    private static partial void LogQueueReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Error, "Run {RunId} failed outside training")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(LogLevel.Error, "Run {RunId} failed during training")]
    private static partial void LogTrainingFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(LogLevel.Warning, "Counting the parameters of model {Model} failed before training")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, string model);
}
