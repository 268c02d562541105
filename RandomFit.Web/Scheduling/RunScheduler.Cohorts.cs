using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Scheduling;

// Stacked execution: the queued runs of one cohort (same experiment, model and condition, different seeds)
// train as one stacked model in one job on one slot, while each run keeps its own epochs and status. Resumed runs
// form cohorts of the runs whose checkpoints are from the same epoch.
public sealed partial class RunScheduler
{
    private async Task<bool> StartCohortAsync(QueuedRun next, CancellationToken stoppingToken)
    {
        List<string> cohortIds;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            cohortIds = await db.Runs
                .Where(r => r.Status == RunStatus.Queued
                    && r.Execution == ExecutionMode.Stacked
                    && r.ExperimentId == next.ExperimentId
                    && r.Model == next.Model
                    && r.Condition == next.Condition)
                .OrderBy(r => r.Sequence)
                .Select(r => r.Id)
                .ToListAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueueReadFailed(logger, exception);
            return false;
        }

        // Runs that have not trained start together, and resumed runs together with those resuming after the same epoch.
        var startEpoch = checkpoints.StartEpoch(next.Id);
        cohortIds = [.. cohortIds.Where(id => id == next.Id || checkpoints.StartEpoch(id) == startEpoch)];

        // Every member is registered before the claim, so a cancel request that arrives after the claim
        // always finds the run here instead of taking it for an orphan.
        var members = new List<ActiveRun>();
        foreach (var runId in cohortIds)
        {
            var run = new ActiveRun(runId, stoppingToken);
            if (_active.TryAdd(runId, run))
            {
                members.Add(run);
            }
            else
            {
                run.Dispose();
            }
        }

        if (members.Count == 0)
        {
            return false;
        }

