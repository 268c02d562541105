namespace RandomFit.Web.Scheduling;

/// <summary>A run the scheduler has taken, from its claim until its final status is committed.</summary>
internal sealed class ActiveRun(string runId, CancellationToken stoppingToken) : IDisposable
{
    private readonly CancellationTokenSource _cancellation =
        CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Orders a cancel request against the start of finishing, so the outcome read after MarkFinishing is final.
    private readonly Lock _finishingGate = new();
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
    /// running in the database may be this run's own, so it is no sign that another node ended the run, and
    /// <see cref="TryRequestCancel"/> rejects cancel requests.
    /// </summary>
    public bool Finishing => _finishing;

    /// <summary>
    /// Marks the run as finishing. Call it before reading <see cref="CancelRequested"/> to choose the final status,
    /// because no cancel request is accepted after it, so that value no longer changes.
    /// </summary>
    public void MarkFinishing()
    {
        lock (_finishingGate)
        {
            _finishing = true;
        }
    }

    /// <summary>Completes once the run's final status is committed and published.</summary>
    public Task Finished => _finished.Task;

    /// <summary>
    /// Requests that the run end cancelled and stops its training. Returns false, and changes nothing, once the run
    /// is finishing, because its final status is then chosen without it.
    /// </summary>
    public bool TryRequestCancel()
    {
        lock (_finishingGate)
        {
            if (_finishing)
            {
                return false;
            }

            _cancelRequested = true;
        }

        // Outside the lock, because Cancel runs the token's callbacks on this thread.
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended and was disposed after the request was taken, so there is no training left to stop.
        }

        return true;
    }

    public void StopAfterWriterFailure()
    {
        _writerFailed = true;
        _cancellation.Cancel();
    }

    public void MarkFinished() => _finished.TrySetResult();

    public void Dispose() => _cancellation.Dispose();
}
