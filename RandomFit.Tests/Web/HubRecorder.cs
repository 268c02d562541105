using Microsoft.AspNetCore.SignalR.Client;
using RandomFit.Training.Training;
using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Web;

/// <summary>One event a hub client received, in arrival order.</summary>
public sealed record ReceivedEvent(
    string Name,
    string RunId,
    EpochMetrics? Metrics,
    string? Status,
    string? Error,
    int? FromEpoch = null);

/// <summary>A hub client that records every event it receives.</summary>
public sealed class HubRecorder : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedEvent> _events = [];

    public HubRecorder(HubConnection connection)
    {
        Connection = connection;
        connection.On<string, EpochMetrics>(RunsHubContract.EpochEvent, (runId, metrics) =>
            Add(new ReceivedEvent(RunsHubContract.EpochEvent, runId, metrics, null, null)));
        connection.On<string, string, string?>(RunsHubContract.StatusEvent, (runId, status, error) =>
            Add(new ReceivedEvent(RunsHubContract.StatusEvent, runId, null, status, error)));
        connection.On<string, int>(RunsHubContract.ResetEvent, (runId, fromEpoch) =>
            Add(new ReceivedEvent(RunsHubContract.ResetEvent, runId, null, null, null, fromEpoch)));
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<ReceivedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<ReceivedEvent> For(string runId) => [.. Events.Where(e => e.RunId == runId)];

    public static IReadOnlyList<int> EpochNumbers(IEnumerable<ReceivedEvent> events) =>
        [.. events.Where(e => e.Name == RunsHubContract.EpochEvent).Select(e => e.Metrics!.Epoch)];

    public Task WatchRunAsync(string runId) =>
        Connection.InvokeAsync(RunsHubContract.WatchRun, runId, TestContext.Current.CancellationToken);

    public Task WatchExperimentAsync(string experimentId) =>
        Connection.InvokeAsync(RunsHubContract.WatchExperiment, experimentId, TestContext.Current.CancellationToken);

    /// <summary>Waits until a final status of the run arrived.</summary>
    public Task WaitForFinalAsync(string runId, int timeoutSeconds = 120) =>
        WaitUntilAsync(
            events => events.Any(e => e.RunId == runId && e.Status is "completed" or "failed" or "cancelled"),
            timeoutSeconds);

    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedEvent>, bool> condition, int timeoutSeconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition(Events))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Hub events so far: {Events.Count}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();

    private void Add(ReceivedEvent received)
    {
        lock (_gate)
        {
            _events.Add(received);
        }
    }
}
