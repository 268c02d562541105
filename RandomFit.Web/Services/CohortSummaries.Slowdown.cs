using RandomFit.Training.Analysis;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

public static partial class CohortSummaries
{
    /// <summary>
    /// Sets the slowdown factor of each random-label cohort that has a true-label counterpart: the same model on
    /// the condition whose data differs only in its labels, or else on the first true-label condition (in spec
    /// order) with the same inputs: shape, train samples, input kind, pixel transform, standardization and file.
    /// Experiments without conditions have no counterpart, so all their factors stay null.
    /// </summary>
    private static List<CohortSummary> AddSlowdownFactors(ExperimentSpec spec, List<CohortSummary> cohorts)
    {
        if (spec.Data is not { Conditions: { Count: > 0 } conditions } data)
        {
            return cohorts;
        }

        var byCohort = cohorts.ToDictionary(c => (c.Model, c.Condition));

        // Each condition is resolved once: resolving every condition for every cohort made a summary of 500
        // conditions take about half a second.
        var resolved = conditions.Select(c => (c.Name, Data: Resolved(data, c.Name))).ToList();
        var resolvedByName = resolved
            .Where(c => c.Name is not null)
            .DistinctBy(c => c.Name)
            .ToDictionary(c => c.Name!, c => c.Data);
        var trueConditions = resolved.Where(c => c.Data.Labels == LabelKind.True).ToList();
        var result = new List<CohortSummary>(cohorts.Count);
        foreach (var cohort in cohorts)
        {
            var randomData = cohort.Condition is { } name && resolvedByName.TryGetValue(name, out var known)
                ? known
                : Resolved(data, cohort.Condition);
            var baseline = TrueLabelCondition(randomData, trueConditions);
            if (baseline is null || !byCohort.TryGetValue((cohort.Model, baseline), out var trueLabels))
            {
                result.Add(cohort);
                continue;
            }

            var factor = FitAnalysis.SlowdownFactor(cohort.EpochsToFit.ToList(), trueLabels.EpochsToFit.ToList());
            result.Add(cohort with { SlowdownFactor = factor });
        }

        return result;
    }

    // Returns the name of the true-label condition to compare a random-label condition with, or null.
    private static string? TrueLabelCondition(DataSpec randomData, List<(string? Name, DataSpec Data)> trueConditions)
    {
        if (randomData.Labels != LabelKind.Random)
        {
            return null;
        }

        var relabelled = randomData with { Labels = LabelKind.True };
        foreach (var candidate in trueConditions)
        {
            if (candidate.Data == relabelled)
            {
                return candidate.Name;
            }
        }

        foreach (var candidate in trueConditions)
        {
            if (SameInputs(candidate.Data, randomData))
            {
                return candidate.Name;
            }
        }

        return null;
    }

    // The condition's effective data without the condition list, so that two resolved conditions compare by value.
    private static DataSpec Resolved(DataSpec data, string? condition) =>
        SpecExpansion.DataFor(data, condition) with { Conditions = null };

    private static bool SameInputs(DataSpec left, DataSpec right) =>
        left.Shape == right.Shape
        && left.TrainSamples == right.TrainSamples
        && left.Inputs == right.Inputs
        && left.Pixels == right.Pixels
        && left.Standardize == right.Standardize
        && left.File == right.File;
}
