using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Nodes;

/// <summary>
/// Marks running runs interrupted when their worker has not sent a heartbeat within the timeout (a killed process,
/// a lost machine). Every node runs this; the status condition on the update lets only one node win per run.
/// </summary>
public sealed partial class StaleRunSweeper(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    IRunEventsFeed feed,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<StaleRunSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    /// <summary>Interrupts the runs of silent workers and returns how many this node changed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Compared here rather than in SQL because SQLite cannot compare DateTimeOffset values.
        // NOTE: this uses this node's clock against the worker's, so node clocks must agree to well within the timeout.
        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        var workers = await db.Workers.AsNoTracking()
            .Select(w => new { w.Id, w.LastHeartbeatAt })
            .ToListAsync(cancellationToken);
        var alive = workers.Where(w => w.LastHeartbeatAt >= cutoff).Select(w => w.Id).ToHashSet();

        var running = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.WorkerId != null)
            .Select(r => new { r.Id, r.ExperimentId, WorkerId = r.WorkerId! })
            .ToListAsync(cancellationToken);
        var interrupted = 0;
        foreach (var run in running.Where(r => !alive.Contains(r.WorkerId)))
        {
            var changed = await db.Runs
                .Where(r => r.Id == run.Id && r.Status == RunStatus.Running && r.WorkerId == run.WorkerId)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(r => r.Status, RunStatus.Interrupted)
                        .SetProperty(r => r.FinishedAt, time.GetUtcNow()),
                    cancellationToken);
            if (changed == 0)
            {
                continue;
            }

            interrupted++;
            LogInterrupted(logger, run.Id, run.WorkerId, options.Value.TimeoutSeconds);

            // A worker killed between committing an epoch and publishing it leaves that epoch stored but never
            // sent. Publishing the stored epochs again before the final status fills the gap, and receivers drop
            // the epochs they already have by number.
            var epochs = await db.Epochs.AsNoTracking()
                .Where(e => e.RunId == run.Id)
                .OrderBy(e => e.Epoch)
                .ToListAsync(cancellationToken);
            foreach (var epoch in epochs)
            {
                feed.Publish(new EpochEvent(run.Id, run.ExperimentId, RunMapping.ToMetrics(epoch)));
            }

            feed.Publish(new StatusEvent(run.Id, run.ExperimentId, RunStatus.Interrupted, null));
        }

        return interrupted;
    }

    [LoggerMessage(LogLevel.Warning,
        "Run {RunId} interrupted: worker {WorkerId} sent no heartbeat for {TimeoutSeconds} s")]
    private static partial void LogInterrupted(ILogger logger, string runId, string workerId, double timeoutSeconds);

    [LoggerMessage(LogLevel.Error, "Checking for stopped workers failed; retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
