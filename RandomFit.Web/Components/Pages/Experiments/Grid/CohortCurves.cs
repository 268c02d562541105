using RandomFit.Training.Training;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>A plotted line: one run, or a cohort's mean or band edge.</summary>
public sealed record CurveSeries(string Name, CurveRole Role, IReadOnlyList<(double X, double Y)> Points, string? RunId);

public enum CurveRole { Run, Mean, BandLow, BandHigh }

/// <summary>
/// Builds the chart lines of a cohort: one per run, plus, when grouped by cohort, the mean over the runs with data and
/// a mean ± std band at the epochs where at least two runs have a value. A loss gets the geometric mean and a band of
/// the geometric mean times and divided by the geometric standard deviation, which stays above 0 on a logarithmic axis.
/// </summary>
public static class CohortCurves
{
    /// <summary>
    /// Builds one line per run and, grouped by cohort, the mean and band lines. <c>Training</c> marks a run that is
    /// queued or running and so may still add epochs. The seeds of a cohort commit their epochs one by one, so the
    /// mean and band leave out epochs that a training run has not reached yet, where they would jump. They use only
    /// the runs in <paramref name="countedRunIds"/>, such as one run per seed when a seed was rerun, or every run when
    /// it is null.
    /// </summary>
    public static IReadOnlyList<CurveSeries> Build(
        IEnumerable<(string Name, string RunId, IReadOnlyList<EpochMetrics> Epochs, bool Training)> runs,
        CurveView view,
        IReadOnlySet<string>? countedRunIds = null)
    {
        var list = runs.ToList();
        var lines = list
            .Select(run => new CurveSeries(run.Name, CurveRole.Run, Thin(Series(run.Epochs, view)), run.RunId))
            .ToList();
        if (view.Group != "seed-cohort" || lines.All(line => line.Points.Count == 0))
        {
            return lines;
        }

        var points = list
            .Where(run => countedRunIds is null || countedRunIds.Contains(run.RunId))
            .Select(run => (run.Training, Points: Smoothed(run.Epochs, view).ToList()))
            .ToList();
        var lastSharedEpoch = LastSharedEpoch(points);

        // Epoch k of every run lines up; in seconds the mean is drawn at the runs' mean elapsed time of epoch k.
        var byEpoch = points
            .SelectMany(run => run.Points)
            .Where(point => point.Epoch <= lastSharedEpoch)
            .GroupBy(point => point.Epoch)
            .OrderBy(group => group.Key)
            .Select(group => (X: group.Average(p => p.X), Values: group.Select(p => p.Y).ToList()))
            .ToList();
        if (view.IsLoss)
        {
            AddGeometricMeanAndBand(lines, byEpoch);
        }
        else
        {
            AddMeanAndBand(lines, byEpoch);
        }

        return lines;
    }

    private static void AddMeanAndBand(List<CurveSeries> lines, List<(double X, List<double> Values)> byEpoch)
    {
        var mean = byEpoch.Select(e => (e.X, Mean(e.Values))).ToList();
        lines.Add(new CurveSeries("mean", CurveRole.Mean, Thin(mean), null));

        // A standard deviation needs two values, so the band leaves out epochs that only one run has.
        var band = byEpoch
            .Where(e => e.Values.Count >= 2)
            .Select(e => (e.X, Mean: Mean(e.Values), Std: Std(e.Values)))
            .ToList();
        if (band.Count == 0)
        {
            return;
        }

        var low = band.Select(e => (e.X, e.Mean - e.Std)).ToList();
        var high = band.Select(e => (e.X, e.Mean + e.Std)).ToList();
        lines.Add(new CurveSeries("mean − std", CurveRole.BandLow, Thin(low), null));
        lines.Add(new CurveSeries("mean + std", CurveRole.BandHigh, Thin(high), null));
    }

