using RandomFit.Training.Training;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Scheduling;

/// <summary>Something that happened to a run, published after it was committed to the database.</summary>
public abstract record RunEvent(string RunId, string ExperimentId);

/// <summary>A run finished an epoch.</summary>
public sealed record EpochEvent(string RunId, string ExperimentId, EpochMetrics Metrics) : RunEvent(RunId, ExperimentId);

/// <summary>A run changed status; error is set only for failed runs.</summary>
public sealed record StatusEvent(string RunId, string ExperimentId, RunStatus Status, string? Error)
    : RunEvent(RunId, ExperimentId);

/// <summary>Epochs after FromEpoch are void because the run resumed from a checkpoint.</summary>
public sealed record ResetEvent(string RunId, string ExperimentId, int FromEpoch) : RunEvent(RunId, ExperimentId);

/// <summary>A run was added to an experiment (new seeds, a rerun).</summary>
public sealed record RunAddedEvent(string RunId, string ExperimentId) : RunEvent(RunId, ExperimentId);

/// <summary>
/// The in-process run-events feed. Pages and the hub subscribe; the scheduler publishes.
/// A subscriber that throws is logged and never stops the publisher or other subscribers.
/// </summary>
public interface IRunEventsFeed
{
    /// <summary>Registers a handler; dispose the result to unsubscribe. Handlers run on the publisher's thread.</summary>
    IDisposable Subscribe(Action<RunEvent> handler);

    void Publish(RunEvent runEvent);
}

/// <summary>
/// An experiment was deleted with all its runs, published once after the delete committed. It concerns every run of
/// the experiment rather than one, so <see cref="RunEvent.RunId"/> is empty.
/// </summary>
public sealed record ExperimentDeletedEvent(string ExperimentId) : RunEvent(string.Empty, ExperimentId);
