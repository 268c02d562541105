using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Training;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Scheduling;

/// <summary>
/// Receives a run's progress on its training thread and hands it to one writer task, so training never waits
/// for the database. The writer commits each batch of epochs, then publishes them in order, so a subscriber
/// that reads the database after an event always finds that epoch stored.
/// </summary>
internal sealed partial class EpochWriter : ITrainingProgress
{
    // SQLite takes one writer at a time, so epoch writers commit in turn. Left to contend for the write lock, the
    // writers of an 8-seed stacked cohort fell up to 27 epochs apart (on 2 shared cores), and after a crash the
    // runs whose epochs lagged their checkpoints most could not resume.
    private static readonly SemaphoreSlim SqliteCommitGate = new(1, 1);

    private readonly Channel<object> _pending = Channel.CreateUnbounded<object>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly IDbContextFactory<RandomFitDbContext> _dbFactory;
    private readonly IRunEventsFeed _feed;
    private readonly ActiveRun _run;
    private readonly string _experimentId;
    private readonly ILogger _logger;
    private readonly Task _writing;
    private bool _runDeleted;

    public EpochWriter(
        IDbContextFactory<RandomFitDbContext> dbFactory,
        IRunEventsFeed feed,
        ActiveRun run,
        string experimentId,
        ILogger logger)
    {
        _dbFactory = dbFactory;
        _feed = feed;
        _run = run;
        _experimentId = experimentId;
        _logger = logger;
        _writing = Task.Run(WriteAsync);
    }

    /// <summary>The error that stopped the writer, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The last epoch committed, or null before epoch 1.</summary>
    public EpochMetrics? LastEpoch { get; private set; }

    public void Started(string device, long parameterCount) =>
        _pending.Writer.TryWrite(new StartedInfo(device, parameterCount));

    public void Epoch(EpochMetrics metrics) => _pending.Writer.TryWrite(metrics);

    /// <summary>Waits until everything reported so far is committed and published.</summary>
    public Task CompleteAsync()
    {
        _pending.Writer.TryComplete();
        return _writing;
    }

    private async Task WriteAsync()
    {
        var batch = new List<object>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (_pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (Failure is not null || _runDeleted)
            {
                continue;
            }

            try
            {
                await CommitAsync(batch);
            }
            catch (Exception exception)
            {
                // A web node deletes an experiment without waiting for the workers that train its runs. A write that
                // fails because the run is gone therefore ends the run as a cancel request would.
                if (await IsRunDeletedAsync())
                {
                    _runDeleted = true;
                    LogRunDeleted(_logger, _run.RunId);
                    _run.TryRequestCancel();
                    continue;
                }

                Failure = exception;
                LogWriteFailed(_logger, exception, _run.RunId);
                _run.StopAfterWriterFailure();
                continue;
            }

            PublishEpochs(batch);
        }
    }

    private async Task<bool> IsRunDeletedAsync()
    {
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            return !await db.Runs.AnyAsync(r => r.Id == _run.RunId);
        }
        catch (Exception exception)
        {
            // The lookup failed too, so the write failure is reported as it is.
            LogDeletionCheckFailed(_logger, exception, _run.RunId);
            return false;
        }
    }

    private async Task CommitAsync(List<object> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        if (!db.Database.IsSqlite())
        {
            await SaveBatchAsync(db, batch);
            return;
        }

        await SqliteCommitGate.WaitAsync();
        try
        {
            await SaveBatchAsync(db, batch);
        }
        finally
        {
            SqliteCommitGate.Release();
        }
    }

    private async Task SaveBatchAsync(RandomFitDbContext db, List<object> batch)
    {
        foreach (var item in batch)
        {
            switch (item)
            {
                case StartedInfo started:
                    // The trainer's figures win over the scheduler's estimate made when the run was claimed.
                    await db.Runs
                        .Where(r => r.Id == _run.RunId)
                        .ExecuteUpdateAsync(set => set
                            .SetProperty(r => r.Device, started.Device)
                            .SetProperty(r => r.ParameterCount, started.ParameterCount));
                    break;
                case EpochMetrics metrics:
                    db.Epochs.Add(ToEntity(metrics));
                    break;
            }
        }

        await db.SaveChangesAsync();
    }

    private void PublishEpochs(List<object> batch)
    {
        foreach (var metrics in batch.OfType<EpochMetrics>())
        {
            LastEpoch = metrics;
            LogEpoch(_logger, _run.RunId, metrics.Epoch, metrics.TrainLoss, metrics.TrainAccuracy);
            _feed.Publish(new EpochEvent(_run.RunId, _experimentId, metrics));
        }
    }

    private EpochEntity ToEntity(EpochMetrics metrics) => new()
    {
        RunId = _run.RunId,
        Epoch = metrics.Epoch,
        TrainLoss = metrics.TrainLoss,
        TrainAccuracy = metrics.TrainAccuracy,
        TestLoss = metrics.TestLoss,
        TestAccuracy = metrics.TestAccuracy,
        Seconds = metrics.Seconds,
        ElapsedSeconds = metrics.ElapsedSeconds,
    };

    [LoggerMessage(LogLevel.Error, "Storing epochs of run {RunId} failed; stopping the run")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(LogLevel.Information, "Run {RunId} was deleted while it trained; stopping it")]
    private static partial void LogRunDeleted(ILogger logger, string runId);

    [LoggerMessage(LogLevel.Warning, "Looking up run {RunId} after a failed epoch write failed, so the write failure stands")]
    private static partial void LogDeletionCheckFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(LogLevel.Debug,
        "Run {RunId} epoch {Epoch}: train loss {TrainLoss:F4}, train accuracy {TrainAccuracy:F4}")]
    private static partial void LogEpoch(
        ILogger logger, string runId, int epoch, double? trainLoss, double trainAccuracy);

    private sealed record StartedInfo(string Device, long ParameterCount);
}
