using System.Globalization;
using Plotly.Blazor.LayoutLib;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Shared;

/// <summary>Axis titles, epoch ticks and line colours shared by the learning-curve charts.</summary>
public static class CurveAxes
{
    /// <summary>Upper bound on the number of ticks of an epoch axis, so labels of five digits still fit a small chart.</summary>
    public const int MaxEpochTicks = 8;

    /// <summary>
    /// Upper bound on the number of labels a loss axis's data range spans, so that neighbouring labels of a chart
    /// about 220 px high stay about 20 px apart.
    /// </summary>
    public const int MaxLossTicks = 10;

    // Tick mantissas within a decade, densest first. Each set repeats in every decade of the data.
    private static readonly double[][] LossTickMantissas =
    [
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 1.5, 2, 3, 5, 7],
        [1, 2, 3, 5],
        [1, 2, 5],
        [1, 3],
    ];

    /// <summary>Upper end of an accuracy axis, a little above 1 so that a line at 100% is not cut by the frame.</summary>
    public const double AccuracyAxisTop = 1.02;

    /// <summary>Returns the readable title of a metric or x-axis query value, such as "Train accuracy" for trainAccuracy.</summary>
    public static string Title(string name) => name switch
    {
        "trainAccuracy" => "Train accuracy",
        "testAccuracy" => "Test accuracy",
        "trainLoss" => "Train loss",
        "testLoss" => "Test loss",
        "epoch" => "Epoch",
        "seconds" => "Seconds",
        _ => name,
    };

    /// <summary>
    /// Sets an x axis's title from <paramref name="x"/> (<c>epoch</c> or <c>seconds</c>) and, for epochs, fixes a
    /// whole-number tick step for data up to <paramref name="maxX"/>, or for the <paramref name="zoom"/> range a reader
    /// zoomed to. Plotly's automatic ticks put labels such as 1.5 between the first few epochs. Seconds keep the
    /// automatic ticks, and so does a zoom narrower than 2 epochs, where whole numbers would give fewer than two ticks.
    /// </summary>
    public static void Apply(XAxis axis, string x, double maxX, AxisRange? zoom = null)
    {
        axis.Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = Title(x) };
        double? step = (x, zoom) switch
        {
            ("epoch", null) => EpochTickStep(maxX),
            ("epoch", { } range) when range.High - range.Low >= 2 => EpochTickStep(range.High - range.Low),
            _ => null,
        };
        if (step is not null)
        {
            axis.TickMode = Plotly.Blazor.LayoutLib.XAxisLib.TickModeEnum.Linear;
            axis.Tick0 = 0;
            axis.DTick = step;
        }
        else
        {
            axis.TickMode = null;
            axis.Tick0 = null;
            axis.DTick = null;
        }
    }

    /// <summary>
    /// Returns the smallest step of the series 1, 2, 5, 10, 20, 50, ... that puts at most <see cref="MaxEpochTicks"/>
    /// ticks between 0 and <paramref name="maxEpoch"/>.
    /// </summary>
    public static double EpochTickStep(double maxEpoch)
    {
        var rough = maxEpoch / MaxEpochTicks;
        if (!(rough > 1))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var factor in (double[])[1, 2, 5])
        {
            if (rough <= factor * magnitude)
            {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    /// <summary>
    /// Returns the settings of a learning-curve chart. A double-click resets the axes to their first ranges, so an
    /// accuracy axis goes back to 0-1. Plotly's default autoscaled it on a chart that was not zoomed, to 0-0.58 for a
    /// run that had not passed 58%.
    /// </summary>
    public static Plotly.Blazor.Config CurveConfig() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        DoubleClick = Plotly.Blazor.ConfigLib.DoubleClickEnum.Reset,
    };

    /// <summary>
    /// Returns a horizontal legend centred at the bottom of the figure. Plotly's mode bar covers the top right corner
    /// while the pointer is over the chart, and a legend beside the plot takes most of a narrow screen's width. With
    /// the x axis's automatic margin, Plotly keeps the tick labels and the axis title clear of the legend, also when
    /// its entries wrap onto more rows on a narrow screen.
    /// </summary>
    public static Legend LegendBelowPlot() => new()
    {
        Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
        X = 0.5m,
        XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Center,
        YRef = Plotly.Blazor.LayoutLib.LegendLib.YRefEnum.Container,
        Y = 0,
        YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom,
    };

    /// <summary>
    /// Returns a y axis titled with the metric: logarithmic for a loss, and 0 to just above 1 for an accuracy, so
    /// that the charts of one page share the scale.
    /// </summary>
    public static YAxis MetricYAxis(CurveView view, IEnumerable<double> values, AxisRange? zoom = null)
    {
        var axis = view.IsLoss
            ? LossYAxis(values, zoom)
            : new YAxis
            {
                Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
                Range = [0, AccuracyAxisTop],
                AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.False,
                AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True,
            };
        axis.Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = Title(view.Metric) };
        return axis;
    }

    /// <summary>
    /// Returns an untitled logarithmic y axis for the loss <paramref name="values"/>, whose ticks all read their values,
    /// so that a memorized run's loss near 1e-8 stays apart from the early epochs' losses near 1.
    /// </summary>
    public static YAxis LossYAxis(IEnumerable<double> values, AxisRange? zoom = null)
    {
        var axis = NewLossYAxis();
        ApplyLossTicks(axis, values, zoom);
        return axis;
    }

    /// <summary>
    /// Sets the ticks of a logarithmic loss axis, as computed by <see cref="LossTickValues"/>, from the loss
    /// <paramref name="values"/> it plots, or from the <paramref name="zoom"/> range (in log10 units, as Plotly gives
    /// it) that a reader zoomed to. Leaves the choice to Plotly where that returns null.
    /// </summary>
    public static void ApplyLossTicks(YAxis axis, IEnumerable<double> values, AxisRange? zoom = null)
    {
        IReadOnlyList<double>? ticks;
        if (zoom is { } range)
        {
            ticks = LossTickValues(Math.Pow(10, range.Low), Math.Pow(10, range.High));
        }
        else
        {
            var positive = values.Where(value => value > 0 && double.IsFinite(value)).ToList();
            ticks = positive.Count == 0 ? null : LossTickValues(positive.Min(), positive.Max());
        }

        axis.TickMode = ticks is null ? null : Plotly.Blazor.LayoutLib.YAxisLib.TickModeEnum.Array;
        axis.TickVals = ticks is null ? null : PlotNumbers.Values(ticks);
    }

    /// <summary>
    /// Returns the tick values of a logarithmic axis for data from <paramref name="min"/> to <paramref name="max"/>
    /// (both above 0): the densest of the mantissa sets 1-9, 1 1.5 2 3 5 7, 1 2 3 5, 1 2 5 and 1 3, else the decades of
    /// the smallest step of 1, 2, 5, 10, ..., whose closest ticks are at least 1/<see cref="MaxLossTicks"/> of the
    /// range apart. The list runs from the decade below <paramref name="min"/> to the one above <paramref name="max"/>,
    /// and Plotly draws the ticks inside the axis's range. Returns null when fewer than three ticks fall in the range,
    /// as for a loss that stays near ln 2, where Plotly's own linear ticks read better.
    /// </summary>
    /// <remarks>
    /// Plotly's own choice for a range of one to about two decades on a chart this size labels every digit, so 0.9,
    /// 0.8 and 0.7 overlap below 1 and 0.09, 0.08 and 0.07 below 0.1.
    /// </remarks>
    public static IReadOnlyList<double>? LossTickValues(double min, double max)
    {
        if (!(min > 0) || !(max >= min) || !double.IsFinite(max))
        {
            return null;
        }

        var low = Math.Log10(min);
        var high = Math.Log10(max);
        var minGap = (high - low) / MaxLossTicks;
        var firstDecade = (int)Math.Floor(low);
        var lastDecade = (int)Math.Ceiling(high);
        var ticks = new List<double>();
        if (LossTickMantissas.FirstOrDefault(mantissas => SmallestGap(mantissas) >= minGap) is { } chosen)
        {
            for (var decade = firstDecade; decade <= lastDecade; decade++)
            {
                ticks.AddRange(chosen.Select(mantissa => Power(mantissa, decade)));
            }
        }
        else
        {
            var step = DecadeStep(minGap);
            var start = (int)Math.Floor((double)firstDecade / step) * step;
            for (var decade = start; decade <= lastDecade; decade += step)
            {
                ticks.Add(Power(1, decade));
            }
        }

        return ticks.Count(tick => tick >= min && tick <= max) >= 3 ? ticks : null;
    }

    // The smallest of 1, 2, 5, 10, 20, 50, ... decades that is at least minGap.
    private static int DecadeStep(double minGap)
    {
        for (var magnitude = 1; ; magnitude *= 10)
        {
            foreach (var factor in (int[])[1, 2, 5])
            {
                if (factor * magnitude >= minGap)
                {
                    return factor * magnitude;
                }
            }
        }
    }

    // The smallest distance in decades between neighbouring ticks of a mantissa set, the step from the last mantissa
    // to the next decade's 1 included.
    private static double SmallestGap(double[] mantissas) =>
        mantissas.Skip(1).Append(10).Zip(mantissas, (next, previous) => Math.Log10(next / previous)).Min();

    // mantissa x 10^decade as the double nearest the decimal value, so that 3e-1 is 0.3 and not 0.30000000000000004.
    private static double Power(double mantissa, int decade) =>
        double.Parse(string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{decade}"), CultureInfo.InvariantCulture);

    private static YAxis NewLossYAxis() => new()
    {
        Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log,
        // By default Plotly labels the ticks between decades with their first digit only, so 0.5 and 5 both
        // read "5". Complete labels give the whole value (0.5), in a smaller font than the decades.
        MinorLogLabels = Plotly.Blazor.LayoutLib.YAxisLib.MinorLogLabelsEnum.Complete,
        // Plotly's default format writes ticks below 0.001 with SI prefixes, as "500μ" beside "0.001".
        ExponentFormat = Plotly.Blazor.LayoutLib.YAxisLib.ExponentFormatEnum.None,
        // Without a tick format, format "none" (Plotly 3.7) wrote 1e-8 as "1.0000005e-8" and 1e-10 as
        // "1.0000005000000001", so a memorized run's loss read as 1 at the bottom of the axis. The d3 format
        // "~g" writes decimals down to 0.000001 and smaller values as 1e-8.
        TickFormat = "~g",
        // Widens the left margin for labels such as 0.000001, which the fixed margin cut at the chart's edge.
        AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True,
    };

    /// <summary>
    /// Returns the text shown in place of a chart whose lines have no points, where Plotly's default axes (y from -1
    /// to 4) would mean nothing, or null when some line has a point. <paramref name="anyEpochs"/> is whether the
    /// runs stored epochs, which then lack the metric, such as a test metric without a test split.
    /// </summary>
    public static string? EmptyChartText(IEnumerable<CurveSeries> lines, bool anyEpochs, CurveView view)
    {
        if (lines.Any(line => line.Points.Count > 0))
        {
            return null;
        }

        return anyEpochs ? $"no {Title(view.Metric).ToLowerInvariant()} values" : "no epochs yet";
    }

    /// <summary>
    /// Returns a note under a loss chart that names, for each line, the epochs whose loss is 0 (as
    /// <see cref="CohortCurves.ZeroEpochs"/> finds them), or null when no line has one. Plotly draws no point for 0
    /// on a logarithmic axis, so without the note a loss that reached 0 would look like missing data.
    /// </summary>
    public static string? ZeroLossNote(IEnumerable<(string Name, IReadOnlyList<int> Epochs)> lines)
    {
        var parts = lines
            .Where(line => line.Epochs.Count > 0)
            .Select(line => $"{line.Name} at {EpochRanges(line.Epochs)}")
            .ToList();
        return parts.Count == 0
            ? null
            : $"A logarithmic axis cannot draw a loss of 0, so the chart leaves out {string.Join("; ", parts)}.";
    }

    // Writes ascending epochs as ranges, such as "epochs 4-5 and 1,802-1,804". Ranges past the fifth are counted, so
    // a loss that keeps returning to 0 does not fill the page.
    private static string EpochRanges(IReadOnlyList<int> epochs)
    {
        var ranges = new List<(int First, int Last)>();
        foreach (var epoch in epochs)
        {
            if (ranges.Count > 0 && ranges[^1].Last == epoch - 1)
            {
                ranges[^1] = (ranges[^1].First, epoch);
            }
            else
            {
                ranges.Add((epoch, epoch));
            }
        }

        const int maxListed = 5;
        var listed = ranges.Take(maxListed)
            .Select(range => range.First == range.Last
                ? Counted.Number(range.First)
                : $"{Counted.Number(range.First)}-{Counted.Number(range.Last)}")
            .ToList();
        var rest = ranges.Skip(maxListed).Sum(range => range.Last - range.First + 1);
        if (rest > 0)
        {
            listed.Add(Counted.Of(rest, "more epoch"));
        }

        var text = listed.Count == 1 ? listed[0] : $"{string.Join(", ", listed[..^1])} and {listed[^1]}";
        return (epochs.Count == 1 ? "epoch " : "epochs ") + text;
    }

    /// <summary>
    /// Returns the colour of the line at <paramref name="index"/>. Hues step by the golden angle (about 137.5°), so
    /// consecutive lines differ clearly and even many lines rarely share a colour. The dark theme gets lighter tints,
    /// because the light theme's 42% lightness is too dark to see on its surface.
    /// </summary>
    public static string LineColor(int index, bool isDark = false)
    {
        var hue = index * 137.508 % 360;
        var lightness = isDark ? 68 : 42;
        return string.Create(CultureInfo.InvariantCulture, $"hsl({hue:0}, 70%, {lightness}%)");
    }
}
