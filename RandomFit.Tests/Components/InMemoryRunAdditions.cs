using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>Records added seeds and reruns, answering with queued runs built from the stored run.</summary>
public sealed class InMemoryRunAdditions(InMemoryRunService runs) : IRunAdditions
{
    public List<(string ExperimentId, IReadOnlyList<int> Seeds)> AddedSeeds { get; } = [];

    public List<string> Reruns { get; } = [];

    // Queues one run per seed for each model and condition that the experiment's stored runs have.
    public Task<IReadOnlyList<RunItem>?> AddSeedsAsync(string id, IReadOnlyList<int>? seeds, CancellationToken cancellationToken)
    {
        AddedSeeds.Add((id, seeds ?? []));
        var cohorts = runs.Stored.Values
            .Where(run => run.ExperimentId == id)
            .DistinctBy(run => (run.Model, run.Condition))
            .ToList();
        var added = (seeds ?? [])
            .SelectMany(seed => cohorts.Select(run => TestRuns.ToItem(run) with
            {
                Id = $"{run.Model}-seed-{seed}",
                Url = $"/runs/{run.Model}-seed-{seed}",
                Seed = seed,
                Status = RunStatus.Queued,
            }))
            .ToList();
        return Task.FromResult<IReadOnlyList<RunItem>?>(added);
    }

    public Task<RunItem?> RerunAsync(string runId, CancellationToken cancellationToken)
    {
        Reruns.Add(runId);
        if (!runs.Stored.TryGetValue(runId, out var run))
        {
            return Task.FromResult<RunItem?>(null);
        }

        // Stored too, so a page that opens the rerun finds it.
        var stored = run with
        {
            Id = runId + "-rerun",
            Url = $"/runs/{runId}-rerun",
            Status = RunStatus.Queued,
            Error = null,
            Device = null,
            StartedAt = null,
            FinishedAt = null,
            Epochs = [],
        };
        runs.Stored[stored.Id] = stored;
        return Task.FromResult<RunItem?>(TestRuns.ToItem(stored));
    }
}
