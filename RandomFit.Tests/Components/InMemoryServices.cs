using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>Runs held in a dictionary, standing in for the database in page tests.</summary>
public sealed class InMemoryRunService : IRunService
{
    public Dictionary<string, RunDetails> Stored { get; } = [];

    public List<string> Cancelled { get; } = [];

    public Task<RunDetails?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Stored.GetValueOrDefault(id));

    public Task<IReadOnlyDictionary<string, RunDetails>> GetExperimentRunsAsync(
        string experimentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, RunDetails>>(
            Stored.Values.Where(run => run.ExperimentId == experimentId).ToDictionary(run => run.Id));

    public List<RunQuery> Queries { get; } = [];

    public Task<Paged<RunItem>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        var items = Stored.Values
            .Where(run => query.Status is null || run.Status == query.Status)
            .Where(run => query.Model is null || run.Model == query.Model)
            .Where(run => query.Seed is null || run.Seed == query.Seed)
            .Where(run => query.Experiment is null || run.ExperimentId == query.Experiment)
            .Select(run => TestRuns.ToItem(run) with { LastEpoch = run.Epochs.Count > 0 ? run.Epochs[^1].Epoch : null })
            .ToList();
        var page = items.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return Task.FromResult(new Paged<RunItem>(page, query.Page, query.PageSize, items.Count));
    }

    public Task<CancelOutcome> CancelAsync(string id, CancellationToken cancellationToken)
    {
        Cancelled.Add(id);
        return Task.FromResult(Stored.ContainsKey(id) ? CancelOutcome.Accepted : CancelOutcome.NotFound);
    }

    public List<string> Resumed { get; } = [];

    /// <summary>Ids of interrupted runs whose resume check fails because they have no checkpoint.</summary>
    public HashSet<string> WithoutCheckpoint { get; } = [];

    public Task<ResumeResult> CheckResumeAsync(string id, CancellationToken cancellationToken)
    {
        var result = Stored.GetValueOrDefault(id) switch
        {
            null => new ResumeResult(ResumeOutcome.NotFound),
            { Status: not RunStatus.Interrupted } => new ResumeResult(ResumeOutcome.NotInterrupted, $"Run '{id}' is not interrupted."),
            _ when WithoutCheckpoint.Contains(id) => new ResumeResult(ResumeOutcome.NoCheckpoint, $"Run '{id}' has no checkpoint; rerun it instead."),
            _ => new ResumeResult(ResumeOutcome.Accepted),
        };
        return Task.FromResult(result);
    }

    public Task<ResumeResult> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        Resumed.Add(id);
        return Task.FromResult(new ResumeResult(Stored.ContainsKey(id) ? ResumeOutcome.Accepted : ResumeOutcome.NotFound));
    }
}

/// <summary>Records created experiments and returns one queued run per model and seed.</summary>
public sealed class InMemoryExperimentService : IExperimentService
{
    public List<CreateExperimentRequest> Requests { get; } = [];

    public Dictionary<string, ExperimentDetails> Stored { get; } = [];

    /// <summary>When set, CreateAsync throws it instead of creating.</summary>
    public Exception? Rejection { get; set; }

    /// <summary>When set, CreateAsync waits for it first, which keeps a page's create request in flight.</summary>
    public Task? CreateGate { get; set; }

    public async Task<ExperimentCreated> CreateAsync(CreateExperimentRequest request, CancellationToken cancellationToken)
    {
        if (CreateGate is not null)
        {
            await CreateGate;
        }

        if (Rejection is not null)
        {
            throw Rejection;
        }

        Requests.Add(request);
        var spec = request.Spec ?? Presets.Find(request.Preset!)!.Spec;
        var seeds = request.Seeds ?? spec.EffectiveSeeds;
        var id = $"e{Requests.Count}";
        var runs = (from model in spec.Models!
                    from seed in seeds
                    select TestRuns.ToItem(TestRuns.Create($"{id}-{model.Name}-{seed}", 0, experimentId: id) with
                    {
                        Model = model.Name!,
                        Seed = seed,
                    })).ToList();
        return new ExperimentCreated(id, $"/experiments/{id}", runs);
    }

    public Task<ExperimentDetails?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Stored.GetValueOrDefault(id));

    public List<ExperimentQuery> Queries { get; } = [];

    /// <summary>Filters like the real service, so an experiment matches a run filter when one of its runs does.</summary>
    public Task<Paged<ExperimentItem>> ListAsync(ExperimentQuery query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        var items = Stored.Values
            .Where(experiment => query.Preset is null || experiment.Preset == query.Preset)
            .Where(experiment => query.Experiment is null || experiment.Id == query.Experiment)
            .Where(experiment => (query.Status is null && query.Model is null && query.Seed is null)
                || experiment.Runs.Any(run => (query.Status is null || run.Status == query.Status)
                    && (query.Model is null || run.Model == query.Model)
                    && (query.Seed is null || run.Seed == query.Seed)))
            .Select(experiment => new ExperimentItem(experiment.Id, experiment.Url, experiment.Name, experiment.Preset,
                experiment.CreatedAt, experiment.Runs.Count,
                experiment.Runs.Count(run => run.Status == RunStatus.Queued),
                experiment.Runs.Count(run => run.Status == RunStatus.Running),
                experiment.Runs.Count(run => run.Status == RunStatus.Completed),
                experiment.Runs.Count(run => run.Status == RunStatus.Failed),
                experiment.Runs.Count(run => run.Status == RunStatus.Cancelled),
                experiment.Runs.Count(run => run.Status == RunStatus.Interrupted)))
            .ToList();
        var page = items.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();
        return Task.FromResult(new Paged<ExperimentItem>(page, query.Page, query.PageSize, items.Count));
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Stored.Remove(id));

    public IReadOnlyDictionary<string, long> CountParameters(ExperimentSpec spec) =>
        throw new NotSupportedException("The pages count parameters with ModelBuilder directly.");
}
