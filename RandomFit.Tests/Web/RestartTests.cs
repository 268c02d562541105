using System.Net;
using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Web;

[Collection(TorchCollection.Name)]
public sealed class RestartTests : IDisposable
{
    private readonly string _databasePath = RandomFitHostFactory.NewDatabasePath();

    public void Dispose() => RandomFitHostFactory.DeleteDatabase(_databasePath);

    [Fact]
    public async Task Restart_CompletedRun_StillAnswersApiAndPage()
    {
        string runId;
        IReadOnlyList<RandomFit.Training.Training.EpochMetrics> epochs;
        await using (var first = new RandomFitHostFactory(_databasePath))
        {
            var created = await first.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 4));
            runId = created.Runs[0].Id;
            epochs = (await first.WaitForFinalAsync(runId)).Epochs;
        }

        await using var second = new RandomFitHostFactory(_databasePath);
        var run = await second.GetRunAsync(runId);
        using var client = second.CreateClient();
        var page = await client.GetAsync($"/runs/{runId}", TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(epochs, run.Epochs);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Restart_RunLeftRunning_BecomesInterruptedWithEpochsKept()
    {
        string runId;
        await using (var first = new RandomFitHostFactory(_databasePath))
        {
            var created = await first.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));
            runId = created.Runs[0].Id;
            await first.WaitForFinalAsync(runId);
        }

        // A process that dies mid-run leaves the row as running; write that state directly.
        var options = new DbContextOptionsBuilder<RandomFitDbContext>().UseSqlite($"Data Source={_databasePath}").Options;
        await using (var db = new RandomFitDbContext(options))
        {
            await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, RunStatus.Running),
                TestContext.Current.CancellationToken);
        }

        await using var second = new RandomFitHostFactory(_databasePath);
        var run = await second.GetRunAsync(runId);

        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Equal([1, 2, 3], run.Epochs.Select(e => e.Epoch));
    }
}
