using System.Globalization;
using Microsoft.Extensions.Options;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Nodes;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Components.Pages.Workers;

public partial class WorkersPage(
    WorkerDirectory directory,
    IRunEventsFeed feed,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider)
{
    // Status events mark runs starting and ending, and the list is re-read at most once a second for them.
    // Heartbeat times are not events, so they refresh with the button or the next status change.
    private static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(1);

    private IReadOnlyList<WorkerItem>? _workers;
    private IDisposable? _subscription;
    private RenderThrottle? _reload;

    private string TimeoutText => $"{options.Value.TimeoutSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    protected override async Task OnInitializedAsync()
    {
        _reload = new RenderThrottle(timeProvider, ReloadInterval, () => InvokeAsync(ReloadAsync));
        _subscription = feed.Subscribe(OnRunEvent);
        await LoadAsync();
    }

    private void OnRunEvent(RunEvent runEvent)
    {
        if (runEvent is not StatusEvent)
        {
            return;
        }

        _ = OnCircuit(async () =>
        {
            await _reload!.RequestAsync();
        });
    }

    private async Task ReloadAsync()
    {
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync() => _workers = await directory.ListAsync(Closing);

    private string Ago(DateTimeOffset moment)
    {
        var seconds = Math.Max(0, (timeProvider.GetUtcNow() - moment).TotalSeconds);
        return seconds < 90
            ? $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s ago"
            : UtcTime.Format(moment);
    }

    protected override void OnClosed()
    {
        _subscription?.Dispose();
        _reload?.Dispose();
    }
}
