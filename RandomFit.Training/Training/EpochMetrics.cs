using System.Globalization;

namespace RandomFit.Training.Training;

/// <summary>
/// Metrics of one epoch. Train figures come from evaluating the whole training set after the epoch;
/// test figures are null without a test split. Losses are null once they stop being finite.
/// </summary>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="TrainLoss">Mean loss over the training set.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified right.</param>
/// <param name="TestLoss">Mean loss over the test set.</param>
/// <param name="TestAccuracy">Fraction of test samples classified right.</param>
/// <param name="Seconds">This epoch's training pass plus the evaluation behind its metrics.</param>
/// <param name="ElapsedSeconds">Seconds since the start of epoch 1.</param>
public sealed record EpochMetrics(
    int Epoch,
    double? TrainLoss,
    double TrainAccuracy,
    double? TestLoss,
    double? TestAccuracy,
    double Seconds,
    double ElapsedSeconds)
{
    /// <summary>
    /// Rounds a mean loss to float32 precision, the precision of the per-sample losses it averages, so 1.3216542053222655
    /// becomes 1.3216542. Returns null for a loss that is not finite. Values outside float32's normal range are kept.
    /// </summary>
    public static double? Loss(double value)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }

        var single = (float)value;
        return float.IsNormal(single)
            ? double.Parse(single.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : value;
    }
}
