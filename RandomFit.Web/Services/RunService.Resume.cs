using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Services;

public sealed partial class RunService
{
    public async Task<ResumeResult> CheckResumeAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await CheckResumeAsync(db, id, cancellationToken)).Result;
    }

    public async Task<ResumeResult> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (check, experimentId, fromEpoch, usePrevious) = await CheckResumeAsync(db, id, cancellationToken);
        if (check.Outcome != ResumeOutcome.Accepted)
        {
            return check;
        }

        // The epochs after the checkpoint are deleted in the same transaction that queues the run, and the status
        // condition keeps two resume requests from both succeeding.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var queued = await db.Runs
                .Where(r => r.Id == id && r.Status == RunStatus.Interrupted)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(r => r.Status, RunStatus.Queued)
                        .SetProperty(r => r.Error, (string?)null)
                        .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null),
                    cancellationToken);
            if (queued == 0)
            {
                var status = await db.Runs.Where(r => r.Id == id).Select(r => r.Status).FirstAsync(cancellationToken);
                return NotInterrupted(id, status);
            }

            await db.Epochs.Where(e => e.RunId == id && e.Epoch > fromEpoch).ExecuteDeleteAsync(cancellationToken);

            // The newest checkpoint is ahead of the stored epochs, so the run goes on from the one before it. Only
            // the request that queued the run moves the file, because a concurrent request would find it gone or
            // would move a checkpoint that the resumed run has written since.
            if (usePrevious)
            {
                checkpoints.RestorePrevious(id);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        feed.Publish(new ResetEvent(id, experimentId!, fromEpoch));
        feed.Publish(new StatusEvent(id, experimentId!, RunStatus.Queued, null));
        scheduler.Wake();
        return new ResumeResult(ResumeOutcome.Accepted);
    }

    /// <summary>
    /// Decides whether the run can resume now. It must be interrupted and have a checkpoint no later than its stored
    /// epochs: the newest one, else the one written before it. An accepted check carries the run's experiment, the
    /// checkpoint's epoch and whether it is the previous checkpoint.
    /// </summary>
    private async Task<(ResumeResult Result, string? ExperimentId, int FromEpoch, bool UsePrevious)> CheckResumeAsync(
        RandomFitDbContext db,
        string id,
        CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking()
            .Where(r => r.Id == id)
            .Select(r => new { r.ExperimentId, r.Status, r.Execution })
            .SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return (new ResumeResult(ResumeOutcome.NotFound), null, 0, false);
        }

        if (run.Status != RunStatus.Interrupted)
        {
            return (NotInterrupted(id, run.Status), run.ExperimentId, 0, false);
        }

        // A checkpoint ahead of the stored epochs (the process died before they were committed) would leave a gap in
        // the curve, so the previous checkpoint is used when the newest one is ahead.
        var storedEpochs = await db.Epochs.CountAsync(e => e.RunId == id, cancellationToken);
        var header = checkpoints.TryReadHeader(id);
        var newestUsable = header is not null && header.Epoch <= storedEpochs;
        var previous = newestUsable ? null : checkpoints.TryReadPreviousHeader(id);
        var usePrevious = previous is not null && previous.Epoch <= storedEpochs;
        if (usePrevious)
        {
            header = previous;
        }
        else if (header is not null && header.Epoch > storedEpochs)
        {
            var ahead = new ResumeResult(
                ResumeOutcome.NoCheckpoint,
                $"Run '{id}' has a checkpoint after epoch {header.Epoch}, but only {storedEpochs} of its epochs were "
                + "stored before it stopped, and no earlier checkpoint is usable; rerun it instead.");
            return (ahead, run.ExperimentId, 0, false);
        }

        if (header is null)
        {
            var noCheckpoint = new ResumeResult(ResumeOutcome.NoCheckpoint, $"Run '{id}' has no checkpoint; rerun it instead.");
            return (noCheckpoint, run.ExperimentId, 0, false);
        }

        // A stacked cohort and a separate run store different state, so neither can resume from the other's file.
        var stacked = run.Execution == ExecutionMode.Stacked;
        if (header.Stacked != stacked)
        {
            var mismatch = new ResumeResult(
                ResumeOutcome.NoCheckpoint,
                $"Run '{id}' uses {ExecutionName(stacked)} execution, but its checkpoint was written in "
                + $"{ExecutionName(header.Stacked)} execution; rerun it instead.");
            return (mismatch, run.ExperimentId, 0, false);
        }

        return (new ResumeResult(ResumeOutcome.Accepted), run.ExperimentId, header.Epoch, usePrevious);
    }

    private static string ExecutionName(bool stacked) => stacked ? "stacked" : "separate";

    private static ResumeResult NotInterrupted(string id, RunStatus status) => new(
        ResumeOutcome.NotInterrupted,
        $"Run '{id}' is {StatusNames.ToName(status)}; only an interrupted run can be resumed.");
}
