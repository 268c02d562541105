using RandomFit.Training.Training;

namespace RandomFit.Web.Components.Pages.Runs;

/// <summary>Figures the run page derives from the epochs: the ETA and the stalled-loss hint.</summary>
public static class RunInsights
{
    /// <summary>Epochs in a row at ln(classes) before the page suggests a fix.</summary>
    public const int PlateauEpochs = 5;

    // The ETA averages recent epochs, because the first ones carry warm-up cost.
    private const int EtaWindow = 20;

    /// <summary>
    /// Returns whether the train loss has stayed within 2% of ln(classes), and flat within 0.5%, for the last
    /// <see cref="PlateauEpochs"/> epochs: the loss of predicting every class equally, where a model is stuck.
    /// </summary>
    public static bool IsLossAtChance(IReadOnlyList<EpochMetrics> epochs, int classes)
    {
        if (classes < 2 || epochs.Count < PlateauEpochs)
        {
            return false;
        }

        var chanceLoss = Math.Log(classes);
        var lowest = double.MaxValue;
        var highest = double.MinValue;
        for (var i = epochs.Count - PlateauEpochs; i < epochs.Count; i++)
        {
            if (epochs[i].TrainLoss is not { } loss || Math.Abs(loss - chanceLoss) > 0.02 * chanceLoss)
            {
                return false;
            }

            lowest = Math.Min(lowest, loss);
            highest = Math.Max(highest, loss);
        }

        // Every run starts near ln(classes), so a loss that is still falling inside the band is learning, not stuck.
        return highest - lowest <= 0.005 * chanceLoss;
    }

    /// <summary>Estimates the time left from the mean of the recent epochs' durations, or null before the first.</summary>
    public static TimeSpan? EstimateRemaining(IReadOnlyList<EpochMetrics> epochs, int totalEpochs)
    {
        if (epochs.Count == 0)
        {
            return null;
        }

        var recent = epochs.Skip(Math.Max(0, epochs.Count - EtaWindow)).ToList();
        var secondsPerEpoch = recent.Average(epoch => epoch.Seconds);
        var left = Math.Max(0, totalEpochs - epochs[^1].Epoch);
        return TimeSpan.FromSeconds(secondsPerEpoch * left);
    }

    public static string FormatDuration(TimeSpan duration) => duration.TotalSeconds switch
    {
        < 1 => "under a second",
        < 90 => $"{duration.TotalSeconds:F0} s",
        < 5400 => $"{duration.TotalMinutes:F0} min",
        _ => $"{duration.TotalHours:F1} h",
    };
}
