using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Services;

/// <summary>Reads runs from the database, and cancels and resumes them through the scheduler.</summary>
public sealed partial class RunService(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    RunScheduler scheduler,
    IRunEventsFeed feed,
    CheckpointStore checkpoints,
    ILogger<RunService> logger) : IRunService
{
    public async Task<RunDetails?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var epochs = await db.Epochs.AsNoTracking()
            .Where(e => e.RunId == id)
            .OrderBy(e => e.Epoch)
            .ToListAsync(cancellationToken);
        return RunMapping.ToDetails(run, [.. epochs.Select(RunMapping.ToMetrics)]);
    }

    public async Task<IReadOnlyDictionary<string, RunDetails>> GetExperimentRunsAsync(
        string experimentId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking()
            .Where(r => r.ExperimentId == experimentId)
            .ToListAsync(cancellationToken);
        var epochs = await db.Epochs.AsNoTracking()
            .Where(e => db.Runs.Any(r => r.Id == e.RunId && r.ExperimentId == experimentId))
            .OrderBy(e => e.RunId).ThenBy(e => e.Epoch)
            .ToListAsync(cancellationToken);
        var epochsByRun = epochs.ToLookup(e => e.RunId);
        return runs.ToDictionary(
            run => run.Id,
            run => RunMapping.ToDetails(run, [.. epochsByRun[run.Id].Select(RunMapping.ToMetrics)]));
    }

    public async Task<Paged<RunItem>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.Runs.AsNoTracking();
        if (query.Experiment is not null)
        {
            runs = runs.Where(r => r.ExperimentId == query.Experiment);
        }

        if (query.Model is not null)
        {
            runs = runs.Where(r => r.Model == query.Model);
        }

        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        if (query.Seed is { } seed)
        {
            runs = runs.Where(r => r.Seed == seed);
        }

        if (query.Preset is not null)
        {
            runs = runs.Where(r => r.Experiment!.Preset == query.Preset);
        }

        var total = await runs.CountAsync(cancellationToken);
        var ordered = query.Descending ? runs.OrderByDescending(r => r.Sequence) : runs.OrderBy(r => r.Sequence);
        var page = await ordered
            .Skip(Paged<RunItem>.Offset(query.Page, query.PageSize))
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);

        var items = await RunMapping.ToItemsWithLastEpochAsync(db, page, cancellationToken);
        return new Paged<RunItem>(items, query.Page, query.PageSize, total);
    }

    public async Task<CancelOutcome> CancelAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs
            .Where(r => r.Id == id)
            .Select(r => new { r.ExperimentId, r.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return CancelOutcome.NotFound;
        }

        var experimentId = run.ExperimentId;
        if (await CancelWaitingAsync(db, id, experimentId, StatusNames.ToName(run.Status), cancellationToken))
        {
            return CancelOutcome.Accepted;
        }

        if (scheduler.TryCancel(id))
        {
            return CancelOutcome.Accepted;
        }

        // The scheduler rejects a run that is committing its final status on this node. Such a run reads running
        // until the commit, so the cancel waits for it instead of cancelling it below as a run no thread trains.
        var status = await db.Runs
            .Where(r => r.Id == id)
            .Select(r => (RunStatus?)r.Status)
            .SingleOrDefaultAsync(cancellationToken);
        if (status == RunStatus.Running)
        {
            await scheduler.WhenFinishingEndsAsync(id).WaitAsync(cancellationToken);

            // A run ends interrupted when its host stops, and an interrupted run can still be cancelled.
            if (await CancelWaitingAsync(db, id, experimentId, "interrupted", cancellationToken))
            {
                return CancelOutcome.Accepted;
            }
        }

        // A run still marked running that no thread trains has nothing left to stop.
        var orphaned = await db.Runs
            .Where(r => r.Id == id && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, RunStatus.Cancelled)
                    .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow),
                cancellationToken);
        if (orphaned > 0)
        {
            feed.Publish(new StatusEvent(id, experimentId, RunStatus.Cancelled, null));
            LogCancelledWithoutTraining(logger, id, "running");
            return CancelOutcome.Accepted;
        }

        return CancelOutcome.AlreadyFinal;
    }

    // Cancels a queued or interrupted run, which has no training thread, so it ends at once. The status condition
    // keeps this atomic with the scheduler's claim of a queued run. Returns whether the run was cancelled.
    private async Task<bool> CancelWaitingAsync(
        RandomFitDbContext db, string id, string experimentId, string previousStatus, CancellationToken cancellationToken)
    {
        var cancelled = await db.Runs
            .Where(r => r.Id == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Interrupted))
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, RunStatus.Cancelled)
                    .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow),
                cancellationToken);
        if (cancelled == 0)
        {
            return false;
        }

        // Only interrupted runs resume, so a cancelled run's checkpoint can never be used again.
        checkpoints.Delete(id);
        feed.Publish(new StatusEvent(id, experimentId, RunStatus.Cancelled, null));
        LogCancelledWithoutTraining(logger, id, previousStatus);
        return true;
    }

    // The scheduler logs the end of a run it trains, so this covers only runs that no training thread holds.
    [LoggerMessage(LogLevel.Information, "Run {RunId} ended cancelled while {PreviousStatus}")]
    private static partial void LogCancelledWithoutTraining(ILogger logger, string runId, string previousStatus);
}
