namespace RandomFit.Web.Scheduling;

/// <summary>A run the scheduler has taken, from its claim until its final status is committed.</summary>
internal sealed class ActiveRun(string runId, CancellationToken stoppingToken) : IDisposable
{
    private readonly CancellationTokenSource _cancellation =
        CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _cancelRequested;
    private volatile bool _writerFailed;
    private volatile bool _claimed;
    private volatile bool _finishing;

    public string RunId { get; } = runId;

    /// <summary>Cancelled on a user's request, on host shutdown, or when epochs can no longer be stored.</summary>
    public CancellationToken Token => _cancellation.Token;

    public bool CancelRequested => _cancelRequested;

    public bool WriterFailed => _writerFailed;

    public bool HostStopping => stoppingToken.IsCancellationRequested;

    /// <summary>
    /// Whether the database records this worker as training the run. A stacked cohort registers its runs before it
    /// claims them, so until then they are still queued there.
    /// </summary>
    public bool Claimed => _claimed;

    public void MarkClaimed() => _claimed = true;

    /// <summary>
    /// Whether training has stopped and the run's final status is being committed. From then on a status other than
    /// running in the database may be this run's own, so it is no sign that another node ended the run.
    /// </summary>
    public bool Finishing => _finishing;

    public void MarkFinishing() => _finishing = true;

    /// <summary>Completes once the run's final status is committed and published.</summary>
    public Task Finished => _finished.Task;

    public void RequestCancel()
    {
        _cancelRequested = true;
        _cancellation.Cancel();
    }

    public void StopAfterWriterFailure()
    {
        _writerFailed = true;
        _cancellation.Cancel();
    }

    public void MarkFinished() => _finished.TrySetResult();

    public void Dispose() => _cancellation.Dispose();
}
