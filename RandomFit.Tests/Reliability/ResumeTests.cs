using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Reliability;

/// <summary>Resuming interrupted runs from their checkpoints on the real host.</summary>
[Collection(TorchCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private const int Epochs = 20;
    private const int EveryEpochs = 5;

    private static readonly Dictionary<string, string?> CheckpointSettings = new()
    {
        ["RandomFit:Checkpoints:EveryEpochs"] = EveryEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private readonly string _databasePath = RandomFitHostFactory.NewDatabasePath();

    public void Dispose() => RandomFitHostFactory.DeleteDatabase(_databasePath);

    [Fact]
    public async Task Resume_InterruptedRun_StreamsResetThenRemainingEpochs()
    {
        // The first host stops mid-run after a checkpoint exists, which leaves the run interrupted.
        string runId;
        await using (var first = new RandomFitHostFactory(_databasePath, CheckpointSettings))
        {
            runId = (await first.CreateExperimentAsync(SlowMlp())).Runs[0].Id;
            await first.WaitForRunAsync(runId, run => run.Epochs.Count >= EveryEpochs + 2);
        }

        await using var second = new RandomFitHostFactory(_databasePath, CheckpointSettings);
        var interrupted = await second.GetRunAsync(runId);
        var reference = (await second.CreateExperimentAsync(SlowMlp())).Runs[0].Id;
        await using var hub = await second.ConnectHubAsync();
        await hub.WatchRunAsync(runId);
        await hub.WaitUntilAsync(events => events.Any(e => e.Status == "interrupted"));
        using var client = second.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        await hub.WaitForFinalAsync(runId);
        var resumed = await second.GetRunAsync(runId);
        var uninterrupted = await second.WaitForFinalAsync(reference);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.True(interrupted.Epochs.Count < Epochs, $"{interrupted.Epochs.Count} epochs before the stop");
        var events = hub.For(runId);
        var reset = events.Single(e => e.Name == RunsHubContract.ResetEvent);
        var checkpointEpoch = interrupted.Epochs.Count / EveryEpochs * EveryEpochs;
        Assert.Equal(checkpointEpoch, reset.FromEpoch);
        var afterReset = events.SkipWhile(e => e != reset).Skip(1).ToList();
        Assert.Equal(Enumerable.Range(checkpointEpoch + 1, Epochs - checkpointEpoch), HubRecorder.EpochNumbers(afterReset));
        Assert.Equal("completed", afterReset[^1].Status);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(interrupted.StartedAt, resumed.StartedAt);
        Assert.Equal(Timeless(uninterrupted.Epochs), Timeless(resumed.Epochs));
        Assert.False(File.Exists(second.GetService<CheckpointStore>().PathFor(runId)));
    }

    [Fact]
    public async Task Resume_CheckpointAheadOfEpochs_UsesPreviousCheckpoint()
    {
        // The first host stops after two checkpoints, and the newest checkpoint's last epoch and those after it are
        // then deleted, as if the process had died before committing them.
        const int epochs = 40;
        string runId;
        await using (var first = new RandomFitHostFactory(_databasePath, CheckpointSettings))
        {
            runId = (await first.CreateExperimentAsync(SlowMlp(epochs))).Runs[0].Id;
            await first.WaitForRunAsync(runId, run => run.Epochs.Count >= 2 * EveryEpochs + 1);
        }

        await using var second = new RandomFitHostFactory(_databasePath, CheckpointSettings);
        var store = second.GetService<CheckpointStore>();
        var newest = store.TryReadHeader(runId);
        var previous = store.TryReadPreviousHeader(runId);
        await DeleteEpochsAfterAsync(second, runId, newest!.Epoch - 1);
        var reference = (await second.CreateExperimentAsync(SlowMlp(epochs))).Runs[0].Id;
        await using var hub = await second.ConnectHubAsync();
        await hub.WatchRunAsync(runId);
        await hub.WaitUntilAsync(events => events.Any(e => e.Status == "interrupted"));
        using var client = second.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        await hub.WaitForFinalAsync(runId);
        var resumed = await second.GetRunAsync(runId);
        var uninterrupted = await second.WaitForFinalAsync(reference);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(newest.Epoch >= 2 * EveryEpochs, $"newest checkpoint after epoch {newest.Epoch}");
        Assert.Equal(newest.Epoch - EveryEpochs, previous!.Epoch);
        Assert.Equal(previous.Epoch, hub.For(runId).Single(e => e.Name == RunsHubContract.ResetEvent).FromEpoch);
        Assert.Equal(RunStatus.Completed, resumed.Status);
        Assert.Equal(Timeless(uninterrupted.Epochs), Timeless(resumed.Epochs));
        Assert.False(File.Exists(RunCheckpoint.PreviousPath(store.PathFor(runId))));
    }

    [Fact]
    public async Task Resume_NoCheckpointBehindEpochs_ConflictNamesEpochs()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TinyStackedMlp())).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await MarkInterruptedAsync(host, runId);
        var path = host.GetService<CheckpointStore>().PathFor(runId);
        RunCheckpoint.Write(path, new CheckpointHeader(Epoch: 3, ElapsedSeconds: 0.1, Stacked: true), _ => { });
        RunCheckpoint.Write(path, new CheckpointHeader(Epoch: 4, ElapsedSeconds: 0.1, Stacked: true), _ => { });
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        var text = ProblemDetail(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(
            $"Run '{runId}' has a checkpoint after epoch 4, but only 2 of its epochs were stored before it stopped, "
            + "and no earlier checkpoint is usable; rerun it instead.",
            text);
    }

    [Fact]
    public async Task Resume_InterruptedStackedRuns_MatchUninterruptedCohort()
    {
        // The first host stops the cohort mid-run after its checkpoints exist.
        List<string> runIds;
        await using (var first = new RandomFitHostFactory(_databasePath, CheckpointSettings))
        {
            runIds = [.. (await first.CreateExperimentAsync(SlowStackedMlp())).Runs.Select(r => r.Id)];
            await first.WaitForRunAsync(runIds[^1], run => run.Epochs.Count >= EveryEpochs + 2);
        }

        await using var second = new RandomFitHostFactory(_databasePath, CheckpointSettings);
        var store = second.GetService<CheckpointStore>();
        var scheduler = second.GetService<RunScheduler>();
        var interrupted = new List<RunDetails>();
        foreach (var runId in runIds)
        {
            interrupted.Add(await second.GetRunAsync(runId));
        }

        var headers = runIds.Select(store.TryReadHeader).ToList();

        // A long separate run holds the only slot, so every resumed run is queued before any starts, and they
        // train as one cohort of the same seeds as the reference.
        var blocker = (await second.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000))).Runs[0].Id;
        await second.WaitForRunAsync(blocker, run => run.Epochs.Count > 0);
        var jobsBefore = scheduler.JobsStarted;
        using var client = second.CreateClient();
        var responses = new List<HttpResponseMessage>();
        foreach (var runId in runIds)
        {
            responses.Add(await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken));
        }

        await client.PostAsync($"/api/runs/{blocker}/cancel", null, TestContext.Current.CancellationToken);
        var resumed = new List<RunDetails>();
        foreach (var runId in runIds)
        {
            resumed.Add(await second.WaitForFinalAsync(runId));
        }

        var jobsForResumed = scheduler.JobsStarted - jobsBefore;
        var referenceIds = (await second.CreateExperimentAsync(SlowStackedMlp())).Runs.Select(r => r.Id).ToList();
        var reference = new List<RunDetails>();
        foreach (var runId in referenceIds)
        {
            reference.Add(await second.WaitForFinalAsync(runId));
        }

        for (var k = 0; k < runIds.Count; k++)
        {
            Assert.Equal(RunStatus.Interrupted, interrupted[k].Status);
            Assert.True(interrupted[k].Epochs.Count < Epochs, $"{interrupted[k].Epochs.Count} epochs before the stop");
            Assert.NotNull(headers[k]);
            Assert.True(headers[k]!.Stacked);
            Assert.Equal(HttpStatusCode.Accepted, responses[k].StatusCode);
            Assert.Equal(RunStatus.Completed, resumed[k].Status);
            Assert.Equal(interrupted[k].StartedAt, resumed[k].StartedAt);
            Assert.True(reference[k].Status == RunStatus.Completed, $"reference {reference[k].Status}: {reference[k].Error}");
            Assert.Equal(ExecutionMode.Stacked, resumed[k].Execution);
            Assert.Equal(reference[k].Seed, resumed[k].Seed);
            Assert.Equal(Timeless(reference[k].Epochs), Timeless(resumed[k].Epochs));
            Assert.False(File.Exists(store.PathFor(runIds[k])));
        }

        Assert.Equal(1, jobsForResumed);
    }

    [Fact]
    public async Task Resume_StackedRunWithSeparateCheckpoint_ConflictNamesExecution()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TinyStackedMlp())).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await MarkInterruptedAsync(host, runId);
        RunCheckpoint.Write(
            host.GetService<CheckpointStore>().PathFor(runId),
            new CheckpointHeader(Epoch: 1, ElapsedSeconds: 0.1, Stacked: false),
            _ => { });
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        var text = ProblemDetail(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(
            $"Run '{runId}' uses stacked execution, but its checkpoint was written in separate execution; rerun it instead.",
            text);
    }

    [Fact]
    public async Task Cancel_InterruptedRun_DeletesCheckpoint()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TinyStackedMlp())).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await MarkInterruptedAsync(host, runId);
        var path = host.GetService<CheckpointStore>().PathFor(runId);
        RunCheckpoint.Write(path, new CheckpointHeader(Epoch: 1, ElapsedSeconds: 0.1, Stacked: true), _ => { });
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/cancel", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await host.GetRunAsync(runId)).Status);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Startup_EndedRunCheckpoints_Deleted()
    {
        // The test databases share one folder and so one checkpoints folder, as databases in one folder do.
        var unknown = $"other{Guid.NewGuid():N}";
        string completed;
        string interrupted;
        string path;
        await using (var first = new RandomFitHostFactory(_databasePath))
        {
            var runs = (await first.CreateExperimentAsync(TinyStackedMlp(seeds: [0, 1]))).Runs;
            (completed, interrupted) = (runs[0].Id, runs[1].Id);
            await first.WaitForFinalAsync(completed);
            await first.WaitForFinalAsync(interrupted);
            await MarkInterruptedAsync(first, interrupted);
            var store = first.GetService<CheckpointStore>();
            path = store.PathFor(completed);
            foreach (var runId in new[] { completed, interrupted, unknown })
            {
                RunCheckpoint.Write(store.PathFor(runId), new CheckpointHeader(Epoch: 1, ElapsedSeconds: 0.1, Stacked: true), _ => { });
                RunCheckpoint.Write(store.PathFor(runId), new CheckpointHeader(Epoch: 2, ElapsedSeconds: 0.2, Stacked: true), _ => { });
            }
        }

        await using var second = new RandomFitHostFactory(_databasePath);
        var checkpoints = second.GetService<CheckpointStore>();
        var stored = checkpoints.StoredRunIds();
        checkpoints.Delete(unknown);

        Assert.DoesNotContain(completed, stored);
        Assert.Contains(interrupted, stored);
        Assert.Contains(unknown, stored);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(RunCheckpoint.PreviousPath(path)));
        Assert.Equal(2, checkpoints.TryReadHeader(interrupted)!.Epoch);
        Assert.Equal(1, checkpoints.TryReadPreviousHeader(interrupted)!.Epoch);
        checkpoints.Delete(interrupted);
    }

    [Fact]
    public async Task Resume_ConcurrentRequests_OneAccepted()
    {
        // With checkpoints after epochs 1 and 3 and at most two stored epochs, every request finds the newest
        // checkpoint ahead of the epochs and plans to go back to the previous one, which only the accepted request
        // may do. The requests race, so the round is repeated.
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2))).Runs[0].Id;
        var path = host.GetService<CheckpointStore>().PathFor(runId);
        using var client = host.CreateClient();
        for (var round = 0; round < 10; round++)
        {
            await host.WaitForFinalAsync(runId);
            await MarkInterruptedAsync(host, runId);
            RunCheckpoint.Write(path, new CheckpointHeader(Epoch: 1, ElapsedSeconds: 0.1, Stacked: false), _ => { });
            RunCheckpoint.Write(path, new CheckpointHeader(Epoch: 3, ElapsedSeconds: 0.1, Stacked: false), _ => { });

            var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
                client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken)));
            var statuses = string.Join(", ", responses.Select(response => (int)response.StatusCode).Order());

            Assert.Equal("202" + string.Concat(Enumerable.Repeat(", 409", 15)), statuses);
        }
    }

    [Fact]
    public async Task Resume_CompletedRun_ConflictNamesStatus()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2))).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        var text = ProblemDetail(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"Run '{runId}' is completed", text);
    }

    [Fact]
    public async Task Resume_InterruptedWithoutCheckpoint_ConflictSaysRerun()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        var runId = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2))).Runs[0].Id;
        await host.WaitForFinalAsync(runId);
        await MarkInterruptedAsync(host, runId);
        using var client = host.CreateClient();

        var response = await client.PostAsync($"/api/runs/{runId}/resume", null, TestContext.Current.CancellationToken);
        var text = ProblemDetail(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"Run '{runId}' has no checkpoint; rerun it instead.", text);
    }

    [Fact]
    public async Task Resume_UnknownRun_ReturnsNotFound()
    {
        await using var host = new RandomFitHostFactory(_databasePath);
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/runs/nosuchrun/resume", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // An MLP on 3x16x16 inputs, slow enough on one thread that the host stops before the last epoch.
    private static object SlowMlp(int epochs = Epochs) => new
    {
        spec = new
        {
            name = "resumable mlp",
            data = new { shape = new { channels = 3, height = 16, width = 16 }, trainSamples = 256, testSamples = 64 },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 256, 256 }, dropout = 0.2 } },
            training = new { epochs, batchSize = 16 },
            seeds = new[] { 3 },
        },
    };

    // Two seeds of an MLP on 3x16x16 inputs trained stacked, slow enough on one thread that the host stops before
    // the last epoch.
    private static object SlowStackedMlp() => new
    {
        spec = new
        {
            name = "resumable stacked mlp",
            data = new { shape = new { channels = 3, height = 16, width = 16 }, trainSamples = 256, testSamples = 64 },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 256, 256 } } },
            training = new { epochs = Epochs, batchSize = 16, execution = "stacked" },
            seeds = new[] { 3, 4 },
        },
    };

    private static object TinyStackedMlp(int[]? seeds = null) => new
    {
        spec = new
        {
            data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16 },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
            training = new { epochs = 2, batchSize = 8, execution = "stacked" },
            seeds = seeds ?? [0],
        },
    };

    private static async Task MarkInterruptedAsync(RandomFitHostFactory host, string runId)
    {
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Runs
            .Where(r => r.Id == runId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Interrupted), TestContext.Current.CancellationToken);
    }

    private static async Task DeleteEpochsAfterAsync(RandomFitHostFactory host, string runId, int epoch)
    {
        var factory = host.GetService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        await db.Epochs
            .Where(e => e.RunId == runId && e.Epoch > epoch)
            .ExecuteDeleteAsync(TestContext.Current.CancellationToken);
    }

    private static List<EpochMetrics> Timeless(IEnumerable<EpochMetrics> epochs) =>
        [.. epochs.Select(e => e with { Seconds = 0, ElapsedSeconds = 0 })];

    // The problem's detail as text, since the JSON body escapes the quotes around ids.
    private static string ProblemDetail(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("detail").GetString() ?? "";
}
