using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using RandomFit.Training.Training;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Shared;

/// <summary>Loss and accuracy against epoch or seconds, train and test, with the chance line on accuracy.</summary>
public partial class LearningCurves
{
    private const decimal HighlightWidth = 4;
    private const decimal FadedOpacity = 0.35m;

    private readonly Config _config = CurveAxes.CurveConfig();
    // Plotly draws no point for a loss of 0 on the logarithmic axis, so such an epoch leaves a gap, which
    // _zeroLossNote names below the chart.
    private readonly Plotly.Blazor.Layout _lossLayout = CreateLayout("Loss", CurveAxes.LossYAxis([]));
    private readonly Plotly.Blazor.Layout _accuracyLayout = CreateLayout("Accuracy", AccuracyYAxis());
    private IList<ITrace> _lossData = [];
    private IList<ITrace> _accuracyData = [];
    private PlotlyChart? _lossChart;
    private PlotlyChart? _accuracyChart;
    private int _drawnVersion = -1;
    private string? _drawnAxis;
    private double _drawnSmooth;
    private string? _drawnHighlight;
    private bool? _drawnDarkMode;
    private bool _redraw;
    private bool _redrawLoss;
    private bool _chartsShown;
    private bool _lossShown;
    private string? _zeroLossNote;
    private string _xAxis = "epoch";
    private double _maxX;
    private List<double> _lossValues = [];

    // Where a reader zoomed each chart. A new run mounts new charts through the page's key, which starts them unzoomed.
    private readonly ChartZoom _lossZoom = new();
    private readonly ChartZoom _accuracyZoom = new();

    [Parameter, EditorRequired] public IReadOnlyList<EpochMetrics> Epochs { get; set; } = [];

    /// <summary>Changes whenever <see cref="Epochs"/> changed, so an unchanged list is not redrawn.</summary>
    [Parameter] public int Version { get; set; }

    [Parameter] public int Classes { get; set; } = 2;

    /// <summary><c>epoch</c> or <c>seconds</c>.</summary>
    [Parameter] public string XAxis { get; set; } = "epoch";

    /// <summary>
    /// Weight of the previous smoothed value in an exponential moving average of each series, from 0 (off) to 0.99.
    /// </summary>
    [Parameter] public double Smooth { get; set; }

    /// <summary>
    /// The metric to highlight (<c>trainAccuracy</c>, <c>testAccuracy</c>, <c>trainLoss</c> or <c>testLoss</c>). Its
    /// line is drawn thicker and the other metrics' lines fade. Null draws every line alike.
    /// </summary>
    [Parameter] public string? Highlight { get; set; }

    [Parameter] public int MaxPointsPerSeries { get; set; } = SeriesDownsampling.MaxPoints;

    [Parameter] public string IdPrefix { get; set; } = "curves";

    /// <summary>Whether the page shows the dark theme, which sets the charts' text, grid and line colours.</summary>
    [CascadingParameter(Name = DarkModeCascade.Name)] public bool IsDarkMode { get; set; }

    /// <summary>The loss chart's layout, then the accuracy chart's.</summary>
    public IEnumerable<Plotly.Blazor.Layout> Layouts => [_lossLayout, _accuracyLayout];

    /// <summary>The traces currently plotted, loss chart first.</summary>
    public IEnumerable<ITrace> Traces => _lossData.Concat(_accuracyData);

    protected override void OnParametersSet()
    {
        if (Version == _drawnVersion && XAxis == _drawnAxis && Smooth == _drawnSmooth && Highlight == _drawnHighlight
            && IsDarkMode == _drawnDarkMode)
        {
            return;
        }

        ChartTheme.Apply(_lossLayout, IsDarkMode);
        ChartTheme.Apply(_accuracyLayout, IsDarkMode);

        var bySeconds = XAxis == "seconds";
        var view = CurveView.Default with { X = bySeconds ? "seconds" : "epoch", Smooth = Math.Clamp(Smooth, 0, 0.99) };
        double maxX = 0;
        if (Epochs.Count > 0)
        {
            maxX = bySeconds ? Epochs[^1].ElapsedSeconds : Epochs[^1].Epoch;
        }

        var series = CurveView.Metrics.ToDictionary(metric => metric, metric => Series(metric, view));

        // A highlighted metric without values, such as the test accuracy of a run without a test split, would only
        // fade the other lines, so it highlights nothing.
        var highlight = Highlight is { } chosen && series.TryGetValue(chosen, out var values) && values.Count > 0
            ? chosen
            : null;
        if (view.X != _xAxis)
        {
            // The other x axis starts at its full range, because uirevision names the axis.
            _lossZoom.Reset();
            _accuracyZoom.Reset();
            _lossLayout.UiRevision = $"curves-{view.X}";
            _accuracyLayout.UiRevision = $"curves-{view.X}";
        }

        _xAxis = view.X;
        _maxX = maxX;
        _lossData = [
            MetricLine("train loss", "trainLoss", series, highlight),
            MetricLine("test loss", "testLoss", series, highlight),
        ];
        _accuracyData = [
            MetricLine("train accuracy", "trainAccuracy", series, highlight),
            MetricLine("test accuracy", "testAccuracy", series, highlight),
        ];
        _lossData = _lossData.Where(trace => ((Scatter)trace).X!.Count > 0).ToList();
        _zeroLossNote = CurveAxes.ZeroLossNote(
        [
            ("train loss", CohortCurves.ZeroEpochs(Epochs, view with { Metric = "trainLoss" })),
            ("test loss", CohortCurves.ZeroEpochs(Epochs, view with { Metric = "testLoss" })),
        ]);
        _lossValues = [.. series["trainLoss"].Concat(series["testLoss"]).Select(point => point.Y)];
        ApplyTicks();
        _accuracyData = _accuracyData.Where(trace => ((Scatter)trace).X!.Count > 0).ToList();
        if (CreateChanceLine(bySeconds) is { } chance)
        {
            _accuracyData.Add(chance);
        }

        // A chart that this render mounts plots through the component itself, so only charts already shown get a
        // react call.
        var chartsWereShown = _chartsShown;
        var lossWasShown = _lossShown;
        _chartsShown = Epochs.Count > 0;
        _lossShown = _lossData.Count > 0;
        // A chart shown again mounts anew, at its full range. Without epochs neither chart is shown.
        if (!_lossShown)
        {
            _lossZoom.Reset();
        }

        if (!_chartsShown)
        {
            _accuracyZoom.Reset();
        }

        _redraw = chartsWereShown && _chartsShown;
        _redrawLoss = _redraw && lossWasShown && _lossShown;
        _drawnVersion = Version;
        _drawnAxis = XAxis;
        _drawnSmooth = Smooth;
        _drawnHighlight = Highlight;
        _drawnDarkMode = IsDarkMode;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The first render plots through the component itself; later data needs an explicit react call.
        if (firstRender || !_redraw)
        {
            return;
        }

        _redraw = false;
        await ChartRedraw.ReactAsync([_redrawLoss ? _lossChart : null, _accuracyChart]);
    }

