using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

public partial class CohortCharts
{
    private readonly Config _config = new() { Responsive = true, DisplayLogo = false };
    private List<ChartModel> _charts = [];
    private (int Version, CurveView View)? _drawn;

    [Parameter, EditorRequired] public ExperimentGridState State { get; set; } = null!;

    [Parameter, EditorRequired] public CurveView View { get; set; } = CurveView.Default;

    /// <summary>Changes whenever the state changed, so unchanged data is not rebuilt.</summary>
    [Parameter] public int Version { get; set; }

    /// <summary>The traces of every chart, for tests and the page's point counts.</summary>
    public IReadOnlyList<(GridColumn Column, IList<ITrace> Data)> Charts =>
        [.. _charts.Select(chart => (chart.Column, chart.Data))];

    protected override void OnParametersSet()
    {
        if (_drawn == (Version, View))
        {
            return;
        }

        _drawn = (Version, View);
        _charts = [.. State.Columns.Select((column, index) => BuildChart(column, index))];
    }

    private ChartModel BuildChart(GridColumn column, int index)
    {
        var runs = State.RunsOf(column).Select(run => ($"seed {run.Run.Seed}", run.Run.Id, run.Epochs));
        var lines = CohortCurves.Build(runs, View);
        var data = lines.Select(ToTrace).ToList();
        // A new key per version makes Blazor create a fresh chart, which plots the new data on its first render.
        var key = $"{index}-{Version}-{View}";
        return new ChartModel(column, $"cohort-chart-{index}", key, data, CreateLayout(column.Title));
    }

    private static ITrace ToTrace(CurveSeries series)
    {
        var (color, width, fill) = series.Role switch
        {
            CurveRole.Run => ("rgba(90, 120, 200, 0.35)", 1m, (FillEnum?)null),
            CurveRole.Mean => ("rgba(20, 40, 140, 1)", 2.5m, null),
            CurveRole.BandLow => ("rgba(20, 40, 140, 0)", 0m, null),
            _ => ("rgba(20, 40, 140, 0)", 0m, FillEnum.ToNextY),
        };
        return new Scatter
        {
            Name = series.Name,
            Mode = series.Points.Count == 1 ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
            X = series.Points.Select(point => (object)point.X).ToList(),
            Y = series.Points.Select(point => (object)point.Y).ToList(),
            Line = new Line { Color = color, Width = width },
            Fill = fill,
            FillColor = fill is null ? null : "rgba(20, 40, 140, 0.15)",
            ShowLegend = series.Role is CurveRole.Run or CurveRole.Mean,
        };
    }

    private Plotly.Blazor.Layout CreateLayout(string title) => new()
    {
        Title = new Title { Text = title, X = 0, XAnchor = Plotly.Blazor.LayoutLib.TitleLib.XAnchorEnum.Left },
        Height = 300,
        Margin = new Margin { L = 50, R = 10, T = 40, B = 40 },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        HoverMode = HoverModeEnum.XUnified,
        ShowLegend = false,
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = View.X } }],
        YAxis =
        [
            new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = View.Metric },
                Type = View.IsLoss ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
            },
        ],
    };

    private sealed record ChartModel(GridColumn Column, string Id, string Key, IList<ITrace> Data, Plotly.Blazor.Layout Layout);
}
