using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

public partial class CohortCharts
{
    /// <summary>The note under grouped loss charts that names the statistics their bold line and band show.</summary>
    public const string GeometricBandNote =
        "The bold line is the geometric mean of the seeds' losses, and the band spans it divided and multiplied by "
        + "their geometric standard deviation (the exponential of the standard deviation of the losses' natural "
        + "logarithms), so it stays above 0 on the logarithmic axis. An epoch where a seed's loss is 0 has neither.";

    private readonly Config _config = CurveAxes.CurveConfig();
    private List<ChartModel> _charts = [];
    private (int Version, CurveView View, bool IsDarkMode)? _drawn;
    private readonly Dictionary<string, PlotlyChart> _plots = new(StringComparer.Ordinal);
    private List<string> _redrawIds = [];

    // Where a reader zoomed each chart, by the chart's key. A chart mounted for a new view starts unzoomed.
    private Dictionary<string, ChartZoom> _zooms = new(StringComparer.Ordinal);

    [Parameter, EditorRequired] public ExperimentGridState State { get; set; } = null!;

    [Parameter, EditorRequired] public CurveView View { get; set; } = CurveView.Default;

    /// <summary>Changes whenever the state changed, so unchanged data is not rebuilt.</summary>
    [Parameter] public int Version { get; set; }

    /// <summary>Whether the page shows the dark theme, which sets the charts' text, grid and line colours.</summary>
    [CascadingParameter(Name = DarkModeCascade.Name)] public bool IsDarkMode { get; set; }

    /// <summary>The layout of every chart, for tests.</summary>
    public IReadOnlyList<Plotly.Blazor.Layout> Layouts => [.. _charts.Select(chart => chart.Layout)];

    /// <summary>The traces of every chart, for tests and the page's point counts.</summary>
    public IReadOnlyList<(GridColumn Column, IList<ITrace> Data)> Charts =>
        [.. _charts.Select(chart => (chart.Column, chart.Data))];

    protected override void OnParametersSet()
    {
        if (_drawn == (Version, View, IsDarkMode))
        {
            return;
        }

        // A theme switch keeps each chart's key, so mounted charts get a react call with the new colours.
        _drawn = (Version, View, IsDarkMode);
        // A seed's position among the experiment's seeds picks its colour, so it is the same in every chart.
        var seedColors = State.Seeds
            .Select((seed, position) => (seed, position))
            .ToDictionary(pair => pair.seed, pair => CurveAxes.LineColor(pair.position, IsDarkMode));
        var plottedKeys = _charts.Where(chart => chart.EmptyText is null).Select(chart => chart.Key).ToHashSet(StringComparer.Ordinal);
        _zooms = _zooms.Where(zoom => plottedKeys.Contains(zoom.Key)).ToDictionary(StringComparer.Ordinal);
        _charts = [.. State.Columns.Select((column, index) => BuildChart(column, index, seedColors))];

        // A chart that this render mounts plots its data itself, so only charts that stay mounted get a react call.
        _redrawIds = [.. _charts.Where(chart => chart.EmptyText is null && plottedKeys.Contains(chart.Key)).Select(chart => chart.Id)];
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        var ids = _redrawIds;
        _redrawIds = [];
        await ChartRedraw.ReactAsync(ids.Select(id => _plots.GetValueOrDefault(id)));
    }

    private ChartModel BuildChart(GridColumn column, int index, IReadOnlyDictionary<int, string> seedColors)
    {
        var columnRuns = State.RunsOf(column).ToList();
        var runs = columnRuns.Select(run =>
            ($"seed {run.Run.Seed}", run.Run.Id, run.Epochs, run.Status is RunStatus.Queued or RunStatus.Running));

        // A rerun keeps its own line, but the mean counts each seed once, through the run its grid cell shows.
        var counted = State.Seeds
            .Select(seed => State.Cell(seed, column)?.Run.Id)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var lines = CohortCurves.Build(runs, View, counted);
        var seedOfRun = columnRuns.ToDictionary(run => run.Run.Id, run => run.Run.Seed);
        var data = new List<ITrace>();
        var seedsInLegend = new HashSet<int>();
        foreach (var line in lines)
        {
            if (line.RunId is { } runId)
            {
                // A rerun draws a second line for its seed, which shares the seed's colour and legend entry.
                var seed = seedOfRun[runId];
                data.Add(ToTrace(line, seedColors[seed], seedsInLegend.Add(seed)));
            }
            else
            {
                data.Add(ToTrace(line, null, false));
            }
        }

        var maxX = lines.SelectMany(line => line.Points).Select(point => point.X).DefaultIfEmpty(0).Max();
        var emptyText = CurveAxes.EmptyChartText(lines, columnRuns.Any(run => run.Epochs.Count > 0), View);
        var zeroLossNote = View.IsLoss
            ? CurveAxes.ZeroLossNote(columnRuns.Select(run => ($"seed {run.Run.Seed}", CohortCurves.ZeroEpochs(run.Epochs, View))))
            : null;

        // A new view mounts a fresh chart, which plots on its first render. New data keeps the chart and its zoom, and
        // reaches the plot through a react call after the render.
        var key = $"{index}-{View}";
        var values = lines.SelectMany(line => line.Points).Select(point => point.Y).ToList();
        var chart = new ChartModel(
            column, $"cohort-chart-{index}", key, data, CreateLayout(column.Title), emptyText, zeroLossNote, maxX, values);
        ApplyTicks(chart);
        return chart;
    }

