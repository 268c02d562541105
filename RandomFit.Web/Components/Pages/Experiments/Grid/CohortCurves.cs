using RandomFit.Training.Training;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>A plotted line: one run, or a cohort's mean or band edge.</summary>
public sealed record CurveSeries(string Name, CurveRole Role, IReadOnlyList<(double X, double Y)> Points, string? RunId);

public enum CurveRole { Run, Mean, BandLow, BandHigh }

/// <summary>
/// Builds the chart lines of a cohort: one per run, plus, when grouped by cohort, the mean over the runs with data and
/// a mean ± std band when there are at least two.
/// </summary>
public static class CohortCurves
{
    public static IReadOnlyList<CurveSeries> Build(IEnumerable<(string Name, string RunId, IReadOnlyList<EpochMetrics> Epochs)> runs, CurveView view)
    {
        var list = runs.ToList();
        var lines = list
            .Select(run => new CurveSeries(run.Name, CurveRole.Run, Thin(Series(run.Epochs, view)), run.RunId))
            .ToList();
        var runsWithData = lines.Count(line => line.Points.Count > 0);
        if (view.Group != "seed-cohort" || runsWithData == 0)
        {
            return lines;
        }

        // With one run the mean is that run's line. With more, an epoch only one run has reached is left out, so the
        // mean does not jump to the leading run's value.
        var minimumRuns = Math.Min(2, runsWithData);

        // Epoch k of every run lines up; in seconds the mean is drawn at the runs' mean elapsed time of epoch k.
        var byEpoch = list
            .SelectMany(run => Smoothed(run.Epochs, view))
            .GroupBy(point => point.Epoch)
            .OrderBy(group => group.Key)
            .Where(group => group.Count() >= minimumRuns)
            .Select(group => (X: group.Average(p => p.X), Values: group.Select(p => p.Y).ToList()))
            .ToList();
        var mean = byEpoch.Select(e => (e.X, Mean(e.Values))).ToList();
        lines.Add(new CurveSeries("mean", CurveRole.Mean, Thin(mean), null));
        if (runsWithData < 2)
        {
            // A standard deviation needs two values, so a cohort of one has no band.
            return lines;
        }

        var std = byEpoch.Select(e => Std(e.Values)).ToList();
        lines.Add(new CurveSeries("mean − std", CurveRole.BandLow, Thin([.. mean.Select((m, i) => (m.X, m.Item2 - std[i]))]), null));
        lines.Add(new CurveSeries("mean + std", CurveRole.BandHigh, Thin([.. mean.Select((m, i) => (m.X, m.Item2 + std[i]))]), null));
        return lines;
    }

    /// <summary>Returns a run's chosen metric against the chosen x, smoothed, without the epochs that lack it.</summary>
    public static IReadOnlyList<(double X, double Y)> Series(IReadOnlyList<EpochMetrics> epochs, CurveView view) =>
        [.. Smoothed(epochs, view).Select(p => (p.X, p.Y))];

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
