using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RandomFit.Tests.Web;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Scheduling;

public sealed class EpochWriterTests : IAsyncDisposable
{
    private readonly RandomFitHostFactory _host = new();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    // A web node deletes an experiment without waiting for the worker that trains its runs, so the worker's next
    // epoch write finds the run gone.
    [Fact]
    public async Task RunDeleted_StopsAsCancelRequest()
    {
        var factory = _host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await StoredRuns.AddAsync(factory, "exp-deleted", ["run-deleted"], RunStatus.Running, totalEpochs: 2);
        using var run = new ActiveRun("run-deleted", CancellationToken.None);
        var feed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        var writer = new EpochWriter(factory, feed, run, "exp-deleted", NullLogger.Instance);
        await using (var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            await db.Experiments.Where(e => e.Id == "exp-deleted").ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        writer.Epoch(new EpochMetrics(1, 0.7, 0.5, null, null, 0.01, 0.01));
        await writer.CompleteAsync();

        Assert.Null(writer.Failure);
        Assert.False(run.WriterFailed);
        Assert.True(run.CancelRequested);
        Assert.True(run.Token.IsCancellationRequested);
    }

    // The runs of a stacked cohort each have a writer, and on SQLite they must not contend for its one write lock.
    [Fact]
    public async Task ConcurrentWriters_CommitOneAtATime()
    {
        const int writerCount = 8;
        const int epochCount = 40;
        var factory = new OverlapCountingFactory(_host.GetService<IDbContextFactory<RandomFitDbContext>>());
        var runIds = Enumerable.Range(0, writerCount).Select(i => $"run-{i}").ToList();
        await StoredRuns.AddAsync(factory, "exp-cohort", runIds, RunStatus.Running, totalEpochs: 2);
        var feed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        var runs = runIds.Select(id => new ActiveRun(id, CancellationToken.None)).ToList();
        var writers = runs.Select(run => new EpochWriter(factory, feed, run, "exp-cohort", NullLogger.Instance)).ToList();

        // Every writer gets each epoch at about the same moment, as a stacked cohort reports them.
        for (var epoch = 1; epoch <= epochCount; epoch++)
        {
            foreach (var writer in writers)
            {
                writer.Epoch(new EpochMetrics(epoch, 0.7, 0.5, null, null, 0.01, 0.01 * epoch));
            }

            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        await Task.WhenAll(writers.Select(writer => writer.CompleteAsync()));
        runs.ForEach(run => run.Dispose());

        Assert.All(writers, writer => Assert.Null(writer.Failure));
        Assert.All(writers, writer => Assert.Equal(epochCount, writer.LastEpoch?.Epoch));
        Assert.Equal(1, factory.MaxConcurrentSaves);
    }

    /// <summary>Creates contexts from another factory and records the maximum number of SaveChanges calls in progress at once.</summary>
    private sealed class OverlapCountingFactory(IDbContextFactory<RandomFitDbContext> inner)
        : IDbContextFactory<RandomFitDbContext>
    {
        private readonly Lock _gate = new();
        private int _inProgress;
        private int _max;

        public int MaxConcurrentSaves
        {
            get
            {
                lock (_gate)
                {
                    return _max;
                }
            }
        }

        public RandomFitDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            db.SavingChanges += (_, _) => RecordSaveStarted();
            db.SavedChanges += (_, _) => RecordSaveEnded();
            db.SaveChangesFailed += (_, _) => RecordSaveEnded();
            return db;
        }

        private void RecordSaveStarted()
        {
            lock (_gate)
            {
                _inProgress++;
                _max = Math.Max(_max, _inProgress);
            }
        }

        private void RecordSaveEnded()
        {
            lock (_gate)
            {
                _inProgress--;
            }
        }
    }
}
