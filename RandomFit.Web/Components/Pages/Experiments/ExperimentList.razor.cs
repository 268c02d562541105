using System.Globalization;
using Microsoft.AspNetCore.Components;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments;

public partial class ExperimentList(
    IExperimentService experiments,
    IRunEventsFeed feed,
    TimeProvider timeProvider,
    NavigationManager navigation)
{
    private Paged<ExperimentItem> _page = new([], 1, ListPager.DefaultPageSize, 0);
    private ListFilters _filters = ListFilters.Unfiltered;

    // The experiment that the experiment filter names, or null when there is no such filter or experiment.
    private ExperimentDetails? _filterExperiment;
    private IDisposable? _subscription;
    private RenderThrottle? _reload;

    [SupplyParameterFromQuery(Name = "preset")] public string? Preset { get; set; }
    [SupplyParameterFromQuery(Name = "model")] public string? Model { get; set; }
    // Kept as text, so a typed seed that is not a number filters nothing and is named in the query notice.
    [SupplyParameterFromQuery(Name = "seed")] public string? Seed { get; set; }

    protected override void OnInitialized()
    {
        _reload = new RenderThrottle(timeProvider, TimeSpan.FromSeconds(1), () => InvokeAsync(ReloadAndRenderAsync));
        _subscription = feed.Subscribe(OnRunEvent);
    }

    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is StatusEvent or RunAddedEvent or ExperimentDeletedEvent)
        {
            _ = OnCircuit(async () =>
            {
                await _reload!.RequestAsync();
            });
        }
    }

    private async Task ReloadAndRenderAsync()
    {
        await ReloadAsync();
        StateHasChanged();
    }

    // An experiment matches a run filter (model, seed, status) when one of its runs does, as in GET /api/experiments.
    protected override async Task OnParametersSetAsync()
    {
        // The filters come from the whole query string, so a repeated parameter is noticed. Blazor sets the query
        // properties again on any change of the query string, so this method also runs when only sort or pageSize
        // change.
        _filters = ListFilters.FromUri(navigation.Uri);
        await ReloadAsync();
        _filterExperiment = _filters.Experiment is { } experimentId ? await experiments.GetAsync(experimentId, Closing) : null;
    }

    // Null past the last page, because the pager's warning below the table reports it and links the last page.
    private string? EmptyText => _page.Total > 0 ? null : "No experiment matches these filters.";

    private async Task ReloadAsync() =>
        _page = await experiments.ListAsync(_filters.ToExperimentQuery(), Closing);

    // Filters live in the query string so a copied link opens the same list; a new filter starts at page 1.
    private void Filter(string name, string? value)
    {
        var parameters = new Dictionary<string, object?> { [name] = string.IsNullOrEmpty(value) ? null : value };
        if (name != "page")
        {
            parameters["page"] = null;
        }

        navigation.NavigateTo(navigation.GetUriWithQueryParameters(parameters));
    }

    protected override void OnClosed()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
