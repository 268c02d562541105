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

    /// <summary>Returns the data of a run: the experiment's data with the named condition's fields applied.</summary>
    public static DataSpec DataFor(DataSpec data, string? conditionName)
    {
        var condition = data.Conditions?.FirstOrDefault(c => c.Name == conditionName);
        if (conditionName is null || condition is null)
        {
            return data;
        }

        return data with
        {
            Shape = condition.Shape ?? data.Shape,
            TrainSamples = condition.TrainSamples ?? data.TrainSamples,
            TestSamples = condition.TestSamples ?? data.TestSamples,
            Classes = condition.Classes ?? data.Classes,
            Inputs = condition.Inputs ?? data.Inputs,
            Labels = condition.Labels ?? data.Labels,
            Corruption = condition.Corruption ?? data.Corruption,
            CorruptTest = condition.CorruptTest ?? data.CorruptTest,
            Pixels = condition.Pixels ?? data.Pixels,
            Standardize = condition.Standardize ?? data.Standardize,
            File = condition.File ?? data.File,
            Conditions = null,
        };
    }
}
