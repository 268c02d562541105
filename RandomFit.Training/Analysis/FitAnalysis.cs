using RandomFit.Training.Training;

namespace RandomFit.Training.Analysis;

/// <summary>How fast runs fit their training set.</summary>
public static class FitAnalysis
{
    /// <summary>Returns the first epoch whose train accuracy is 1.0, or null when the run never fits.</summary>
    public static int? EpochsToFit(IEnumerable<EpochMetrics> epochs) =>
        epochs.FirstOrDefault(epoch => epoch.TrainAccuracy >= 1.0)?.Epoch;

    /// <summary>
    /// Returns how many times more epochs a random-label cohort needs to fit than its true-label cohort: the ratio
    /// of their mean epochs-to-fit. Null when either cohort is empty or has a run that never fit, because a mean
    /// over the runs that did fit would understate the slowdown.
    /// </summary>
    public static double? SlowdownFactor(IReadOnlyCollection<int?> randomLabelEpochs, IReadOnlyCollection<int?> trueLabelEpochs)
    {
        if (randomLabelEpochs.Count == 0 || trueLabelEpochs.Count == 0)
        {
            return null;
        }

        if (randomLabelEpochs.Any(epochs => epochs is null) || trueLabelEpochs.Any(epochs => epochs is null))
        {
            return null;
        }

        return randomLabelEpochs.Average(epochs => epochs!.Value) / trueLabelEpochs.Average(epochs => epochs!.Value);
    }
}
