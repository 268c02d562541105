using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Scheduling;

// Queue order: the oldest queued work starts first, whether it is a separate run or a stacked cohort. A cohort's
// place in the queue is that of its oldest queued run.
public sealed partial class RunScheduler
{
    // The number of queued runs read per query while looking for the next jobs. A large stacked cohort can span
    // several pages.
    private const int QueuePageSize = 256;

    private async Task StartQueuedRunsAsync(int concurrency, CancellationToken stoppingToken)
    {
        var free = concurrency - Volatile.Read(ref _runningJobs);
        if (free <= 0)
        {
            return;
        }

        List<QueuedRun> jobs;
        try
        {
            jobs = await ReadNextJobsAsync(free, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueueReadFailed(logger, exception);
            return;
        }

        // Stacked cohorts are claimed whole by their own job. Separate runs go through the queue, which on
        // PostgreSQL skips the rows other workers are claiming, so it may hand out a later separate run than the
        // one read here.
        var separate = jobs.Count(job => job.Execution == ExecutionMode.Separate);
        foreach (var cohort in jobs.Where(job => job.Execution == ExecutionMode.Stacked))
        {
            await StartCohortAsync(cohort, stoppingToken);
        }

        if (separate == 0)
        {
            return;
        }

        IReadOnlyList<string> claimed;
        try
        {
            claimed = await queue.ClaimAsync(separate, devices.Name, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogQueueReadFailed(logger, exception);
            return;
        }

        foreach (var runId in claimed)
        {
            StartSeparate(runId, stoppingToken);
        }
    }

    /// <summary>
    /// Reads the queue in order and returns up to <paramref name="count"/> jobs: a separate run each, or for a
    /// stacked cohort its oldest queued run. Runs already taken by a job of this scheduler are skipped.
    /// </summary>
    private async Task<List<QueuedRun>> ReadNextJobsAsync(int count, CancellationToken stoppingToken)
    {
        var jobs = new List<QueuedRun>();
        var cohorts = new HashSet<CohortKey>();
        long after = long.MinValue;
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        while (jobs.Count < count)
        {
            var page = await db.Runs.AsNoTracking()
                .Where(r => r.Status == RunStatus.Queued && r.Sequence > after)
                .OrderBy(r => r.Sequence)
                .Select(r => new QueuedRun(r.Id, r.Sequence, r.ExperimentId, r.Model, r.Condition, r.Execution))
                .Take(QueuePageSize)
                .ToListAsync(stoppingToken);
            foreach (var run in page)
            {
                if (jobs.Count == count)
                {
                    break;
                }

                var isNewJob = !_active.ContainsKey(run.Id)
                    && (run.Execution == ExecutionMode.Separate || cohorts.Add(CohortKeyOf(run)));
                if (isNewJob)
                {
                    jobs.Add(run);
                }
            }

            if (page.Count < QueuePageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        return jobs;
    }

    // Queued stacked runs of one experiment, model and condition train together when they start from the same
    // epoch: 0 for runs that have not trained, else the epoch of the checkpoint they resume from.
    private CohortKey CohortKeyOf(QueuedRun run) =>
        new(run.ExperimentId, run.Model, run.Condition, checkpoints.StartEpoch(run.Id));

    private sealed record QueuedRun(
        string Id,
        long Sequence,
        string ExperimentId,
        string Model,
        string? Condition,
        ExecutionMode Execution);

    private sealed record CohortKey(string ExperimentId, string Model, string? Condition, int? StartEpoch);
}
