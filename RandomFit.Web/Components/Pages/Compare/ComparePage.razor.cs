using RandomFit.Web.Components.Shared;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using MudBlazor;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Components.Pages.Runs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Compare;

public partial class ComparePage(
    IRunService runs,
    IExperimentService experiments,
    IRunEventsFeed feed,
    TimeProvider timeProvider,
    NavigationManager navigation,
    IJSRuntime js,
    ISnackbar snackbar)
{
    // The chart's height in pixels: the plot and its axes, plus about one legend row (an estimate for Plotly's
    // default 12 px legend font) per run.
    private const int ChartHeightWithoutLegend = 360;
    private const int LegendRowHeight = 20;

    private readonly Config _config = CurveAxes.CurveConfig();
    private List<ComparedRun> _runs = [];

    // The compared runs by id, each as stored and then updated by the feed's events. The page replaces the whole
    // dictionary when the runs parameter changes and never adds or removes entries, so the publisher's thread can
    // read it.
    private IReadOnlyDictionary<string, RunLiveState> _live = new Dictionary<string, RunLiveState>();
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;
    private IReadOnlyList<string> _differing = [];
    private IList<ITrace> _data = [];
    private Plotly.Blazor.Layout _layout = new();
    private CurveView _view = CurveView.Default;

    // Removed when the page closes.
    private readonly CopiedLinkMessage _linkMessage = new(js, snackbar);
    private string? _loadedRuns;
    private string? _problem;
    private IReadOnlyList<string> _queryProblems = [];
    private string _chartKey = "";
    private PlotlyChart? _chart;

    // Where the reader zoomed the chart. A chart mounted for other runs or another view starts unzoomed.
    private readonly ChartZoom _zoom = new();
    private double _maxX;
    private List<double> _values = [];
    private bool _redraw;
    private string? _emptyChartText;

    // The note below an accuracy chart about its chance line. Null for a loss chart and when a run's classes are unknown.
    private string? _chanceNote;
    private string? _zeroLossNote;
    private bool _loaded;

    // Experiments deleted since the page subscribed, kept across loads because a deletion can arrive during one.
    private readonly HashSet<string> _deletedExperiments = [];

    // The compared runs that the page dropped because their experiment was deleted, in the order they were listed.
    private List<string> _deletedRuns = [];

    [SupplyParameterFromQuery(Name = "runs")] public string? Runs { get; set; }

    [SupplyParameterFromQuery(Name = "metric")] public string? Metric { get; set; }

    /// <summary>Whether the page shows the dark theme. A switch runs the parameter methods, which redraw the chart.</summary>
    [CascadingParameter(Name = DarkModeCascade.Name)] public bool IsDarkMode { get; set; }

    [SupplyParameterFromQuery(Name = "x")] public string? X { get; set; }

    [SupplyParameterFromQuery(Name = "smooth")] public string? Smooth { get; set; }

    protected override void OnInitialized()
    {
        _throttle = new RenderThrottle(timeProvider, RenderThrottle.DefaultInterval, () => InvokeAsync(() =>
        {
            ShowLiveRuns();
            StateHasChanged();
        }));
        _subscription = feed.Subscribe(OnRunEvent);
    }

    // Runs when the query changes too, so following a link to another comparison updates the page in place.
    protected override async Task OnParametersSetAsync()
    {
        var repeated = CurveView.Repeated(navigation.Uri, "metric", "x", "smooth");
        Metric = repeated.ContainsKey("metric") ? null : Metric;
        X = repeated.ContainsKey("x") ? null : X;
        Smooth = repeated.ContainsKey("smooth") ? null : Smooth;
        _view = CurveView.Parse(Metric, X, Smooth, "none");
        var parsed = RunComparison.ParseIds(Runs);
        // One notice at the top, so a wrong view value is named even when no run can be shown.
        _queryProblems =
        [
            .. RepeatedRunsProblems(), .. RepeatedIdProblems(parsed.Repeated), .. repeated.Values, .. GroupProblems(),
            .. CurveView.Problems(Metric, X, Smooth, null),
        ];
        if (Runs != _loadedRuns || !_loaded)
        {
            _loadedRuns = Runs;
            await LoadAsync(parsed.Ids, parsed.Malformed);
        }

        ShowLiveRuns();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        _throttle?.MarkRendered();
        if (!_redraw || _chart is null)
        {
            return;
        }

        _redraw = false;
        await ChartRedraw.ReactAsync([_chart]);
    }

    private async Task LoadAsync(IReadOnlyList<string> ids, IReadOnlyList<string> malformed)
    {
        // Set before loading because the feed is already subscribed. Events published during the load wait in each
        // run's buffer and are applied on top of the stored run.
        var live = ids.ToDictionary(id => id, id => new RunLiveState(id));
        _live = live;
        var unknown = new List<string>();
        var loaded = new List<ComparedRun>();
        var experimentsById = new Dictionary<string, ExperimentDetails?>();
        foreach (var id in ids)
        {
            var run = await runs.GetAsync(id, Closing);
            live[id].Load(run);
            if (run is null)
            {
                unknown.Add(id);
                continue;
            }

            if (!experimentsById.TryGetValue(run.ExperimentId, out var experiment))
            {
                experiment = await experiments.GetAsync(run.ExperimentId, Closing);
                experimentsById[run.ExperimentId] = experiment;
            }

            loaded.Add(new ComparedRun(run, experiment?.Spec ?? new Training.Specs.ExperimentSpec(), experiment?.Name));
        }

        if (_live != live)
        {
            // A later change of the runs parameter started another load, which shows its own runs.
            return;
        }

        _runs = loaded;
        _deletedRuns = [];
        DropDeletedRuns();
        _differing = RunComparison.DifferingFields(_runs);
        _problem = Problem(malformed, unknown, loaded.Count);
        _loaded = true;
    }

    private string DeletedRunsText =>
        $"These runs were deleted with their experiment, so the comparison no longer shows them: {Quote(_deletedRuns)}.";

    // Removes the runs of deleted experiments from the comparison and names them in the deleted notice.
    private bool DropDeletedRuns()
    {
        var deleted = _runs.Where(compared => _deletedExperiments.Contains(compared.Run.ExperimentId)).ToList();
        if (deleted.Count == 0)
        {
            return false;
        }

        _deletedRuns.AddRange(deleted.Select(compared => compared.Run.Id));
        _runs = [.. _runs.Except(deleted)];
        return true;
    }

    private static string? Problem(IReadOnlyList<string> malformed, IReadOnlyList<string> unknown, int shownCount)
    {
        var parts = new List<string>();
        if (malformed.Count > 0)
        {
            parts.Add($"These run ids are malformed (ids are 1 to 64 letters, digits, '-' and '_'): {Quote(malformed)}.");
        }

        if (unknown.Count > 0)
        {
            parts.Add($"No run has these ids: {Quote(unknown)}.");
        }

        if (parts.Count == 0)
        {
            return null;
        }

        parts.Add(shownCount == 0 ? "No run can be shown." : "The other runs are shown.");
        return string.Join(" ", parts);
    }

    // Blazor supplies only the first value of a repeated query parameter, so the values it leaves out are named in a
    // notice.
    private IReadOnlyList<string> RepeatedRunsProblems()
    {
        var query = QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query);
        if (!query.TryGetValue("runs", out var values) || values.Count < 2)
        {
            return [];
        }

        var ignored = values.ToList();
        ignored.Remove(Runs);
        var quoted = string.Join(", ", ignored.Select(value => EchoedText.Quote(value ?? "")));
        var combined = string.Join(",", values.Where(value => !string.IsNullOrWhiteSpace(value)));
        return [$"Ignored repeated runs {quoted}: list every run id in one runs parameter, separated by commas (runs={combined})."];
    }

    // Runs on the publisher's thread, so it hops onto the circuit's dispatcher before touching state.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is ExperimentDeletedEvent deleted)
        {
            _ = OnCircuit(() =>
            {
                _deletedExperiments.Add(deleted.ExperimentId);
                if (DropDeletedRuns())
                {
                    _differing = RunComparison.DifferingFields(_runs);
                    ShowLiveRuns();
                    StateHasChanged();
                }

                return Task.CompletedTask;
            });
            return;
        }

        if (!_live.ContainsKey(runEvent.RunId))
        {
            return;
        }

        _ = OnCircuit(async () =>
        {
            if (!_live.TryGetValue(runEvent.RunId, out var state) || !state.Apply(runEvent))
            {
                return;
            }

            // A status event carries no parameter count, device or times, and a run that starts gets them.
            if (runEvent is StatusEvent && await runs.GetAsync(runEvent.RunId, Closing) is { } stored)
            {
                state.Refresh(stored);
            }

            await _throttle!.RequestAsync();
        });
    }

    // Takes each compared run's status and epochs from its live state, then redraws the chart from them.
    private void ShowLiveRuns()
    {
        _runs = [.. _runs.Select(WithLiveState)];
        BuildChart();
    }

    private ComparedRun WithLiveState(ComparedRun compared)
    {
        if (!_live.TryGetValue(compared.Run.Id, out var state) || state.Run is not { } run)
        {
            return compared;
        }

        // The spec fields stay as computed on load, because a run's model and condition never change.
        return compared with { Run = run with { Status = state.Status, Error = state.Error, Epochs = [.. state.Epochs] } };
    }

    // The page shows a run once however often the runs parameter lists it.
    private static IReadOnlyList<string> RepeatedIdProblems(IReadOnlyList<string> repeated)
    {
        if (repeated.Count == 0)
        {
            return [];
        }

        var quoted = string.Join(", ", repeated.Select(id => EchoedText.Quote(id)));
        var noun = repeated.Count == 1 ? "run id" : "run ids";
        return [$"Ignored repeated {noun} {quoted} in runs: each run is shown once."];
    }

    // Every compared run gets its own line, so the experiment page's group parameter has no meaning here.
    private IReadOnlyList<string> GroupProblems() =>
        CurveView.Ignored(navigation.Uri, "group", "the compare page draws one line per run and has no grouping");

    private static string Quote(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Select(id => EchoedText.Quote(id, '"')));

    private void BuildChart()
    {
        var chartWasShown = _emptyChartText is null;
        var names = RunComparison.LineNames(_runs);
        var lines = CohortCurves.Build(
            _runs.Select((c, index) => (
                names[index],
                c.Run.Id,
                c.Run.Epochs,
                c.Run.Status is RunStatus.Queued or RunStatus.Running)),
            _view);
        _data = [.. lines.Select(line => (ITrace)new Scatter
        {
            Name = line.Name,
            Mode = line.Points.Count == 1 ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
            X = PlotNumbers.Values(line.Points.Select(point => point.X)),
            Y = PlotNumbers.Values(line.Points.Select(point => point.Y)),
        })];
        _emptyChartText = CurveAxes.EmptyChartText(lines, _runs.Any(c => c.Run.Epochs.Count > 0), _view);
        _zeroLossNote = _view.IsLoss
            ? CurveAxes.ZeroLossNote(_runs.Select((c, index) => (names[index], CohortCurves.ZeroEpochs(c.Run.Epochs, _view))))
            : null;
        AddChanceLine(lines);

        // Other runs or another view mount a fresh chart, which plots on its first render. New data keeps the chart
        // and the reader's zoom, and reaches the plot through a react call after the render.
        var key = $"{Runs}|{_view}";
        _redraw = key == _chartKey && chartWasShown && _emptyChartText is null;
        if (key != _chartKey || _emptyChartText is not null)
        {
            _zoom.Reset();
        }

        _chartKey = key;
        _maxX = lines.SelectMany(line => line.Points).Select(point => point.X).DefaultIfEmpty(0).Max();
        _values = [.. lines.SelectMany(line => line.Points).Select(point => point.Y)];
        _layout = new Plotly.Blazor.Layout
        {
            // On a narrow screen a long run name fills a legend row below the plot, and the plot keeps what is left.
            Height = ChartHeightWithoutLegend + (LegendRowHeight * _data.Count),
            // The top margin keeps Plotly's mode bar, shown at the top right while the pointer is over the chart, off
            // the plot.
            Margin = new Plotly.Blazor.LayoutLib.Margin { L = 60, R = 20, T = 40, B = 40 },
            // NOTE: a name wider than the chart is cut at its right edge, and only the hover label shows it whole.
            Legend = [CurveAxes.LegendBelowPlot()],
            HoverMode = HoverModeEnum.XUnified,
            // By default Plotly (namelength 15) cuts a longer hover name to 12 characters and an ellipsis, which
            // drops the part that distinguishes two runs.
            HoverLabel = new Plotly.Blazor.LayoutLib.HoverLabel { NameLength = -1 },
            PaperBgColor = "rgba(0,0,0,0)",
            PlotBgColor = "rgba(0,0,0,0)",
            // An unchanged uirevision makes Plotly keep the reader's zoom and pan across the react calls of new epochs.
            UiRevision = "compare",
            XAxis = [new XAxis { AutoMargin = Plotly.Blazor.LayoutLib.XAxisLib.AutoMarginFlag.True }],
        };
        ApplyTicks();
    }

    // Chooses the chart's ticks for its data, or for the range the reader zoomed to.
    private void ApplyTicks()
    {
        CurveAxes.Apply(_layout.XAxis[0], _view.X, _maxX, _zoom.X);
        _layout.YAxis = [CurveAxes.MetricYAxis(_view, _values, _zoom.Y)];
        ChartTheme.Apply(_layout, IsDarkMode);
    }

    // Runs after the chart's first plot, so Plotly has set up the chart's events.
    private void WatchZoom() => _ = ChartRedraw.SubscribeRelayoutAsync(_chart);

    // A zoom, pan or double-click chooses the chart's ticks for its new range.
    private void OnRelayout(RelayoutEventData change)
    {
        if (!_zoom.Update(change.RawData))
        {
            return;
        }

        ApplyTicks();
        _ = ChartRedraw.ReactAsync([_chart]);
    }

    // Draws the run page's chance line on an accuracy chart when every compared run has the same number of classes,
    // and sets the note below the chart either way.
    private void AddChanceLine(IReadOnlyList<CurveSeries> lines)
    {
        _chanceNote = null;
        var points = lines.SelectMany(line => line.Points).ToList();
        if (_view.IsLoss || points.Count == 0)
        {
            return;
        }

        var classes = _runs.Select(compared => compared.Classes).Distinct().ToList();
        if (classes.Any(count => count is null))
        {
            return;
        }

        if (classes.Count > 1)
        {
            var counts = string.Join(", ", classes.Order().Select(count => Counted.Number(count!.Value)));
            _chanceNote = $"No chance line is drawn, because the runs have different numbers of classes ({counts}).";
            return;
        }

        var chance = ChanceLine.Create(points.Min(point => point.X), points.Max(point => point.X), classes[0]!.Value);
        if (chance is not null)
        {
            _data.Add(chance);
            _chanceNote = $"The dashed line marks chance, 1/{Counted.Number(classes[0]!.Value)}.";
        }
    }

    private IEnumerable<(string Label, Func<ComparedRun, string> Value)> FixedRows()
    {
        yield return ("model", c => c.Run.Model);
        yield return ("parameters", c => c.Run.ParameterCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "–");
        yield return ("condition", c => c.Run.Condition ?? "–");
        yield return ("seed", c => c.Run.Seed.ToString(CultureInfo.InvariantCulture));
        yield return ("status", c => JsonSerializer.Serialize(c.Run.Status, Training.Specs.SpecJson.Options).Trim('"'));
        yield return ("epochs", EpochsText);
        yield return ("train accuracy, last epoch", c => Percent(c.Run.Epochs.LastOrDefault()?.TrainAccuracy));
        yield return ("test accuracy, last epoch", c => Percent(c.Run.Epochs.LastOrDefault()?.TestAccuracy));
        yield return ("epochs to 100% train", EpochsToFitText);
    }

    // The last stored epoch of the run's total, so accuracies of a run that stopped early read as such.
    private static string EpochsText(ComparedRun compared) =>
        $"{Counted.Number(compared.Run.Epochs.LastOrDefault()?.Epoch ?? 0)} of {Counted.Number(compared.Run.TotalEpochs)}";

    // Only a completed run trained every epoch, so any other run below 100% reads "not yet" rather than "never".
    private static string EpochsToFitText(ComparedRun compared)
    {
        if (compared.EpochsToFit is { } epoch)
        {
            return epoch.ToString(CultureInfo.InvariantCulture);
        }

        return compared.Run.Status == RunStatus.Completed ? "never" : "not yet";
    }

    private static string Percent(double? value) => Percentages.Format(value);

    private void ShowView(CurveView view) => navigation.NavigateTo(ViewUri(view), replace: true);

    private Task CopyLinkAsync() => _linkMessage.CopyAsync(navigation.ToAbsoluteUri(ViewUri(_view)).ToString());

    // Leaves out group, which this page ignores.
    private string ViewUri(CurveView view) =>
        view.ToUri("/compare", new Dictionary<string, string?> { ["runs"] = Runs }, includeGroup: false);

    protected override void OnClosed()
    {
        _linkMessage.Remove();
        _subscription?.Dispose();
        _throttle?.Dispose();
    }
}
