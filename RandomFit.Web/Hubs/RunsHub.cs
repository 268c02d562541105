using Microsoft.AspNetCore.SignalR;

namespace RandomFit.Web.Hubs;

/// <summary>Forwards the run-events feed to outside clients through <see cref="RunWatchers"/>.</summary>
public sealed class RunsHub(RunWatchers watchers) : Hub
{
    // A client may send null or an empty string for an id; neither names a stored run or experiment.
    public async Task WatchRun(string? runId)
    {
        if (string.IsNullOrEmpty(runId)
            || !await watchers.WatchRunAsync(Context.ConnectionId, runId, Context.ConnectionAborted))
        {
            throw new HubException(RunsHubContract.RunNotFound);
        }
    }

    public void UnwatchRun(string? runId)
    {
        if (!string.IsNullOrEmpty(runId))
        {
            watchers.UnwatchRun(Context.ConnectionId, runId);
        }
    }

    public async Task WatchExperiment(string? experimentId)
    {
        if (string.IsNullOrEmpty(experimentId)
            || !await watchers.WatchExperimentAsync(Context.ConnectionId, experimentId, Context.ConnectionAborted))
        {
            throw new HubException(RunsHubContract.ExperimentNotFound);
        }
    }

    public void UnwatchExperiment(string? experimentId)
    {
        if (!string.IsNullOrEmpty(experimentId))
        {
            watchers.UnwatchExperiment(Context.ConnectionId, experimentId);
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        watchers.Disconnect(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
