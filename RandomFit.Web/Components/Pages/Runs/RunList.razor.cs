using System.Globalization;
using Microsoft.AspNetCore.Components;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Runs;

public partial class RunList(
    IRunService runs,
    IExperimentService experiments,
    IRunEventsFeed feed,
    TimeProvider timeProvider,
    NavigationManager navigation)
{
    // Kept across pages and filters, so runs from several pages can be compared.
    private readonly HashSet<string> _selected = [];

    private void Toggle(string runId)
    {
        if (!_selected.Remove(runId))
        {
            _selected.Add(runId);
        }
    }

    private List<RunItem> _items = [];
    private int _page = 1;
    private int _total;
    private ListFilters _filters = ListFilters.Unfiltered;

    // The experiment that the experiment filter names, or null when there is no such filter or experiment.
    private ExperimentDetails? _filterExperiment;
    private IDisposable? _subscription;
    private RenderThrottle? _throttle;

    [SupplyParameterFromQuery(Name = "model")] public string? Model { get; set; }
    // Kept as text, so a typed seed that is not a number filters nothing and is named in the query notice.
    [SupplyParameterFromQuery(Name = "seed")] public string? Seed { get; set; }
    [SupplyParameterFromQuery(Name = "preset")] public string? Preset { get; set; }

    protected override void OnInitialized()
    {
        _throttle = new RenderThrottle(timeProvider, RenderThrottle.DefaultInterval, () => InvokeAsync(StateHasChanged));
        _subscription = feed.Subscribe(OnRunEvent);
    }

    protected override async Task OnParametersSetAsync()
    {
        // The filters come from the whole query string, so a repeated parameter is noticed. Blazor sets the query
        // properties again on any change of the query string, so this method also runs when only sort or pageSize
        // change.
        _filters = ListFilters.FromUri(navigation.Uri);
        await LoadPageAsync();
        _filterExperiment = _filters.Experiment is { } experimentId ? await experiments.GetAsync(experimentId, Closing) : null;
    }

    private async Task LoadPageAsync()
    {
        var filters = _filters;
        var page = await runs.ListAsync(filters.ToRunQuery(), Closing);

        // A load for filters that changed meanwhile is dropped, because the load for the new filters shows its own.
        if (!ReferenceEquals(filters, _filters))
        {
            return;
        }

        _items = [.. page.Items];
        _page = page.Page;
        _total = page.Total;
    }

    // Null past the last page, because the pager's warning below the table reports it and links the last page.
    private string? EmptyText => _total > 0 ? null : "No run matches these filters.";

    protected override void OnAfterRender(bool firstRender) => _throttle?.MarkRendered();

    // Status changes and new epochs of listed runs are applied in place, so a run that completes while the list is
    // open does not keep the epoch count it had when the list loaded. The runs of a deleted experiment leave the
    // list at once. New runs show up when the list is next opened or filtered.
    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is ExperimentDeletedEvent deleted)
        {
            _ = OnCircuit(() => RemoveExperimentRunsAsync(deleted.ExperimentId));
            return;
        }

        if (runEvent is not (StatusEvent or EpochEvent))
        {
            return;
        }

        _ = OnCircuit(async () =>
        {
            var index = _items.FindIndex(item => item.Id == runEvent.RunId);
            if (index < 0)
            {
                return;
            }

            _items[index] = runEvent switch
            {
                StatusEvent status => _items[index] with { Status = status.Status, Error = status.Error },
                EpochEvent epoch => _items[index] with { LastEpoch = epoch.Metrics.Epoch },
                _ => _items[index],
            };

            // A run gets its device when a worker claims it, and no event carries the device, so it is read once.
            if (runEvent is StatusEvent { Status: not RunStatus.Queued } && _items[index].Device is null
                && await runs.GetAsync(runEvent.RunId, Closing) is { Device: { } device })
            {
                index = _items.FindIndex(item => item.Id == runEvent.RunId);
                if (index >= 0)
                {
                    _items[index] = _items[index] with { Device = device };
                }
            }

            await _throttle!.RequestAsync();
        });
    }

    // The page is read again rather than edited in place, so the total and the rows that move up from later pages
    // are right too.
    private async Task RemoveExperimentRunsAsync(string experimentId)
    {
        _selected.ExceptWith(_items.Where(item => item.ExperimentId == experimentId).Select(item => item.Id));
        await LoadPageAsync();
        await _throttle!.RequestAsync();
    }

    private void Filter(string name, string? value)
    {
        var parameters = new Dictionary<string, object?> { [name] = NullIfEmpty(value) };
        if (name != "page")
        {
            parameters["page"] = null;
        }

        navigation.NavigateTo(navigation.GetUriWithQueryParameters(parameters));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    protected override void OnClosed()
    {
        _subscription?.Dispose();
        _throttle?.Dispose();
    }
}
