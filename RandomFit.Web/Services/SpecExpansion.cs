using RandomFit.Training.Specs;

namespace RandomFit.Web.Services;

/// <summary>One run an experiment spec asks for.</summary>
public sealed record PlannedRun(string Model, string? Condition, int Seed);

/// <summary>Turns a validated spec into its runs and the data each run trains on.</summary>
public static class SpecExpansion
{
    /// <summary>
    /// Lists the runs seed by seed, then condition by condition, then model by model, so that the queue
    /// finishes whole paired comparisons (every model on the same data) before starting the next seed.
    /// </summary>
    public static IReadOnlyList<PlannedRun> PlanRuns(ExperimentSpec spec)
    {
        var models = spec.Models ?? [];
        var conditions = spec.Data?.Conditions is { Count: > 0 } list
            ? list.Select(c => c.Name).ToList()
            : [null];

        var runs = new List<PlannedRun>();
        foreach (var seed in spec.EffectiveSeeds)
        {
            foreach (var condition in conditions)
            {
                runs.AddRange(models.Select(model => new PlannedRun(model.Name ?? "", condition, seed)));
            }
        }

        return runs;
    }

    /// <summary>
    /// Returns the data of a run: the experiment's data with the named condition's fields applied, merged the way
    /// the trainer merges them. An unknown or null condition leaves the data as it is.
    /// </summary>
    public static DataSpec DataFor(DataSpec data, string? conditionName) =>
        data.WithCondition(data.Conditions?.FirstOrDefault(c => c.Name == conditionName));
}
