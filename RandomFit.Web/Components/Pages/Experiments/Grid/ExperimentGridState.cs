using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Runs;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>A column of the grid: one model variant on one data condition.</summary>
public sealed record GridColumn(string Model, string? Condition)
{
    public string Title => Condition is null ? Model : $"{Model} · {Condition}";
}

/// <summary>
/// The experiment grid: seeds as rows, model variants (x conditions) as columns, and cohort summaries computed
/// by the same function as <c>GET /api/experiments/{id}/summary</c>. Runs are held in creation order.
/// </summary>
public sealed class ExperimentGridState(ExperimentSpec spec, IEnumerable<GridRun> runs)
{
    private readonly List<GridRun> _runs = [.. runs];

    public ExperimentSpec Spec { get; } = spec;

    public IReadOnlyList<GridRun> Runs => _runs;

    public IReadOnlyList<GridColumn> Columns { get; } =
        [.. CohortSummaries.PlannedCohorts(spec).Select(c => new GridColumn(c.Model, c.Condition))];

    public IReadOnlyList<int> Seeds => [.. _runs.Select(r => r.Run.Seed).Distinct().Order()];

    /// <summary>
    /// Returns the run the summary counts for a seed in a column, as <see cref="CohortSummaries.CountedRun"/> picks
    /// it from the runs with a stored epoch. Without such runs it returns the newest run, or null. A rerun that has
    /// not trained yet, or was cancelled, so leaves the cell on the run the summary still counts.
    /// </summary>
    public GridRun? Cell(int seed, GridColumn column)
    {
        var candidates = _runs
            .Where(r => r.Run.Seed == seed && r.Run.Model == column.Model && r.Run.Condition == column.Condition)
            .ToList();
        var trained = candidates.Where(r => r.Epochs.Count > 0).ToList();
        return CohortSummaries.CountedRun(trained, r => r.Status == RunStatus.Cancelled) ?? candidates.LastOrDefault();
    }

    public IEnumerable<GridRun> RunsOf(GridColumn column) =>
        _runs.Where(r => r.Run.Model == column.Model && r.Run.Condition == column.Condition);

    public bool HasTestSplit(GridColumn column) => CohortSummaries.HasTestSplit(Spec, column.Condition);

    /// <summary>
    /// Returns whether a run's train loss has stayed at ln(classes), as the run page's hint detects it. Such a model
    /// predicts every class equally and is not learning. A low accuracy alone does not tell it from a slow learner.
    /// </summary>
    public bool IsLossAtChance(GridRun run, GridColumn column) =>
        RunInsights.IsLossAtChance(run.Epochs, DataOf(column).Classes);

    /// <summary>Chance accuracy, 1/classes, of a column's data.</summary>
    public double Chance(GridColumn column) => 1.0 / DataOf(column).Classes;

    /// <summary>Estimated majority-class share of a column's training labels.</summary>
    public double MajorityShare(GridColumn column)
    {
        var data = DataOf(column);
        return MajorityShareEstimate.Of(data.TrainSamples ?? 0, data.Classes);
    }

    public IReadOnlyList<CohortSummary> Summaries()
    {
        var outcomes = _runs
            .Select((run, index) => (run, index))
            .Where(pair => pair.run.Final is not null)
            .Select(pair => new RunOutcome(
                pair.run.Run.Id,
                pair.run.Run.Model,
                pair.run.Run.Condition,
                pair.run.Run.Seed,
                pair.index,
                pair.run.Final!.TrainAccuracy,
                pair.run.Final.TestAccuracy,
                pair.run.EpochsToFit,
                pair.run.Status == RunStatus.Cancelled,
                pair.run.Status == RunStatus.Completed));
        return CohortSummaries.Summarise(Spec, outcomes);
    }

    public void Add(GridRun run)
    {
        if (_runs.All(r => r.Run.Id != run.Run.Id))
        {
            _runs.Add(run);
        }
    }

    public bool Contains(string runId) => _runs.Any(r => r.Run.Id == runId);

    /// <summary>Applies a feed event to a run of the grid; returns whether anything shown changed.</summary>
    public bool Apply(RunEvent runEvent)
    {
        var run = _runs.FirstOrDefault(r => r.Run.Id == runEvent.RunId);
        switch (runEvent)
        {
            case EpochEvent epoch when run is not null:
                return run.Append(epoch.Metrics);
            case StatusEvent status when run is not null:
                run.Status = status.Status;
                return true;
            case ResetEvent reset when run is not null:
                run.ResetAfter(reset.FromEpoch);
                return true;
            default:
                return false;
        }
    }

    private DataSpec DataOf(GridColumn column) =>
        Spec.Data is null ? new DataSpec() : SpecExpansion.DataFor(Spec.Data, column.Condition);
}