    // Chooses the chart's ticks for its data, or for the range a reader zoomed to.
    private void ApplyTicks(ChartModel chart)
    {
        var zoom = _zooms.GetValueOrDefault(chart.Key);
        CurveAxes.Apply(chart.Layout.XAxis[0], View.X, chart.MaxX, zoom?.X);
        chart.Layout.YAxis = [CurveAxes.MetricYAxis(View, chart.Values, zoom?.Y)];
        ChartTheme.Apply(chart.Layout, IsDarkMode);
    }

    // Runs after each chart's first plot, so Plotly has set up the chart's events.
    private void WatchZoom(string id) => _ = ChartRedraw.SubscribeRelayoutAsync(_plots.GetValueOrDefault(id));

    // A zoom, pan or double-click chooses the chart's ticks for its new range.
    private void OnRelayout(ChartModel chart, RelayoutEventData change)
    {
        if (!_charts.Contains(chart))
        {
            // The change came from a chart that new data has replaced since, which keeps its zoom under the same key.
            chart = _charts.FirstOrDefault(current => current.Key == chart.Key) ?? chart;
        }

        var zoom = _zooms.GetValueOrDefault(chart.Key) ?? new ChartZoom();
        if (!zoom.Update(change.RawData))
        {
            return;
        }

        _zooms[chart.Key] = zoom;
        ApplyTicks(chart);
        _ = ChartRedraw.ReactAsync([_plots.GetValueOrDefault(chart.Id)]);
    }

    private ITrace ToTrace(CurveSeries series, string? seedColor, bool firstOfSeed)
    {
        var (color, width, fill) = series.Role switch
        {
            // Ungrouped, each seed gets its own colour and legend entry.
            CurveRole.Run when !Grouped => (seedColor, 1.5m, (FillEnum?)null),
            CurveRole.Run => (IsDarkMode ? "rgba(150, 175, 240, 0.4)" : "rgba(90, 120, 200, 0.35)", 1m, null),
            CurveRole.Mean => (MeanColor(1), 2.5m, null),
            CurveRole.BandLow => (MeanColor(0), 0m, null),
            _ => (MeanColor(0), 0m, FillEnum.ToNextY),
        };
        return new Scatter
        {
            Name = series.Name,
            Mode = series.Points.Count == 1 ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
            X = PlotNumbers.Values(series.Points.Select(point => point.X)),
            Y = PlotNumbers.Values(series.Points.Select(point => point.Y)),
            Line = new Line { Color = color, Width = width },
            Marker = series.Points.Count == 1 ? new Plotly.Blazor.Traces.ScatterLib.Marker { Color = color } : null,
            Fill = fill,
            FillColor = fill is null ? null : MeanColor(IsDarkMode ? 0.2 : 0.15),
            LegendGroup = series.Role == CurveRole.Run && !Grouped ? series.Name : null,
            ShowLegend = series.Role switch
            {
                CurveRole.Run => !Grouped && firstOfSeed,
                CurveRole.Mean => true,
                _ => false,
            },
        };
    }

    private bool Grouped => View.Group == "seed-cohort";

    // The cohort mean is dark blue on the light theme and light blue on the dark one, so it contrasts with the card.
    private string MeanColor(double alpha)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return IsDarkMode
            ? string.Create(culture, $"rgba(140, 170, 255, {alpha})")
            : string.Create(culture, $"rgba(20, 40, 140, {alpha})");
    }

    // The top margin in pixels: the mode bar's row above the title's row.
    private const int TopMargin = 64;

    // The space in pixels between the title and the plot area.
    private const int TitlePadding = 10;

    // The distance in pixels from the top of a chart to its title's baseline, where Plotly puts a bottom-anchored title
    // (seen in Chromium). A model without epochs puts the baseline of its title above "no epochs yet" there too, so
    // that title lines up with the neighbouring charts' titles.
    private const int TitleBaseline = TopMargin - TitlePadding;

    // 24 px taller than the plot needs, for the title's own row, so the plot area keeps its size.
    private const int ChartHeight = 324;

    private Plotly.Blazor.Layout CreateLayout(string title)
    {
        var layout = new Plotly.Blazor.Layout
        {
            // On hover, Plotly draws its mode bar right-aligned in about the top 30 px of the chart (seen in Chromium), so
            // it overlapped a long title or one in a narrow chart. The title now sits below it, just above the plot area.
            Title = new Title
            {
                Text = title,
                X = 0,
                XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left,
                Y = 1,
                YRef = Plotly.Blazor.LayoutLib.TitleLib.YRefEnum.Paper,
                YAnchor = Plotly.Blazor.LayoutLib.TitleLib.YAnchorEnum.Bottom,
                Pad = new Plotly.Blazor.LayoutLib.TitleLib.Pad { B = TitlePadding },
            },
            Height = ChartHeight,
            Margin = new Margin { L = 50, R = 10, T = TopMargin, B = 40 },
            PaperBgColor = "rgba(0,0,0,0)",
            PlotBgColor = "rgba(0,0,0,0)",
            HoverMode = HoverModeEnum.XUnified,
            // An unchanged uirevision makes Plotly keep the reader's zoom and pan across the react calls of new epochs.
            UiRevision = "cohort",
            // Grouped, the legend would only repeat "mean" and a seed name per faint line.
            ShowLegend = !Grouped,
            XAxis = [new XAxis()],
        };
        return layout;
    }

    private sealed record ChartModel(
        GridColumn Column,
        string Id,
        string Key,
        IList<ITrace> Data,
        Plotly.Blazor.Layout Layout,
        string? EmptyText,
        string? ZeroLossNote,
        double MaxX,
        IReadOnlyList<double> Values);
}
