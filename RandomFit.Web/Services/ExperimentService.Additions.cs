using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Services;

/// <summary>Adds runs to stored experiments: new seeds for every cohort, or a rerun of one run.</summary>
public sealed partial class ExperimentService : IRunAdditions
{
    /// <summary>
    /// Queues a run of every model and condition for each new seed and appends the seeds to the stored spec.
    /// Returns null when no experiment has this id.
    /// </summary>
    /// <exception cref="RequestValidationException">A seed is invalid, repeated or already in the experiment.</exception>
    public async Task<IReadOnlyList<RunItem>?> AddSeedsAsync(
        string id,
        IReadOnlyList<int>? seeds,
        CancellationToken cancellationToken)
    {
        await _createLock.WaitAsync(cancellationToken);
        List<RunEntity> added;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var experiment = await db.Experiments.SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
            if (experiment is null)
            {
                return null;
            }

            var spec = JsonSerializer.Deserialize<ExperimentSpec>(experiment.SpecJson, SpecJson.Options)!;
            var existing = await db.Runs.Where(r => r.ExperimentId == id).Select(r => r.Seed).Distinct()
                .ToListAsync(cancellationToken);
            var known = existing.Concat(spec.EffectiveSeeds).ToHashSet();
            CheckNewSeeds(seeds, known, limits.Value.MaxSeeds);

            var newSeeds = seeds!;
            var extended = spec with { Seeds = [.. spec.EffectiveSeeds, .. newSeeds] };
            experiment.SpecJson = JsonSerializer.Serialize(extended, SpecJson.Options);
            var planned = SpecExpansion.PlanRuns(extended with { Seeds = newSeeds });
            added = [.. planned.Select(run => NewRun(id, run.Model, run.Condition, run.Seed, spec))];
            limiter.Acquire(added.Count);
            await AppendRunsAsync(db, added, cancellationToken);
        }
        finally
        {
            _createLock.Release();
        }

        AnnounceAdded(id, added);
        return [.. added.Select(RunMapping.ToItem)];
    }

    /// <summary>Queues a new run with the same model, condition and seed; null when no run has this id.</summary>
    public async Task<RunItem?> RerunAsync(string runId, CancellationToken cancellationToken)
    {
        await _createLock.WaitAsync(cancellationToken);
        RunEntity rerun;
        string experimentName;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var source = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (source is null)
            {
                return null;
            }

            var experiment = await db.Experiments.Where(e => e.Id == source.ExperimentId)
                .Select(e => new { e.SpecJson, e.Name })
                .SingleAsync(cancellationToken);
            experimentName = experiment.Name;
            var spec = JsonSerializer.Deserialize<ExperimentSpec>(experiment.SpecJson, SpecJson.Options)!;
            rerun = NewRun(source.ExperimentId, source.Model, source.Condition, source.Seed, spec);
            limiter.Acquire(1);
            await AppendRunsAsync(db, [rerun], cancellationToken);
        }
        finally
        {
            _createLock.Release();
        }

        AnnounceAdded(rerun.ExperimentId, [rerun]);
        return RunMapping.ToItem(rerun) with { ExperimentName = experimentName };
    }

    // Every new run takes its execution mode from the spec, so added seeds of a stacked experiment train stacked too.
    private static RunEntity NewRun(
        string experimentId,
        string model,
        string? condition,
        int seed,
        ExperimentSpec spec,
        DateTimeOffset? createdAt = null) =>
        new()
        {
            Id = IdGenerator.NewId(),
            ExperimentId = experimentId,
            Model = model,
            Condition = condition,
            Seed = seed,
            Status = RunStatus.Queued,
            TotalEpochs = spec.Training?.Epochs ?? 0,
            CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
            Execution = spec.Training?.Execution ?? ExecutionMode.Separate,

            // Counted from the spec, as validation does, so a queued run shows its size before it starts.
            ParameterCount = Training.Models.ModelBuilder.CountParameters(spec.FindModel(model), spec.ResolveData(condition)),
        };

    // Callers hold the create lock, so the sequence read here is not taken by a concurrent create.
    private static async Task AppendRunsAsync(RandomFitDbContext db, List<RunEntity> runs, CancellationToken cancellationToken)
    {
        var sequence = await db.Runs.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0;
        foreach (var run in runs)
        {
            run.Sequence = ++sequence;
        }

        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(cancellationToken);
    }

    // Publishing after the commit lets watchers of the experiment read the new runs from the store.
    private void AnnounceAdded(string experimentId, List<RunEntity> runs)
    {
        foreach (var run in runs)
        {
            feed.Publish(new RunAddedEvent(run.Id, experimentId));
        }

        scheduler.Wake();
    }

    private static void CheckNewSeeds(IReadOnlyList<int>? seeds, HashSet<int> known, int maxSeeds)
    {
        var errors = new Dictionary<string, string[]>();
        if (seeds is null || seeds.Count == 0)
        {
            errors["seeds"] = ["Give at least one new seed, for example {\"seeds\": [5, 6]}."];
            throw new RequestValidationException(errors);
        }

        var total = known.Union(seeds).Count();
        if (total > maxSeeds)
        {
            errors["seeds"] =
            [
                $"The experiment would have {total} seeds; at most {maxSeeds} are allowed (RandomFit:Limits:MaxSeeds).",
            ];
        }

        var entryErrors = SeedChecks.EntryErrors(seeds).ToDictionary(error => error.Index, error => error.Message);
        for (var i = 0; i < seeds.Count; i++)
        {
            if (entryErrors.TryGetValue(i, out var message))
            {
                errors[$"seeds[{i}]"] = [message];
            }
            else if (known.Contains(seeds[i]))
            {
                errors[$"seeds[{i}]"] = [$"Seed {seeds[i]} is already in the experiment: give seeds it has not run."];
            }
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }
    }
}
