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
    public async Task SecondHost_SameDatabase_FailsAndLeavesRunsAlone()
    {
        await using var first = new RandomFitHostFactory(_databasePath);
        var created = await first.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100_000));
        var runId = created.Runs[0].Id;
        await first.WaitForRunAsync(runId, run => run.Epochs.Count >= 1);

        // Starting a second node on the file must fail before it marks the first node's run interrupted.
        var second = new RandomFitHostFactory(_databasePath);
        var failure = Record.Exception(() => second.CreateClient());
        await second.DisposeAsync();
        var run = await first.GetRunAsync(runId);
        var later = await first.WaitForRunAsync(runId, details => details.Epochs.Count > run.Epochs.Count);

        Assert.NotNull(failure);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(RunStatus.Running, later.Status);
        using var client = first.CreateClient();
        var cancel = await client.PostAsync($"/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);
        Assert.True(cancel.IsSuccessStatusCode, $"cancel answered {cancel.StatusCode}");
        await first.WaitForFinalAsync(runId);
    }

    [Fact]
    public void DatabaseFileLock_SecondHolder_IsRejectedUntilReleased()
    {
        var first = new DatabaseFileLock();
        using var second = new DatabaseFileLock();
        first.Acquire(_databasePath);

        var failure = Assert.Throws<DatabaseInUseException>(() => second.Acquire(_databasePath));
        first.Dispose();
        second.Acquire(_databasePath);

        Assert.Equal(
            $"The database {_databasePath} is in use by another RandomFit process (lock file {_databasePath}.lock). "
            + "A SQLite database serves one process; stop the other one, or give this one its own database "
            + "with ConnectionStrings:RandomFit.",
            failure.Message);
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

        var log = new RecordingLog();
        await using var second = new RandomFitHostFactory(_databasePath) { Log = log };
        var run = await second.GetRunAsync(runId);

        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Equal([1, 2, 3], run.Epochs.Select(e => e.Epoch));
        Assert.Contains(
            log.Entries,
            entry => entry.Message == $"Marked 1 run interrupted, left running when the last process stopped: {runId}");
    }
}
