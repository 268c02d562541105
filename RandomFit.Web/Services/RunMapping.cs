using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Services;

/// <summary>Maps stored rows to the contract's records; urls are page paths.</summary>
public static class RunMapping
{
    public static string RunUrl(string id) => $"/runs/{id}";

    public static string ExperimentUrl(string id) => $"/experiments/{id}";

    /// <summary>
    /// Maps runs to items with their last stored epoch and their experiment's name, each read for all of them in one
    /// query so that no epoch row is loaded.
    /// </summary>
    public static async Task<List<RunItem>> ToItemsWithLastEpochAsync(
        RandomFitDbContext db, IReadOnlyList<RunEntity> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToList();
        var lastEpochs = await db.Epochs
            .Where(e => ids.Contains(e.RunId))
            .GroupBy(e => e.RunId)
            .Select(g => new { RunId = g.Key, Last = g.Max(e => e.Epoch) })
            .ToDictionaryAsync(row => row.RunId, row => row.Last, cancellationToken);
        var experimentIds = runs.Select(r => r.ExperimentId).Distinct().ToList();
        var experimentNames = await db.Experiments
            .Where(e => experimentIds.Contains(e.Id))
            .Select(e => new { e.Id, e.Name })
            .ToDictionaryAsync(row => row.Id, row => row.Name, cancellationToken);
        return
        [
            .. runs.Select(r => ToItem(r) with
            {
                LastEpoch = lastEpochs.TryGetValue(r.Id, out var last) ? last : null,
                ExperimentName = experimentNames.GetValueOrDefault(r.ExperimentId),
            }),
        ];
    }

    public static RunItem ToItem(RunEntity run) => new(
        run.Id,
        RunUrl(run.Id),
        run.ExperimentId,
        run.Model,
        run.Condition,
        run.Seed,
        run.Status,
        run.Error,
        run.Device,
        run.ParameterCount,
        run.TotalEpochs,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        run.Execution)
    {
        // Set where the run's experiment is loaded with it, as when runs are created.
        ExperimentName = run.Experiment?.Name,
    };

    public static RunDetails ToDetails(RunEntity run, IReadOnlyList<EpochMetrics> epochs) => new(
        run.Id,
        RunUrl(run.Id),
        run.ExperimentId,
        run.Model,
        run.Condition,
        run.Seed,
        run.Status,
        run.Error,
        run.Device,
        run.ParameterCount,
        run.TotalEpochs,
        run.CreatedAt,
        run.StartedAt,
        run.FinishedAt,
        epochs,
        run.Execution);

    public static EpochMetrics ToMetrics(EpochEntity epoch) => new(
        epoch.Epoch,
        epoch.TrainLoss,
        epoch.TrainAccuracy,
        epoch.TestLoss,
        epoch.TestAccuracy,
        epoch.Seconds,
        epoch.ElapsedSeconds);
}