    // The mean and standard deviation of the losses' natural logarithms, mapped back with exp: the geometric mean, and
    // the band from the geometric mean divided by the geometric standard deviation to the mean times it. An epoch where
    // a run's loss is 0 or below has no logarithm, so the mean and band leave it out.
    private static void AddGeometricMeanAndBand(List<CurveSeries> lines, List<(double X, List<double> Values)> byEpoch)
    {
        var logs = byEpoch
            .Where(e => e.Values.All(value => value > 0))
            .Select(e => (e.X, Logs: e.Values.Select(value => Math.Log(value)).ToList()))
            .ToList();
        var mean = logs.Select(e => (e.X, Math.Exp(Mean(e.Logs)))).ToList();
        lines.Add(new CurveSeries("geometric mean", CurveRole.Mean, Thin(mean), null));

        var band = logs
            .Where(e => e.Logs.Count >= 2)
            .Select(e => (e.X, Mean: Mean(e.Logs), Std: Std(e.Logs)))
            .ToList();
        if (band.Count == 0)
        {
            return;
        }

        var low = band.Select(e => (e.X, Math.Exp(e.Mean - e.Std))).ToList();
        var high = band.Select(e => (e.X, Math.Exp(e.Mean + e.Std))).ToList();
        lines.Add(new CurveSeries("÷ geometric std", CurveRole.BandLow, Thin(low), null));
        lines.Add(new CurveSeries("× geometric std", CurveRole.BandHigh, Thin(high), null));
    }

    // The mean stops at the last epoch that all training runs with data have reached. Ended runs set no limit.
    private static int LastSharedEpoch(
        IEnumerable<(bool Training, List<(int Epoch, double X, double Y)> Points)> runs) =>
        runs
            .Where(run => run.Training && run.Points.Count > 0)
            .Select(run => run.Points[^1].Epoch)
            .DefaultIfEmpty(int.MaxValue)
            .Min();

    /// <summary>Returns a run's chosen metric against the chosen x, smoothed, without the epochs that lack it.</summary>
    public static IReadOnlyList<(double X, double Y)> Series(IReadOnlyList<EpochMetrics> epochs, CurveView view) =>
        [.. Smoothed(epochs, view).Select(p => (p.X, p.Y))];

    /// <summary>
    /// Returns the epochs at which a run's chosen metric, smoothed as drawn, is 0 or below, which a logarithmic loss
    /// axis cannot draw. A float32 softmax cross-entropy rounds to exactly 0 for a sample whose other classes share
    /// less than about 6e-8 (2^-24) of the softmax, so a run that has memorized every sample can store a mean loss of 0.
    /// </summary>
    public static IReadOnlyList<int> ZeroEpochs(IReadOnlyList<EpochMetrics> epochs, CurveView view) =>
        [.. Smoothed(epochs, view).Where(point => point.Y <= 0).Select(point => point.Epoch)];

    /// <summary>Returns the metric of one epoch, or null where the run has none (no test split, a NaN loss).</summary>
    public static double? Value(EpochMetrics epoch, string metric) => metric switch
    {
        "trainAccuracy" => epoch.TrainAccuracy,
        "testAccuracy" => epoch.TestAccuracy,
        "trainLoss" => epoch.TrainLoss,
        "testLoss" => epoch.TestLoss,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    // Exponential moving average with weight `smooth` on the previous smoothed value, as TensorBoard draws it.
    private static IEnumerable<(int Epoch, double X, double Y)> Smoothed(IReadOnlyList<EpochMetrics> epochs, CurveView view)
    {
        double? previous = null;
        foreach (var epoch in epochs)
        {
            if (Value(epoch, view.Metric) is not { } y)
            {
                continue;
            }

            previous = previous is { } last ? view.Smooth * last + (1 - view.Smooth) * y : y;
            yield return (epoch.Epoch, view.BySeconds ? epoch.ElapsedSeconds : epoch.Epoch, previous.Value);
        }
    }

    private static IReadOnlyList<(double X, double Y)> Thin(IReadOnlyList<(double X, double Y)> points) =>
        SeriesDownsampling.Downsample(points);

    private static double Mean(List<double> values) => values.Average();

    private static double Std(List<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
