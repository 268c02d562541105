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
        await StoreRunningAsync(factory);
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

    private static async Task StoreRunningAsync(IDbContextFactory<RandomFitDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var experiment = new ExperimentEntity
        {
            Id = "exp-deleted",
            Name = "fixture",
            Sequence = 1,
            CreatedAt = DateTimeOffset.UtcNow,
            SpecJson = "{}",
        };
        experiment.Runs.Add(new RunEntity
        {
            Id = "run-deleted",
            ExperimentId = experiment.Id,
            Model = "cnn",
            Seed = 0,
            Status = RunStatus.Running,
            TotalEpochs = 2,
            Sequence = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
