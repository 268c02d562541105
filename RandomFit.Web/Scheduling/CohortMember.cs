using RandomFit.Training.Training;

namespace RandomFit.Web.Scheduling;

/// <summary>
/// One run of a stacked cohort job: it receives that seed's progress from the stacked trainer and hands it to
/// the run's own writer. A member leaves the job early when its run is cancelled or its loss stops being
/// finite, so that run ends within one epoch while the other seeds keep training.
/// </summary>
internal sealed class CohortMember(ActiveRun run, EpochWriter writer, Func<CohortMember, Exception?, Task> finish)
    : ITrainingProgress
{
    private int _left;
    private Task _finished = Task.CompletedTask;

    public ActiveRun Run { get; } = run;

    public EpochWriter Writer { get; } = writer;

    /// <summary>Whether the run no longer takes the stacked model's progress.</summary>
    public bool HasLeft => Volatile.Read(ref _left) == 1;

    /// <summary>The commit of the run's final status. It is a completed task until the run leaves the job.</summary>
    public Task Finished => _finished;

    public void Started(string device, long parameterCount)
    {
        if (!HasLeft)
        {
            Writer.Started(device, parameterCount);
        }
    }

    public void Epoch(EpochMetrics metrics)
    {
        if (HasLeft)
        {
            return;
        }

        // The stacked model goes on computing a cancelled seed, but its epochs are no longer stored.
        if (Run.Token.IsCancellationRequested)
        {
            Leave(new OperationCanceledException(Run.Token));
            return;
        }

        Writer.Epoch(metrics);

        // The stacked trainer reports a seed's first non-finite loss as null and stops reporting that seed,
        // so the run fails here with the message a separate run gives.
        if (metrics.TrainLoss is null || (metrics.TestAccuracy is not null && metrics.TestLoss is null))
        {
            Leave(new TrainingFailedException($"Loss became NaN at epoch {metrics.Epoch}."));
        }
    }

    /// <summary>
    /// Ends the run as soon as its lane is done, because the cohort's other lanes may train on for a while. A run that
    /// already left is not changed.
    /// </summary>
    public void TrainingEnded(string? failure) =>
        Leave(failure is null ? null : new TrainingFailedException(failure));

    /// <summary>
    /// Detaches the run from the job and starts committing its final status from <paramref name="failure"/>,
    /// which is null when the run trained to the end. Returns false when the run had already left.
    /// </summary>
    public bool Leave(Exception? failure)
    {
        if (Interlocked.Exchange(ref _left, 1) == 1)
        {
            return false;
        }

        _finished = Task.Run(() => finish(this, failure));
        return true;
    }
}