    // Chooses the ticks of both charts for the data, or for the range a reader zoomed to.
    private void ApplyTicks()
    {
        CurveAxes.Apply(_lossLayout.XAxis[0], _xAxis, _maxX, _lossZoom.X);
        CurveAxes.ApplyLossTicks(_lossLayout.YAxis[0], _lossValues, _lossZoom.Y);
        CurveAxes.Apply(_accuracyLayout.XAxis[0], _xAxis, _maxX, _accuracyZoom.X);
    }

    // Runs after each chart's first plot, so Plotly has set up the chart's events.
    private void WatchZoom(PlotlyChart? chart) => _ = ChartRedraw.SubscribeRelayoutAsync(chart);

    // A zoom, pan or double-click chooses the chart's ticks for its new range.
    private void OnRelayout(ChartZoom zoom, PlotlyChart? chart, RelayoutEventData change)
    {
        if (!zoom.Update(change.RawData))
        {
            return;
        }

        ApplyTicks();
        _ = ChartRedraw.ReactAsync([chart]);
    }

    private static int MaxPoints(IList<ITrace> traces) =>
        traces.OfType<Scatter>().Where(trace => trace.Name != ChanceLine.Name).Select(trace => trace.X?.Count ?? 0).DefaultIfEmpty(0).Max();

    // The series leaves out epochs without the metric (no test split, a loss that stopped being finite).
    private IReadOnlyList<(double X, double Y)> Series(string metric, CurveView view) =>
        SeriesDownsampling.Downsample(CohortCurves.Series(Epochs, view with { Metric = metric }), MaxPointsPerSeries);

    private static Scatter MetricLine(
        string name,
        string metric,
        Dictionary<string, IReadOnlyList<(double X, double Y)>> series,
        string? highlight)
    {
        var line = Line(name, series[metric]);
        if (highlight is null)
        {
            return line;
        }

        if (highlight == metric)
        {
            line.Line.Width = HighlightWidth;
        }
        else
        {
            line.Opacity = FadedOpacity;
        }

        return line;
    }

    private Scatter? CreateChanceLine(bool bySeconds)
    {
        if (Epochs.Count == 0)
        {
            return null;
        }

        var first = bySeconds ? Epochs[0].ElapsedSeconds : Epochs[0].Epoch;
        var last = bySeconds ? Epochs[^1].ElapsedSeconds : Epochs[^1].Epoch;
        return ChanceLine.Create(first, last, Classes);
    }

    private static Scatter Line(string name, IReadOnlyList<(double X, double Y)> points) => new()
    {
        Name = name,
        // A single point draws no line segment, so it gets a marker.
        Mode = points.Count == 1 ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
        X = PlotNumbers.Values(points.Select(point => point.X)),
        Y = PlotNumbers.Values(points.Select(point => point.Y)),
        Line = new Line { Width = 2 },
    };

    private static YAxis AccuracyYAxis() => new()
    {
        RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero,
        Range = [0, CurveAxes.AccuracyAxisTop],
        AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.False,
    };

    private static Plotly.Blazor.Layout CreateLayout(string title, YAxis yAxis) => new()
    {
        Title = new Title { Text = title, X = 0, XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left },
        // The bottom margin leaves room for the tick labels, the axis title and one row of legend entries.
        Height = 345,
        Margin = new Margin { L = 50, R = 20, T = 40, B = 70 },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        HoverMode = HoverModeEnum.XUnified,
        // An unchanged uirevision makes Plotly keep the reader's zoom and pan across the react calls of new epochs.
        UiRevision = "curves-epoch",
        // Shown also for one trace, such as the train loss of a run without a test split, so each line is named.
        ShowLegend = true,
        Legend = [CurveAxes.LegendBelowPlot()],
        XAxis =
        [
            new XAxis
            {
                AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True,
            },
        ],
        YAxis = [yAxis],
    };
}
