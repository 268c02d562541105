using RandomFit.Training.Analysis;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

/// <summary>The figures of one run that a cohort summary needs: its last stored epoch and when it first fit.</summary>
public sealed record RunOutcome(
    string RunId,
    string Model,
    string? Condition,
    int Seed,
    long Sequence,
    double FinalTrainAccuracy,
    double? FinalTestAccuracy,
    int? EpochsToFit,
    bool Cancelled = false,
    bool Completed = true);

/// <summary>Groups run outcomes into cohorts and summarises each one exactly.</summary>
public static partial class CohortSummaries
{
    /// <summary>
    /// Summarises every cohort the spec plans (models x conditions), in spec order. Only runs with at least one
    /// stored epoch count. When a seed has several such runs (a rerun), the newest one that was not cancelled
    /// counts, else the newest, so n is the number of distinct seeds with data. A cohort without any counted run
    /// has n 0 and null accuracies.
    /// </summary>
    public static IReadOnlyList<CohortSummary> Summarise(ExperimentSpec spec, IEnumerable<RunOutcome> outcomes)
    {
        var byCohort = outcomes
            .GroupBy(o => (o.Model, o.Condition))
            .ToDictionary(g => g.Key, g => CountedRuns(g));
        var cohorts = new List<CohortSummary>();
        foreach (var (model, condition) in PlannedCohorts(spec))
        {
            var counted = byCohort.TryGetValue((model, condition), out var runs) ? runs : [];
            cohorts.Add(Summarise(model, condition, counted, HasTestSplit(spec, condition)));
        }

        return AddSlowdownFactors(spec, cohorts);
    }

    /// <summary>Returns the (model, condition) pairs of a spec, condition by condition, then model by model.</summary>
    public static IEnumerable<(string Model, string? Condition)> PlannedCohorts(ExperimentSpec spec)
    {
        var conditions = spec.Data?.Conditions is { Count: > 0 } list
            ? list.Select(c => c.Name).ToList()
            : [null];
        foreach (var condition in conditions)
        {
            foreach (var model in spec.Models ?? [])
            {
                yield return (model.Name ?? "", condition);
            }
        }
    }

    /// <summary>Returns whether runs of the given condition evaluate a test split.</summary>
    public static bool HasTestSplit(ExperimentSpec spec, string? condition) =>
        spec.Data is { } data && SpecExpansion.DataFor(data, condition).TestSamples > 0;

    /// <summary>
    /// Returns the run of one seed that counts, from its runs oldest first: the newest that was not cancelled, else
    /// the newest. A rerun cancelled part way so leaves the seed's earlier result in place.
    /// </summary>
    public static T? CountedRun<T>(IReadOnlyList<T> runsOldestFirst, Func<T, bool> cancelled)
        where T : class =>
        runsOldestFirst.LastOrDefault(run => !cancelled(run)) ?? runsOldestFirst.LastOrDefault();

    private static List<RunOutcome> CountedRuns(IEnumerable<RunOutcome> runs) =>
        [.. runs
            .GroupBy(r => r.Seed)
            .Select(seed => CountedRun([.. seed.OrderBy(r => r.Sequence)], r => r.Cancelled)!)
            .OrderBy(r => r.Seed)];

    private static CohortSummary Summarise(string model, string? condition, List<RunOutcome> runs, bool hasTest)
    {
        var train = SampleSummary.Of([.. runs.Select(r => r.FinalTrainAccuracy)], lowest: 0, highest: 1);
        var testValues = runs.Where(r => r.FinalTestAccuracy is not null).Select(r => r.FinalTestAccuracy!.Value);
        var test = hasTest ? SampleSummary.Of([.. testValues], lowest: 0, highest: 1) : null;
        return new CohortSummary(
            model,
            condition,
            runs.Count,
            [.. runs.Select(r => r.Seed)],
            train,
            test,
            [.. runs.Select(r => r.EpochsToFit)])
        {
            NotCompleted = runs.Count(r => !r.Completed),
        };
    }
}
