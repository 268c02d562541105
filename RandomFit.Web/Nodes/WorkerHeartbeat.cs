using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Training.Devices;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Nodes;

/// <summary>
/// Keeps this training node's row in the <c>workers</c> table fresh, and stops training a run that another node
/// has ended meanwhile (cancelled through the API of a web node, or marked interrupted after a missed heartbeat).
/// </summary>
public sealed partial class WorkerHeartbeat(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    WorkerIdentity worker,
    RunScheduler scheduler,
    DeviceSelector devices,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    /// <summary>Inserts or refreshes this worker's row; runs before the scheduler claims its first run.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var row = await db.Workers.SingleOrDefaultAsync(w => w.Id == worker.Id, cancellationToken);
        if (row is null)
        {
            row = new WorkerEntity { Id = worker.Id, Device = devices.Name };
            db.Workers.Add(row);
        }

        row.Device = devices.Name;
        row.Capacity = scheduler.Concurrency;
        row.StartedAt = now;
        row.LastHeartbeatAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogRegistered(logger, worker.Id, row.Device, row.Capacity);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await BeatAsync(stoppingToken);
                    await StopRunsEndedElsewhereAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A missed beat is retried at the next tick; only a long outage lets other nodes interrupt.
                    LogBeatFailed(logger, exception, worker.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // The scheduler has stopped by now (it is registered after this service, so it stops first) and its
        // runs are committed, so the row can go: the /workers page then lists only live workers and crashed ones.
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Workers.Where(w => w.Id == worker.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown ran out of time; other nodes see the heartbeat stop and judge the worker stopped.
            LogRemovalTimedOut(logger, worker.Id);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogBeatFailed(logger, exception, worker.Id);
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var updated = await db.Workers
            .Where(w => w.Id == worker.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.LastHeartbeatAt, now), cancellationToken);
        if (updated == 0)
        {
            await RegisterAsync(cancellationToken);
        }
    }

    private async Task StopRunsEndedElsewhereAsync(CancellationToken cancellationToken)
    {
        var active = scheduler.ActiveRunIds;
        if (active.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ended = await db.Runs.AsNoTracking()
            .Where(r => active.Contains(r.Id) && (r.Status != RunStatus.Running || r.WorkerId != worker.Id))
            .Select(r => new { r.Id, r.Status })
            .ToListAsync(cancellationToken);
        foreach (var run in ended)
        {
            // The scheduler's final update only applies to a run still running, so the other node's status stays.
            // A run that started committing its own final status after the active ids were read rejects the cancel.
            if (scheduler.TryCancel(run.Id))
            {
                LogEndedElsewhere(logger, run.Id, StatusNames.ToName(run.Status));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} registered: device {Device}, capacity {Capacity}")]
    private static partial void LogRegistered(ILogger logger, string workerId, string device, int capacity);

    [LoggerMessage(LogLevel.Error, "Heartbeat of worker {WorkerId} failed; retrying at the next interval")]
    private static partial void LogBeatFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(LogLevel.Warning, "Shutdown timed out before worker {WorkerId} removed its row; other nodes judge it stopped")]
    private static partial void LogRemovalTimedOut(ILogger logger, string workerId);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} is {Status} in the database; stopping its training here")]
    private static partial void LogEndedElsewhere(ILogger logger, string runId, string status);
}
