using RandomFit.Training.Analysis;

namespace RandomFit.Web.Apis;

/// <summary>The body of <c>GET /api/experiments/{id}/summary</c>.</summary>
public sealed record ExperimentSummary(string ExperimentId, IReadOnlyList<CohortSummary> Cohorts);

/// <summary>
/// Final figures of one cohort (one model on one condition, across seeds). Accuracies summarise the last stored
/// epoch of each counted run. <see cref="EpochsToFit"/> lists, per seed in <see cref="Seeds"/> order, the first
/// epoch with train accuracy 1.0, or null when the run never reached it.
/// </summary>
public sealed record CohortSummary(
    string Model,
    string? Condition,
    int N,
    IReadOnlyList<int> Seeds,
    SampleSummary? TrainAccuracy,
    SampleSummary? TestAccuracy,
    IReadOnlyList<int?> EpochsToFit)
{
    /// <summary>
    /// Ratio of this random-label cohort's mean epochs-to-fit to that of the same model on a true-label condition
    /// of the same inputs. Null for true-label cohorts, experiments without conditions, cohorts without such a
    /// counterpart, and when either cohort is empty or has a run that never fit.
    /// </summary>
    public double? SlowdownFactor { get; init; }

    /// <summary>
    /// Number of the <see cref="N"/> counted runs that have not completed (running, failed, cancelled or
    /// interrupted). Their figures come from the last epoch they stored, not from a finished run.
    /// </summary>
    public int NotCompleted { get; init; }
}

/// <summary>The body of <c>POST /api/experiments/{id}/seeds</c>.</summary>
public sealed record AddSeedsRequest
{
    public IReadOnlyList<int>? Seeds { get; init; }
}
