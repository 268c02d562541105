using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Home;

public partial class Home(IExperimentService experiments, IRunEventsFeed feed, TimeProvider timeProvider)
{
    // Lists are re-queried on status changes, at most once a second, rather than per event.
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private IReadOnlyList<ExperimentItem> _running = [];
    private IReadOnlyList<ExperimentItem> _queued = [];
    private IReadOnlyList<ExperimentItem> _recent = [];
    private IDisposable? _subscription;
    private RenderThrottle? _reload;

    private IEnumerable<(string Title, IReadOnlyList<ExperimentItem> Items, string Empty, string TestId)> Sections =>
    [
        ("Running", _running, "No experiment is training right now.", "running"),
        ("Queued", _queued, "Nothing is waiting.", "queued"),
        ("Recent", _recent, "No experiments yet: start one from a preset.", "recent"),
    ];

    protected override async Task OnInitializedAsync()
    {
        _reload = new RenderThrottle(timeProvider, ReloadInterval, () => InvokeAsync(ReloadAndRenderAsync));
        _subscription = feed.Subscribe(OnRunEvent);
        await ReloadAsync();
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

    private async Task ReloadAsync()
    {
        var token = Closing;
        _running = (await experiments.ListAsync(new ExperimentQuery(Status: RunStatus.Running, PageSize: 20), token)).Items;

        // An experiment with a running run is running even while others of its runs wait, so it is listed only there.
        var queued = await experiments.ListAsync(new ExperimentQuery(Status: RunStatus.Queued, PageSize: 20), token);
        _queued = [.. queued.Items.Where(experiment => experiment.RunningCount == 0)];
        _recent = (await experiments.ListAsync(new ExperimentQuery(PageSize: 10), token)).Items;
    }

    protected override void OnClosed()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
