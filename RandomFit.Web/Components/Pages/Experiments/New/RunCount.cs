using RandomFit.Training.Specs;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// The runs a spec creates, counted with the same expansion the server uses to queue them: one run per model,
/// data condition and seed.
/// </summary>
public sealed record RunCount(int Models, IReadOnlyList<string> Conditions, int Seeds, int Runs)
{
    public static RunCount None { get; } = new(0, [], 0, 0);

    /// <summary>
    /// Counts the runs of <paramref name="spec"/>. When the seed field does not parse or is invalid, the spec may
    /// carry other seeds than the field shows, so <paramref name="seedsValid"/> false counts no seeds and no runs.
    /// </summary>
    public static RunCount Of(ExperimentSpec spec, bool seedsValid)
    {
        var conditions = (spec.Data?.Conditions ?? []).Select(condition => condition?.Name ?? "").ToList();
        var models = spec.Models?.Count ?? 0;
        if (!seedsValid)
        {
            return new RunCount(models, conditions, 0, 0);
        }

        var runs = SpecExpansion.PlanRuns(spec).Count;
        return new RunCount(models, conditions, spec.EffectiveSeeds.Count, runs);
    }

    /// <summary>The factors and their product, such as "2 models × 7 conditions × 3 seeds = 42 runs".</summary>
    public string Text
    {
        get
        {
            var factors = new List<string> { Counted.Of(Models, "model") };
            if (Conditions.Count > 0)
            {
                factors.Add(Counted.Of(Conditions.Count, "condition"));
            }

            factors.Add(Counted.Of(Seeds, "seed"));
            return string.Join(" × ", factors) + " = " + Counted.Of(Runs, "run");
        }
    }
}
