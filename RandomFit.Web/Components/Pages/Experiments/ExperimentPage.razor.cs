using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Components.Pages.Experiments.New;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments;

public partial class ExperimentPage(
    IExperimentService experiments,
    IRunService runs,
    IRunEventsFeed feed,
    TimeProvider timeProvider,
    IRunAdditions additions,
    NavigationManager navigation,
    IJSRuntime js,
    ISnackbar snackbar)
{
    private readonly HashSet<string> _selected = [];
    private ExperimentGridState? _grid;
    private int _gridVersion;
    private CurveView _view = CurveView.Default;
    private string _newSeeds = "";
    private bool _confirmingDelete;
    private bool _deleting;
    private string? _seedsError;
    private readonly List<RunEvent> _buffer = [];
    private List<ExperimentRunRow> _rows = [];
    private ExperimentDetails? _experiment;
    private bool _loaded;

    // Set by the feed's ExperimentDeletedEvent. The page then shows a notice in place of the experiment.
    private bool _deleted;
    private string? _loadedId;

    // Removed when the page closes or shows another experiment.
    private readonly CopiedLinkMessage _linkMessage = new(js, snackbar);
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;

    [Parameter] public string Id { get; set; } = "";

    private IReadOnlyList<string> _viewProblems = [];

    [SupplyParameterFromQuery(Name = "metric")] public string? Metric { get; set; }

    [SupplyParameterFromQuery(Name = "x")] public string? X { get; set; }

    [SupplyParameterFromQuery(Name = "smooth")] public string? Smooth { get; set; }

    [SupplyParameterFromQuery(Name = "group")] public string? Group { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        // A repeated view parameter is dropped as a whole, as the list pages drop a repeated filter.
        var repeated = CurveView.Repeated(navigation.Uri, "metric", "x", "smooth", "group");
        Metric = repeated.ContainsKey("metric") ? null : Metric;
        X = repeated.ContainsKey("x") ? null : X;
        Smooth = repeated.ContainsKey("smooth") ? null : Smooth;
        Group = repeated.ContainsKey("group") ? null : Group;
        _viewProblems = [.. repeated.Values, .. CurveView.Problems(Metric, X, Smooth, Group)];
        _view = CurveView.Parse(Metric, X, Smooth, Group);
        if (Id == _loadedId)
        {
            return;
        }

        _loadedId = Id;
        _linkMessage.Remove();
        _loaded = false;
        _deleted = false;
        _buffer.Clear();
        _subscription?.Dispose();
        _throttle?.Dispose();
        _throttle = new RenderThrottle(timeProvider, RenderThrottle.DefaultInterval, () => InvokeAsync(StateHasChanged));

        // Subscribe first so events published during the load wait in the buffer instead of being lost.
        _subscription = feed.Subscribe(OnRunEvent);
        _experiment = await experiments.GetAsync(Id, Closing);
        _rows = [];
        var gridRuns = new List<GridRun>();
        // The grid's curves need every epoch of every run. They are read in two queries, not one per run.
        var stored = _experiment is null
            ? new Dictionary<string, RunDetails>()
            : await runs.GetExperimentRunsAsync(Id, Closing);
        foreach (var run in _experiment?.Runs ?? [])
        {
            var details = stored.GetValueOrDefault(run.Id);
            _rows.Add(ExperimentRunRow.From(run, details));
            gridRuns.Add(new GridRun(run, details?.Epochs ?? []));
        }

        _grid = _experiment is null ? null : new ExperimentGridState(_experiment.Spec, gridRuns);
        _gridVersion++;

        _loaded = true;
        foreach (var runEvent in _buffer)
        {
            await ApplyAsync(runEvent);
        }

        _buffer.Clear();
    }

    protected override void OnAfterRender(bool firstRender) => _throttle?.MarkRendered();

    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent.ExperimentId != Id)
        {
            return;
        }

        _ = OnCircuit(async () =>
        {
            if (!_loaded)
            {
                _buffer.Add(runEvent);
                return;
            }

            if (await ApplyAsync(runEvent))
            {
                await _throttle!.RequestAsync();
            }
        });
    }

    private async Task<bool> ApplyAsync(RunEvent runEvent)
    {
        if (runEvent is ExperimentDeletedEvent)
        {
            _deleted = true;
            return true;
        }

        var changed = await ApplyToRowsAsync(runEvent);
        if (runEvent is not RunAddedEvent && _grid is not null && _grid.Apply(runEvent))
        {
            changed = true;
        }

        if (changed)
        {
            _gridVersion++;
        }

        return changed;
    }

    private async Task<bool> ApplyToRowsAsync(RunEvent runEvent)
    {
        var row = _rows.FirstOrDefault(candidate => candidate.Run.Id == runEvent.RunId);
        switch (runEvent)
        {
            case RunAddedEvent when row is null:
                var added = await runs.GetAsync(runEvent.RunId, Closing);
                if (added is null)
                {
                    return false;
                }

                _rows.Add(ExperimentRunRow.From(ToItem(added), added));
                _grid?.Add(new GridRun(ToItem(added), added.Epochs));
                await ReadAddedSeedsAsync(added.Seed);
                return true;
            case EpochEvent epoch when row is not null && epoch.Metrics.Epoch > row.EpochsDone:
                row.EpochsDone = epoch.Metrics.Epoch;
                row.TrainAccuracy = epoch.Metrics.TrainAccuracy;
                row.TestAccuracy = epoch.Metrics.TestAccuracy;
                return true;
            case StatusEvent status when row is not null:
                row.Status = status.Status;
                return true;
            case ResetEvent reset when row is not null:
                row.EpochsDone = Math.Min(row.EpochsDone, reset.FromEpoch);
                return true;
            default:
                return false;
        }
    }

    // Adding seeds stores the extended spec before it announces the new runs, so a run with a seed that the spec
    // shown lacks means the stored spec has changed. A rerun keeps its seed and reads nothing.
    private async Task ReadAddedSeedsAsync(int seed)
    {
        if (_experiment is null || _experiment.Spec.EffectiveSeeds.Contains(seed))
        {
            return;
        }

        if (await experiments.GetAsync(Id, Closing) is { } stored)
        {
            _experiment = _experiment with { Spec = stored.Spec };
        }
    }

    private static RunItem ToItem(RunDetails run) => new(
        run.Id, run.Url, run.ExperimentId, run.Model, run.Condition, run.Seed, run.Status, run.Error, run.Device,
        run.ParameterCount, run.TotalEpochs, run.CreatedAt, run.StartedAt, run.FinishedAt, run.Execution);

    private static string Percent(double? value) => Percentages.Format(value);

    private void ShowView(CurveView view) =>
        navigation.NavigateTo(view.ToUri($"/experiments/{Id}"), replace: true);

    private string ViewLink() => navigation.ToAbsoluteUri(_view.ToUri($"/experiments/{Id}")).ToString();

    private Task CopyLinkAsync() => _linkMessage.CopyAsync(ViewLink());

    private void Toggle(string runId)
    {
        if (!_selected.Remove(runId))
        {
            _selected.Add(runId);
        }
    }

    private async Task AddSeedsAsync()
    {
        _seedsError = null;
        // The same reading of seed lists and ranges as the new-experiment form.
        var seeds = SeedList.Parse(_newSeeds, out var seedsError);
        if (seeds is null)
        {
            _seedsError = seedsError;
            return;
        }

        try
        {
            var added = await additions.AddSeedsAsync(Id, seeds, Closing);
            _seedsError = added is null ? "The experiment no longer exists." : null;
            _newSeeds = "";
            if (added is not null)
            {
                snackbar.Add(AddedRunsText(added), Severity.Success);
            }
        }
        catch (RequestValidationException exception)
        {
            _seedsError = string.Join(" ", exception.Errors.SelectMany(error => error.Value));
        }
    }

    // The example seeds start above the experiment's highest seed, because adding a seed it already has is
    // rejected. Near int.MaxValue, where five more seeds do not fit, the label gives no example.
    private static string AddSeedsLabel(ExperimentSpec spec)
    {
        var highest = spec.EffectiveSeeds.Max();
        if (highest > int.MaxValue - 5)
        {
            return "Add seeds";
        }

        var next = highest + 1;
        return $"Add seeds ({next}, {next + 1} or {next}-{next + 4})";
    }

    // Names the count and the seeds of the runs added, such as "Added 4 runs for seeds 5-6.".
    private static string AddedRunsText(IReadOnlyList<RunItem> added)
    {
        var seeds = added.Select(run => run.Seed).Distinct().Order().ToList();
        if (seeds.Count == 0)
        {
            return "Added no runs.";
        }

        var noun = seeds.Count == 1 ? "seed" : "seeds";
        return $"Added {Counted.Of(added.Count, "run")} for {noun} {SeedList.Format(seeds)}.";
    }

    private async Task DeleteAsync()
    {
        _deleting = true;
        var name = _experiment?.Name ?? Id;
        var runCount = _experiment?.Runs.Count ?? 0;

        // Waits for this node's training threads of the experiment to end, which can take up to an epoch.
        if (await experiments.DeleteAsync(Id, Closing))
        {
            snackbar.Add($"Deleted the experiment '{name}' with its {Counted.Of(runCount, "run")}.", Severity.Success);
        }
        else
        {
            snackbar.Add($"The experiment '{name}' was already deleted.", Severity.Info);
        }

        navigation.NavigateTo("/experiments");
    }

    protected override void OnClosed()
    {
        _linkMessage.Remove();
        _subscription?.Dispose();
        _throttle?.Dispose();
    }
}
