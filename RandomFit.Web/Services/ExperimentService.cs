using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Security;

namespace RandomFit.Web.Services;

/// <summary>Creates, reads and deletes experiments; queued runs go to the scheduler.</summary>
public sealed partial class ExperimentService(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    RunScheduler scheduler,
    IRunEventsFeed feed,
    CheckpointStore checkpoints,
    IOptions<LimitsOptions> limits,
    IDatasetStore datasets,
    RunStartLimiter limiter,
    ILogger<ExperimentService> logger) : IExperimentService
{
    // Sequences are read and incremented in one transaction; this lock keeps two creates in this
    // process from reading the same maximum.
    private readonly SemaphoreSlim _createLock = new(1, 1);

    public async Task<ExperimentCreated> CreateAsync(
        CreateExperimentRequest request,
        CancellationToken cancellationToken)
    {
        var (spec, preset) = ExperimentRequestValidator.Resolve(request, limits.Value, datasets);
        var now = DateTimeOffset.UtcNow;
        var experiment = new ExperimentEntity
        {
            Id = IdGenerator.NewId(),
            Name = spec.Name!,
            Preset = preset?.Id,
            CreatedAt = now,
            SpecJson = JsonSerializer.Serialize(spec, SpecJson.Options),
        };
        var planned = SpecExpansion.PlanRuns(spec);

        // After validation, so a bad request gets 400 and costs nothing from the run limit. Before the runs are built,
        // because building one looks its condition up by name: 50,000 conditions took 12 s to reach this check.
        limiter.Acquire(planned.Count);
        experiment.Runs.AddRange(planned.Select(run =>
            NewRun(experiment.Id, run.Model, run.Condition, run.Seed, spec, now)));
        await StoreAsync(experiment, cancellationToken);
        foreach (var run in experiment.Runs)
        {
            feed.Publish(new RunAddedEvent(run.Id, experiment.Id));
        }

        scheduler.Wake();
        var runs = experiment.Runs.Select(RunMapping.ToItem).ToList();
        return new ExperimentCreated(experiment.Id, RunMapping.ExperimentUrl(experiment.Id), runs);
    }

    private async Task StoreAsync(ExperimentEntity experiment, CancellationToken cancellationToken)
    {
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            experiment.Sequence = (await db.Experiments.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0) + 1;
            var runSequence = await db.Runs.MaxAsync(r => (long?)r.Sequence, cancellationToken) ?? 0;
            foreach (var run in experiment.Runs)
            {
                run.Sequence = ++runSequence;
            }

            db.Experiments.Add(experiment);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _createLock.Release();
        }
    }

    public async Task<ExperimentDetails?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var experiment = await db.Experiments.AsNoTracking()
            .Include(e => e.Runs.OrderBy(r => r.Sequence))
            .SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (experiment is null)
        {
            return null;
        }

        // A spec posted without seeds trains seed 0, and the returned spec lists it so that it names every run.
        var storedSpec = JsonSerializer.Deserialize<ExperimentSpec>(experiment.SpecJson, SpecJson.Options)!;
        var spec = storedSpec with { Seeds = storedSpec.EffectiveSeeds };
        return new ExperimentDetails(
            experiment.Id,
            RunMapping.ExperimentUrl(experiment.Id),
            experiment.Name,
            experiment.Preset,
            experiment.CreatedAt,
            spec,
            await RunMapping.ToItemsWithLastEpochAsync(db, [.. experiment.Runs], cancellationToken));
    }

    public async Task<Paged<ExperimentItem>> ListAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var experiments = db.Experiments.AsNoTracking();
        if (query.Preset is not null)
        {
            experiments = experiments.Where(e => e.Preset == query.Preset);
        }

        if (query.Experiment is not null)
        {
            experiments = experiments.Where(e => e.Id == query.Experiment);
        }

        // An experiment matches when one of its runs matches every run filter at once, so that following it to
        // GET /api/runs with the same filters finds that run.
        if (query.Status is not null || query.Model is not null || query.Seed is not null)
        {
            var status = query.Status;
            var model = query.Model;
            var seed = query.Seed;
            experiments = experiments.Where(e => e.Runs.Any(r =>
                (status == null || r.Status == status)
                && (model == null || r.Model == model)
                && (seed == null || r.Seed == seed)));
        }

        var total = await experiments.CountAsync(cancellationToken);
        var ordered = query.Descending
            ? experiments.OrderByDescending(e => e.Sequence)
            : experiments.OrderBy(e => e.Sequence);
        var items = await ordered
            .Skip(Paged<ExperimentItem>.Offset(query.Page, query.PageSize))
            .Take(query.PageSize)
            .Select(e => new ExperimentItem(
                e.Id,
                "/experiments/" + e.Id,
                e.Name,
                e.Preset,
                e.CreatedAt,
                e.Runs.Count,
                e.Runs.Count(r => r.Status == RunStatus.Queued),
                e.Runs.Count(r => r.Status == RunStatus.Running),
                e.Runs.Count(r => r.Status == RunStatus.Completed),
                e.Runs.Count(r => r.Status == RunStatus.Failed),
                e.Runs.Count(r => r.Status == RunStatus.Cancelled),
                e.Runs.Count(r => r.Status == RunStatus.Interrupted)))
            .ToListAsync(cancellationToken);
        return new Paged<ExperimentItem>(items, query.Page, query.PageSize, total);
    }

    /// <summary>
    /// Cancels the experiment's runs, waits until none is training, deletes it with its runs, then publishes an
    /// <see cref="ExperimentDeletedEvent"/>.
    /// </summary>
    /// <returns>False when no experiment has this id.</returns>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Experiments.AnyAsync(e => e.Id == id, cancellationToken))
        {
            return false;
        }

        // A rerun or new seeds may add runs while this waits for training threads. Each round cancels the runs
        // added since the last one. Additions take the create lock, so a round that finds none deletes under that
        // lock, and no run is added between its read and the delete.
        var handled = new HashSet<string>();
        while (true)
        {
            List<string> added;
            await _createLock.WaitAsync(cancellationToken);
            try
            {
                var runIds = await db.Runs.Where(r => r.ExperimentId == id).Select(r => r.Id)
                    .ToListAsync(cancellationToken);
                added = [.. runIds.Where(handled.Add)];
                if (added.Count == 0)
                {
                    var deleted = await db.Experiments.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken);
                    if (deleted == 0)
                    {
                        // A concurrent delete of the same experiment finished first.
                        return false;
                    }

                    break;
                }

                await CancelWaitingAsync(db, id, added, cancellationToken);
            }
            finally
            {
                _createLock.Release();
            }

            // Deleting under a training thread would make its epoch writes fail, so the threads end first.
            // NOTE: only this node's threads are waited for. A worker node finds the rows gone at its next epoch
            // write and then stops the run as cancelled.
            foreach (var runId in added)
            {
                scheduler.TryCancel(runId);
            }

            await Task.WhenAll(added.Select(scheduler.WhenFinishedAsync)).WaitAsync(cancellationToken);
        }

        // After the delete, so a page that reloads on this event no longer finds the experiment or its runs.
        feed.Publish(new ExperimentDeletedEvent(id));
        foreach (var runId in handled)
        {
            checkpoints.Delete(runId);
        }

        LogDeleted(logger, id, Counted.Of(handled.Count, "run"));
        return true;
    }

    // One update per run, so only a run this update cancelled is announced: a worker may claim a waiting run
    // between the read of the run ids and the update, and its status then goes on from running.
    private async Task CancelWaitingAsync(
        RandomFitDbContext db, string experimentId, List<string> runIds, CancellationToken cancellationToken)
    {
        foreach (var runId in runIds)
        {
            var cancelled = await db.Runs
                .Where(r => r.Id == runId && (r.Status == RunStatus.Queued || r.Status == RunStatus.Interrupted))
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Cancelled), cancellationToken);
            if (cancelled == 1)
            {
                feed.Publish(new StatusEvent(runId, experimentId, RunStatus.Cancelled, null));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Experiment {ExperimentId} deleted with its {Runs}")]
    private static partial void LogDeleted(ILogger logger, string experimentId, string runs);

    public IReadOnlyDictionary<string, long> CountParameters(ExperimentSpec spec)
    {
        var errors = SpecValidator.Validate(spec, limits.Value, datasets, "spec");
        if (spec.Data is null || spec.Models is null)
        {
            throw new RequestValidationException(errors);
        }

        // Counting works on any model whose layers fit the data, so a model over the parameter limit still
        // shows how far over it is.
        var counts = new Dictionary<string, long>();
        for (var i = 0; i < spec.Models.Count; i++)
        {
            var model = spec.Models[i];
            try
            {
                counts[model.Name ?? $"models[{i}]"] = Training.Models.ModelBuilder.CountParameters(model, spec.Data);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                throw new RequestValidationException(errors.Count > 0
                    ? errors
                    : new Dictionary<string, string[]> { [$"spec.models[{i}]"] = [exception.Message] });
            }
        }

        return counts;
    }
}