        Interlocked.Increment(ref _runningJobs);
        _ = Task.Run(() => RunCohortJobAsync(members, stoppingToken), CancellationToken.None);
        return true;
    }

    private async Task RunCohortJobAsync(List<ActiveRun> runs, CancellationToken stoppingToken)
    {
        try
        {
            await TrainCohortAsync(runs, stoppingToken);
        }
        catch (Exception exception)
        {
            foreach (var run in runs.Where(r => _active.ContainsKey(r.RunId)))
            {
                LogJobFailed(logger, exception, run.RunId);
                await FailAfterErrorAsync(run, exception);
            }
        }
        finally
        {
            foreach (var run in runs)
            {
                ReleaseRun(run);
                run.Dispose();
            }

            await DeleteEndedCheckpointsAsync(runs);
            Interlocked.Decrement(ref _runningJobs);
            Wake();
        }
    }

    /// <summary>
    /// Deletes the checkpoints of the job's runs that ended completed, failed or cancelled, since only an interrupted
    /// run is resumed. It runs after the training thread has stopped, so it also deletes a checkpoint that the thread
    /// wrote in the epoch in which a run left the cohort.
    /// </summary>
    private async Task DeleteEndedCheckpointsAsync(List<ActiveRun> runs)
    {
        try
        {
            var runIds = runs.Select(run => run.RunId).ToList();
            await using var db = await dbFactory.CreateDbContextAsync();
            var ended = await db.Runs
                .Where(r => runIds.Contains(r.Id)
                    && (r.Status == RunStatus.Completed || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled))
                .Select(r => r.Id)
                .ToListAsync();
            ended.ForEach(checkpoints.Delete);
        }
        catch (Exception exception)
        {
            LogCheckpointCleanupFailed(logger, exception, string.Join(", ", runs.Select(run => run.RunId)));
        }
    }

    private async Task TrainCohortAsync(List<ActiveRun> runs, CancellationToken stoppingToken)
    {
        var claim = await ClaimCohortAsync([.. runs.Select(r => r.RunId)]);
        foreach (var unclaimed in runs.Where(r => claim?.Requests.ContainsKey(r.RunId) != true))
        {
            ReleaseRun(unclaimed);
        }

        if (claim is null || claim.Requests.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _jobsStarted);
        var members = new List<CohortMember>();
        foreach (var run in runs.Where(r => claim.Requests.ContainsKey(r.RunId)))
        {
            run.MarkClaimed();
            var request = claim.Requests[run.RunId];
            feed.Publish(new StatusEvent(run.RunId, claim.ExperimentId, RunStatus.Running, null));
            LogRunClaimed(logger, run.RunId, claim.ExperimentId, request, claim.Device);
            var writer = new EpochWriter(dbFactory, feed, run, claim.ExperimentId, logger);
            members.Add(new CohortMember(run, writer, (member, failure) => FinishMemberAsync(member, claim.ExperimentId, failure)));
        }

        using var job = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var registrations = members
            .Select(member => member.Run.Token.Register(() => CancelWhenAllCancelled(members, job)))
            .ToList();
        try
        {
            // Each run leaves the job when its lane is done (CohortMember.TrainingEnded), so a lane that ends first
            // completes its runs while other lanes still train.
            await TrainStackedOnOwnThreadAsync(members, claim, job.Token);
        }
        catch (Exception exception)
        {
            // Runs whose lane had ended keep their status.
            members.ForEach(member => member.Leave(exception));
        }
        finally
        {
            registrations.ForEach(registration => registration.Dispose());
        }

        await Task.WhenAll(members.Select(member => member.Finished));
    }

    private Task TrainStackedOnOwnThreadAsync(List<CohortMember> members, CohortClaim claim, CancellationToken cancellationToken)
    {
        var requests = members.Select(member => claim.Requests[member.Run.RunId]).ToList();
        return RunOnOwnThreadAsync(
            $"{members[0].Run.RunId} and {members.Count - 1} more",
            () => trainer.TrainStacked(requests, members, cancellationToken));
    }

    // Cancelling one run only detaches its seed, so the stacked model stops once every run of it is cancelled.
    private static void CancelWhenAllCancelled(List<CohortMember> members, CancellationTokenSource job)
    {
        if (members.All(member => member.Run.Token.IsCancellationRequested))
        {
            try
            {
                job.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The job ended meanwhile.
            }
        }
    }

    private async Task FinishMemberAsync(CohortMember member, string experimentId, Exception? failure)
    {
        var run = member.Run;
        try
        {
            await member.Writer.CompleteAsync();
            run.MarkFinishing();
            var (status, error) = Outcome(run, failure, member.Writer.Failure);
            await FinishAsync(run.RunId, experimentId, status, error);
            if (status != RunStatus.Interrupted)
            {
                checkpoints.Delete(run.RunId);
            }

            var last = member.Writer.LastEpoch;
            LogRunFinished(logger, run.RunId, StatusNames.ToName(status), last?.Epoch ?? 0, last?.TrainAccuracy, error);
        }
        catch (Exception exception)
        {
            LogJobFailed(logger, exception, run.RunId);
            await FailAfterErrorAsync(run, exception);
        }
        finally
        {
            ReleaseRun(run);
        }
    }

    // Removes a run from the active set and completes its Finished task. The job disposes the run when it ends.
    private void ReleaseRun(ActiveRun run)
    {
        _active.TryRemove(new KeyValuePair<string, ActiveRun>(run.RunId, run));
        run.MarkFinished();
    }

    /// <summary>
    /// Moves every run of the set that is still queued to running in one statement, then reads back which ones
    /// this claim took. A run cancelled meanwhile, or taken by another scheduler, stays out of the job.
    /// </summary>
    private async Task<CohortClaim?> ClaimCohortAsync(string[] runIds)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var rows = await db.Runs.AsNoTracking()
            .Where(r => runIds.Contains(r.Id))
            .Select(r => new { r.Id, r.ExperimentId, r.Model, r.Condition, r.Seed, r.Experiment!.SpecJson })
            .ToListAsync();
        if (rows.Count == 0)
        {
            return null;
        }

        var first = rows[0];
        var spec = JsonSerializer.Deserialize<ExperimentSpec>(first.SpecJson, SpecJson.Options)!;
        var device = devices.Name;
        var parameterCount = CountParameters(spec, first.Model, first.Condition);
        var claimedAt = DateTimeOffset.UtcNow;

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Runs
            .Where(r => runIds.Contains(r.Id) && r.Status == RunStatus.Queued)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, RunStatus.Running)
                .SetProperty(r => r.WorkerId, worker.Id)
                .SetProperty(r => r.Device, device)
                .SetProperty(r => r.ParameterCount, parameterCount)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? claimedAt));

        // Only this job registered these runs, and only cohort jobs claim stacked runs, so a run of the set that is
        // running on this worker was taken by the update above. A resumed run keeps the time it first started.
        var claimed = await db.Runs
            .Where(r => runIds.Contains(r.Id) && r.Status == RunStatus.Running && r.WorkerId == worker.Id)
            .Select(r => r.Id)
            .ToListAsync();
        await transaction.CommitAsync();

        // One spec instance for every request: the stacked trainer requires the cohort to share it.
        var requests = rows
            .Where(row => claimed.Contains(row.Id))
            .ToDictionary(row => row.Id, row => new RunRequest(spec, row.Model, row.Condition, row.Seed)
            {
                Checkpoint = checkpoints.PlanFor(row.Id),
                RunId = row.Id,
            });
        return new CohortClaim(first.ExperimentId, device, requests);
    }

    private sealed record CohortClaim(string ExperimentId, string Device, IReadOnlyDictionary<string, RunRequest> Requests);

    [LoggerMessage(LogLevel.Error, "Deleting the checkpoints of the ended runs {RunIds} of a stacked cohort failed")]
    private static partial void LogCheckpointCleanupFailed(ILogger logger, Exception exception, string runIds);
}
