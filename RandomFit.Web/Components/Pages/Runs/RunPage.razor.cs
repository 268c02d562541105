using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using MudBlazor;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Components.Pages.Experiments.New;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Runs;

public partial class RunPage(
    IRunService runs,
    IExperimentService experiments,
    IRunEventsFeed feed,
    TimeProvider timeProvider,
    NavigationManager navigation,
    IJSRuntime js,
    ISnackbar snackbar,
    IRunAdditions additions)
{
    private RunLiveState _state = new("");
    private ExperimentDetails? _experiment;
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;
    private string? _loadedId;

    // Experiments deleted since the page subscribed to the feed. A set rather than a flag, because a deletion can
    // arrive while the run loads, before the page has read the run's experiment id.
    private readonly HashSet<string> _deletedExperiments = [];

    // The resume service's check of an interrupted run, so the page offers Resume only when a request would be
    // accepted. Null while the run is in any other status.
    private ResumeResult? _resumeCheck;

    // Snackbars that this page showed about a run, with that run's id. Rerun opens the new run in this same
    // component, so the page removes each message once it no longer shows the run the message is about.
    private readonly List<(string RunId, Snackbar Message)> _runMessages = [];

    [Parameter] public string Id { get; set; } = "";

    /// <summary>
    /// The metric to highlight in the learning curves, kept in the query string so a copied link opens the same view.
    /// The page draws every metric, so this value highlights one rather than choosing which to draw.
    /// </summary>
    [SupplyParameterFromQuery(Name = "metric")] public string? Metric { get; set; }

    /// <summary><c>epoch</c> or <c>seconds</c>, kept in the query string so a copied link opens the same view.</summary>
    [SupplyParameterFromQuery(Name = "x")] public string? X { get; set; }

    /// <summary>
    /// Exponential moving average weight from 0 (off) to 0.99, kept in the query string like <c>x</c>.
    /// Invalid values fall back to 0.
    /// </summary>
    [SupplyParameterFromQuery(Name = "smooth")] public string? Smooth { get; set; }

    // The run page draws every metric, so only the x axis and smoothing of the shared view choose what is drawn.
    private CurveView View => CurveView.Parse(null, X, Smooth, null);

    // The metric query value when it names a metric, else null, which highlights no line.
    private string? HighlightedMetric => CurveView.Metrics.Contains(Metric) ? Metric : null;

    // Sentences for the notice, one per ignored view value: an invalid value, a parameter given more than once, or
    // group, which has no meaning for a single run.
    private IReadOnlyList<string> _viewProblems = [];

    private bool CanCancel => _state.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Interrupted;

    private bool CanResume => _state.Status == RunStatus.Interrupted && _resumeCheck?.Outcome == ResumeOutcome.Accepted;

    /// <summary>Why an interrupted run cannot resume, such as a missing checkpoint, or null.</summary>
    private string? ResumeUnavailable => _state.Status == RunStatus.Interrupted
        && _resumeCheck is { Outcome: ResumeOutcome.NoCheckpoint or ResumeOutcome.NotInterrupted } check
            ? check.Message
            : null;

    private DataSpec? Data => _experiment?.Spec.Data;

    private int Classes => Condition?.Classes ?? Data?.Classes ?? 2;

    private bool RandomLabels => (Condition?.Labels ?? Data?.Labels) == LabelKind.Random;

    // A run without a test split reports no test accuracy, so the page does not describe one.
    private bool HasTestSplit => (Condition?.TestSamples ?? Data?.TestSamples ?? 0) > 0;

    private bool Standardized => Condition?.Standardize ?? Data?.Standardize ?? false;

    private DataCondition? Condition => _state.Run?.Condition is { } name
        ? Data?.Conditions?.FirstOrDefault(condition => condition.Name == name)
        : null;

    // The fields the run's condition sets over the experiment's data, as SpecResolution.WithCondition applies them.
    private IReadOnlyList<string> ConditionOverrides => Condition is { } condition ? ConditionText.Overrides(condition) : [];

    // Ends the sentence that starts with the condition's name on the run's data card.
    private string ConditionSentence => (Condition, ConditionOverrides.Count) switch
    {
        (null, _) => "is not in the experiment's spec.",
        (_, 0) => "keeps every data field of the experiment.",
        _ => "replaces these data fields of the experiment:",
    };

    private bool ShowPlateauHint => RunInsights.IsLossAtChance(_state.Epochs, Classes);

    // Shown as text that Razor encodes for HTML, so quotes, accented letters and emoji appear as themselves rather
    // than as \u escapes.
    // Shows the seeds the experiment trains, as GET /api/experiments/{id}/spec does. A spec stored without seeds
    // trains seed 0.
    private string SpecJsonText => _experiment is null
        ? ""
        : ReadableJson.Serialize(_experiment.Spec with { Seeds = _experiment.Spec.EffectiveSeeds }, SpecJson.Options);

    protected override async Task OnParametersSetAsync()
    {
        // A repeated view parameter is dropped as a whole, as on the experiment and compare pages.
        var repeated = CurveView.Repeated(navigation.Uri, "metric", "x", "smooth");
        Metric = repeated.ContainsKey("metric") ? null : Metric;
        X = repeated.ContainsKey("x") ? null : X;
        Smooth = repeated.ContainsKey("smooth") ? null : Smooth;
        var ignoredGroup = CurveView.Ignored(navigation.Uri, "group", "the run page shows a single run and has no grouping");
        _viewProblems = [.. repeated.Values, .. CurveView.Problems(Metric, X, Smooth, null), .. ignoredGroup];
        if (Id == _loadedId)
        {
            return;
        }

        _loadedId = Id;
        RemoveRunMessages(keptRunId: Id);

        // Subscribe before loading: events published while the run loads are buffered, then applied on top.
        _subscription?.Dispose();
        _throttle?.Dispose();
        _state = new RunLiveState(Id);
        _throttle = new RenderThrottle(timeProvider, RenderThrottle.DefaultInterval, () => InvokeAsync(StateHasChanged));
        _subscription = feed.Subscribe(OnRunEvent);

        var run = await runs.GetAsync(Id, Closing);
        _experiment = run is null ? null : await experiments.GetAsync(run.ExperimentId, Closing);
        _state.Load(run);
        await CheckResumeAsync();
    }

    private async Task CheckResumeAsync() =>
        _resumeCheck = _state.Status == RunStatus.Interrupted ? await runs.CheckResumeAsync(Id, Closing) : null;

    /// <summary>Renders of this page itself, not counting its children's own renders.</summary>
    internal int RenderCount { get; private set; }

    protected override void OnAfterRender(bool firstRender)
    {
        RenderCount++;
        _throttle?.MarkRendered();
    }

    // Runs on the publisher's thread: hop onto the circuit's dispatcher before touching state.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is ExperimentDeletedEvent deleted)
        {
            _ = OnCircuit(() =>
            {
                _deletedExperiments.Add(deleted.ExperimentId);
                if (_state.Run?.ExperimentId == deleted.ExperimentId)
                {
                    StateHasChanged();
                }

                return Task.CompletedTask;
            });
            return;
        }

        if (runEvent.RunId != Id)
        {
            return;
        }

        _ = OnCircuit(async () =>
        {
            var changed = _state.Apply(runEvent);

            // A status event carries no device or parameter count, and a run that starts gets both.
            if (changed && runEvent is StatusEvent && await runs.GetAsync(Id, Closing) is { } stored)
            {
                _state.Refresh(stored);
            }

            if (changed && runEvent is StatusEvent)
            {
                await CheckResumeAsync();
            }

            if (changed && _throttle is not null)
            {
                await _throttle.RequestAsync();
            }
        });
    }

    private void SetHighlight(string metric) =>
        ShowView(CurveView.Metrics.Contains(metric) ? metric : null, View.X, View.Smooth);

    private void SetXAxis(string axis) => ShowView(HighlightedMetric, axis, View.Smooth);

    private void SetSmooth(double smooth) => ShowView(HighlightedMetric, View.X, Math.Clamp(smooth, 0, 0.99));

    private void ShowView(string? metric, string x, double smooth) =>
        navigation.NavigateTo(ViewUri(Id, metric, x, smooth), replace: true);

    // Writes only the view values that differ from the defaults, and none of the parameters this page ignores, so a
    // link never carries an invalid value or group.
    private static string ViewUri(string runId, string? metric, string x, double smooth)
    {
        // A highlight is written even for the default view's metric, because this page's default highlights none.
        var query = new Dictionary<string, string?>();
        if (metric is not null)
        {
            query["metric"] = metric;
        }

        foreach (var (name, value) in (CurveView.Default with { X = x, Smooth = smooth }).ChangedFromDefault())
        {
            query[name] = value;
        }

        return QueryHelpers.AddQueryString($"/runs/{Uri.EscapeDataString(runId)}", query);
    }

    private async Task CancelAsync()
    {
        // A queued or interrupted run is cancelled at once, while a training run stops at its next batch.
        var waiting = _state.Status is RunStatus.Queued or RunStatus.Interrupted;
        var outcome = await runs.CancelAsync(Id, Closing);
        var message = outcome switch
        {
            CancelOutcome.Accepted when waiting => ("Cancelled the run.", Severity.Info),
            CancelOutcome.Accepted => ("Cancelling the run.", Severity.Info),
            CancelOutcome.AlreadyFinal => ("The run has already finished.", Severity.Warning),
            _ => ("The run no longer exists.", Severity.Error),
        };
        ShowRunMessage(Id, message.Item1, message.Item2);
    }

    private async Task ResumeAsync()
    {
        var result = await runs.ResumeAsync(Id, Closing);
        var message = result.Outcome switch
        {
            ResumeOutcome.Accepted => ("Resuming the run from its last checkpoint.", Severity.Info),
            ResumeOutcome.NotFound => ("The run no longer exists.", Severity.Error),
            _ => (result.Message ?? "The run cannot be resumed.", Severity.Warning),
        };
        ShowRunMessage(Id, message.Item1, message.Item2);
    }

    private async Task RerunAsync()
    {
        var rerun = await additions.RerunAsync(Id, Closing);
        if (rerun is null)
        {
            ShowRunMessage(Id, "The run no longer exists, so it cannot be rerun.", Severity.Warning);
            return;
        }

        // Tagged with the new run, so the page keeps the message open when it loads that run.
        ShowRunMessage(rerun.Id, $"Rerun queued as run {rerun.Id}.", Severity.Success);
        // The new run opens in the same view, so its curves compare with the ones just seen.
        navigation.NavigateTo(ViewUri(rerun.Id, HighlightedMetric, View.X, View.Smooth));
    }

    // Tagged with the run, so the message closes with the run's other messages when the page shows another run or
    // closes, and a later message about the run, such as "Cancelling the run.", replaces it.
    private async Task CopyLinkAsync()
    {
        var link = navigation.ToAbsoluteUri(ViewUri(Id, HighlightedMetric, View.X, View.Smooth)).ToString();
        var runId = Id;
        var added = await LinkClipboard.CopyAsync(js, snackbar, link);
        if (added is not null)
        {
            _runMessages.Add((runId, added));
        }
    }

    // The key names the run, because MudBlazor skips a snackbar whose key is already shown and the default key is the
    // message. Without it, a second run's "Cancelling the run." would not show while the first run's is still open.
    // A new message replaces the open ones about the same run, because an action such as Cancel makes an earlier
    // "Resuming the run from its last checkpoint." or "Rerun queued as run x." out of date.
    private void ShowRunMessage(string runId, string message, Severity severity)
    {
        RemoveRunMessagesWhere(entry => entry.RunId == runId);
        var added = snackbar.Add(message, severity, key: $"run {runId}: {message}");
        if (added is not null)
        {
            _runMessages.Add((runId, added));
        }
    }

    // Removes the messages about every run other than keptRunId (all of them when it is null), and drops the entries
    // of messages that have already closed.
    private void RemoveRunMessages(string? keptRunId)
    {
        RemoveRunMessagesWhere(entry => entry.RunId != keptRunId);
        _runMessages.RemoveAll(entry => !snackbar.ShownSnackbars.Contains(entry.Message));
    }

    private void RemoveRunMessagesWhere(Predicate<(string RunId, Snackbar Message)> match)
    {
        foreach (var entry in _runMessages.FindAll(match))
        {
            snackbar.Remove(entry.Message);
        }

        _runMessages.RemoveAll(match);
    }

    protected override void OnClosed()
    {
        RemoveRunMessages(keptRunId: null);
        _subscription?.Dispose();
        _throttle?.Dispose();
    }
}
