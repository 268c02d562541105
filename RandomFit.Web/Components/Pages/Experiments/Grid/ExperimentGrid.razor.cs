using RandomFit.Web.Components.Shared;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using RandomFit.Training.Analysis;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

public partial class ExperimentGrid
{
    private IReadOnlyList<CohortSummary> _summaries = [];

    [Parameter, EditorRequired] public ExperimentGridState State { get; set; } = null!;

    /// <summary>Changes whenever the state changed, so the cohort summaries are recomputed only then.</summary>
    [Parameter] public int Version { get; set; }

    protected override void OnParametersSet()
    {
        _summaries = State.Summaries();
    }

    private IEnumerable<(string Label, Func<CohortSummary, SampleSummary?> Pick)> SummaryRows()
    {
        yield return ("train (n, mean ± std, 95% CI)", cohort => cohort.TrainAccuracy);
        if (State.Columns.Any(State.HasTestSplit))
        {
            yield return ("test (n, mean ± std, 95% CI)", cohort => cohort.TestAccuracy);
        }
    }

    /// <summary>
    /// Lists one scale per distinct (chance, majority share) pair, because both depend only on the classes and
    /// samples of a column's data. With several data conditions, each scale is labelled with the conditions it
    /// belongs to, so the scales of a sweep over sample counts are distinguishable.
    /// </summary>
    private IEnumerable<(GridColumn Column, string? Conditions)> LegendScales()
    {
        var labelled = State.Spec.Data?.Conditions is { Count: > 1 };
        foreach (var scale in State.Columns.GroupBy(column => (State.Chance(column), State.MajorityShare(column))))
        {
            var names = scale.Select(column => column.Condition).OfType<string>().Distinct().ToList();
            string? conditions = null;
            if (labelled && names.Count > 0)
            {
                conditions = names.Count == 1 ? $"condition {names[0]}" : $"conditions {string.Join(", ", names)}";
            }

            yield return (scale.First(), conditions);
        }
    }

    private string CellStyle(GridRun run, GridColumn column)
    {
        if (run.Final is not { } final)
        {
            return "";
        }

        var chance = State.Chance(column);
        var strength = Math.Clamp((final.TrainAccuracy - chance) / (1 - chance), 0, 1);
        var alpha = (0.08 + 0.6 * strength).ToString("0.###", CultureInfo.InvariantCulture);
        // The colour comes from app.css, which darkens it in the dark theme so the cell's text stays readable.
        return $"background-color: rgba(var(--rf-fit-rgb), {alpha})";
    }

    private static string SummaryText(CohortSummary cohort, SampleSummary? summary)
    {
        // The summary counts running and ended runs with their last epoch, so the row shows how many of n those are.
        var count = cohort.NotCompleted == 0 ? $"n {cohort.N}" : $"n {cohort.N}, {cohort.NotCompleted} not completed";
        if (summary is null)
        {
            return cohort.N == 0 ? "n 0" : $"{count} · no test split";
        }

        var text = $"{count} · {Percent(summary.Mean)}";
        if (summary.Std is { } std)
        {
            text += $" ± {Percent(std)} · CI [{Percent(summary.CiLow)}, {Percent(summary.CiHigh)}]";
        }

        return text;
    }

    private static string Position(double share) =>
        (100 * Math.Clamp(share, 0, 1)).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Percent(double? value) => Percentages.Format(value);

    private static string Factor(double? factor) =>
        factor is { } value ? value.ToString("0.0", CultureInfo.InvariantCulture) + "×" : "–";

    // A no-break space (U+00A0) keeps the number and "pp" (percentage points) on one line in a narrow cell.
    private static string Points(double? gap) =>
        gap is { } value ? (100 * value).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "\u00A0pp" : "–";

    private static string StatusName(RunStatus status) => StatusNames.ToName(status);

    // Only a completed run trained every epoch, so any other run below 100% reads "not yet" rather than "never".
    private static string FitText(GridRun run)
    {
        if (run.EpochsToFit is { } fitEpoch)
        {
            return $"100% at epoch {fitEpoch.ToString(CultureInfo.InvariantCulture)}";
        }

        return run.Status == RunStatus.Completed ? "never 100%" : "not yet 100%";
    }

    /// <summary>
    /// Describes how far a run that has not completed got, such as "running, epoch 8 of 20" or "cancelled at epoch 5
    /// of 40", so that its figures do not read as final. Returns null for a completed run.
    /// </summary>
    private static string? ProgressText(GridRun run)
    {
        var total = Counted.Number(run.Run.TotalEpochs);
        var last = run.Final is { } final ? Counted.Number(final.Epoch) : null;
        return run.Status switch
        {
            RunStatus.Completed => null,
            RunStatus.Queued when last is null => "queued",
            // A resumed run waits in the queue with the epochs it stored before.
            RunStatus.Queued => $"queued, epoch {last} of {total} so far",
            RunStatus.Running when last is null => $"running, no epoch of {total} yet",
            RunStatus.Running => $"running, epoch {last} of {total}",
            _ when last is null => $"{StatusName(run.Status)} before epoch 1 of {total}",
            _ => $"{StatusName(run.Status)} at epoch {last} of {total}",
        };
    }
}
