using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Services;

/// <summary>Reads an experiment's results: cohort summaries and the per-epoch export.</summary>
public sealed class ExperimentResults(IDbContextFactory<RandomFitDbContext> dbFactory)
{
    /// <summary>Returns the experiment's cohort summaries, or null when no experiment has this id.</summary>
    public async Task<ExperimentSummary?> SummariseAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var specJson = await db.Experiments.Where(e => e.Id == id).Select(e => e.SpecJson)
            .SingleOrDefaultAsync(cancellationToken);
        if (specJson is null)
        {
            return null;
        }

        // The last epoch and the first perfect epoch are found by the database, so a summary of long runs reads
        // two rows per run and not every epoch.
        var rows = await db.Runs.AsNoTracking()
            .Where(r => r.ExperimentId == id && r.Epochs.Any())
            .Select(r => new
            {
                r.Id,
                r.Model,
                r.Condition,
                r.Seed,
                r.Sequence,
                r.Status,
                Final = r.Epochs.OrderByDescending(e => e.Epoch).First(),
                FirstFit = r.Epochs.Where(e => e.TrainAccuracy >= 1.0).Min(e => (int?)e.Epoch),
            })
            .ToListAsync(cancellationToken);
        var outcomes = rows.Select(r => new RunOutcome(
            r.Id,
            r.Model,
            r.Condition,
            r.Seed,
            r.Sequence,
            r.Final.TrainAccuracy,
            r.Final.TestAccuracy,
            r.FirstFit,
            r.Status == RunStatus.Cancelled,
            r.Status == RunStatus.Completed));
        var spec = JsonSerializer.Deserialize<ExperimentSpec>(specJson, SpecJson.Options)!;
        return new ExperimentSummary(id, CohortSummaries.Summarise(spec, outcomes));
    }

    /// <summary>Returns one export row per run per epoch in run order, or null when no experiment has this id.</summary>
    public async Task<ExportTable?> ExportAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var experiment = await db.Experiments.AsNoTracking()
            .Include(e => e.Runs.OrderBy(r => r.Sequence))
            .SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null)
        {
            return null;
        }

        var epochs = await db.Epochs.AsNoTracking()
            .Where(e => db.Runs.Any(r => r.Id == e.RunId && r.ExperimentId == id))
            .ToListAsync(cancellationToken);
        var epochsByRun = epochs.ToLookup(e => e.RunId);
        var spec = JsonSerializer.Deserialize<ExperimentSpec>(experiment.SpecJson, SpecJson.Options)!;
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var run in experiment.Runs)
        {
            foreach (var epoch in epochsByRun[run.Id].OrderBy(e => e.Epoch))
            {
                rows.Add(ExportTable.Row(experiment, run, spec, epoch));
            }
        }

        return new ExportTable(rows);
    }
}
