namespace RandomFit.Web.Hubs;

/// <summary>The hub's path, methods, events and errors, as outside clients call and receive them.</summary>
public static class RunsHubContract
{
    public const string Path = "/hubs/runs";

    public const string WatchRun = nameof(WatchRun);
    public const string UnwatchRun = nameof(UnwatchRun);
    public const string WatchExperiment = nameof(WatchExperiment);
    public const string UnwatchExperiment = nameof(UnwatchExperiment);

    /// <summary><c>epoch(runId, metrics)</c>: one item of the run's <c>epochs</c>.</summary>
    public const string EpochEvent = "epoch";

    /// <summary><c>status(runId, status, error)</c>: a lowercase status, and the error of a failed run.</summary>
    public const string StatusEvent = "status";

    /// <summary><c>reset(runId, fromEpoch)</c>: epochs after fromEpoch are void.</summary>
    public const string ResetEvent = "reset";

    public const string RunNotFound = "Run not found.";
    public const string ExperimentNotFound = "Experiment not found.";
}
