using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

[Collection(TorchCollection.Name)]
public sealed class StackedSchedulingTests
{
    private static readonly int[] Seeds = [0, 1, 2];

    [Fact]
    public async Task StackedExperiment_ThreeSeeds_MatchesSeparateRuns()
    {
        await using var host = new RandomFitHostFactory();
        var separate = await host.CreateExperimentAsync(TinyMlp("separate", epochs: 15, Seeds));
        var separateRuns = await WaitForAllAsync(host, separate);

        var stacked = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 15, Seeds));
        var stackedRuns = await WaitForAllAsync(host, stacked);

        for (var i = 0; i < Seeds.Length; i++)
        {
            var expected = separateRuns.Single(r => r.Seed == Seeds[i]);
            var actual = stackedRuns.Single(r => r.Seed == Seeds[i]);
            Assert.Equal(RunStatus.Completed, actual.Status);
            Assert.Equal(expected.Epochs.Select(e => e.TrainAccuracy), actual.Epochs.Select(e => e.TrainAccuracy));
            Assert.Equal(expected.Epochs.Select(e => e.TestAccuracy), actual.Epochs.Select(e => e.TestAccuracy));
            AssertClose(expected.Epochs.Select(e => e.TrainLoss), actual.Epochs.Select(e => e.TrainLoss), Seeds[i]);
            AssertClose(expected.Epochs.Select(e => e.TestLoss), actual.Epochs.Select(e => e.TestLoss), Seeds[i]);
        }
    }

    [Fact]
    public async Task StackedExperiment_ThreeSeeds_RunsAsOneJob()
    {
        await using var host = new RandomFitHostFactory();
        var scheduler = host.GetService<RunScheduler>();
        var jobsBefore = scheduler.JobsStarted;

        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 5, Seeds));
        var runs = await WaitForAllAsync(host, created);

        Assert.Equal(1, scheduler.JobsStarted - jobsBefore);
        Assert.All(runs, run => Assert.Equal(ExecutionMode.Stacked, run.Execution));
        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
    }

    [Fact]
    public async Task SeparateExperiment_ThreeSeeds_RunsJobPerRun()
    {
        await using var host = new RandomFitHostFactory();
        var scheduler = host.GetService<RunScheduler>();
        var jobsBefore = scheduler.JobsStarted;

        var created = await host.CreateExperimentAsync(TinyMlp("separate", epochs: 5, Seeds));
        var runs = await WaitForAllAsync(host, created);

        Assert.Equal(3, scheduler.JobsStarted - jobsBefore);
        Assert.All(runs, run => Assert.Equal(ExecutionMode.Separate, run.Execution));
    }

    [Fact]
    public async Task RunJson_StackedRun_CarriesExecutionString()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 2, [0]));
        using var client = host.CreateClient();

        var text = await client.GetStringAsync($"/api/runs/{created.Runs[0].Id}", TestContext.Current.CancellationToken);
        var list = await client.GetStringAsync($"/api/runs?experiment={created.Id}", TestContext.Current.CancellationToken);

        Assert.Contains("\"execution\":\"stacked\"", text);
        Assert.Contains("\"execution\":\"stacked\"", list);
    }

    [Fact]
    public async Task WatchExperiment_StackedCohort_ReceivesEveryEpoch()
    {
        await using var host = new RandomFitHostFactory();
        await using var hub = await host.ConnectHubAsync();

        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 30, Seeds));
        await hub.WatchExperimentAsync(created.Id);
        foreach (var run in created.Runs)
        {
            await hub.WaitForFinalAsync(run.Id);
        }

        foreach (var run in created.Runs)
        {
            var events = hub.For(run.Id);
            var stored = await host.GetRunAsync(run.Id);
            Assert.Equal(Enumerable.Range(1, 30), HubRecorder.EpochNumbers(events));
            Assert.Equal(stored.Epochs, events.Where(e => e.Metrics is not null).Select(e => e.Metrics!));
            Assert.Equal("completed", events[^1].Status);
        }
    }

    [Fact]
    public async Task Cancel_OneStackedSeed_OthersKeepTraining()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 100000, Seeds));
        var (first, middle, last) = (created.Runs[0].Id, created.Runs[1].Id, created.Runs[2].Id);
        await host.WaitForRunAsync(middle, run => run.Epochs.Count >= 3);
        using var client = host.CreateClient();

        var cancel = await client.PostAsync($"/api/runs/{middle}/cancel", null, TestContext.Current.CancellationToken);
        var cancelled = await host.WaitForFinalAsync(middle);
        var firstAtCancel = await host.GetRunAsync(first);
        var firstLater = await host.WaitForRunAsync(first, run => run.Epochs.Count >= firstAtCancel.Epochs.Count + 20);
        await client.PostAsync($"/api/runs/{first}/cancel", null, TestContext.Current.CancellationToken);
        await client.PostAsync($"/api/runs/{last}/cancel", null, TestContext.Current.CancellationToken);
        var lastFinal = await host.WaitForFinalAsync(last);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(RunStatus.Running, firstLater.Status);
        Assert.Equal(RunStatus.Cancelled, lastFinal.Status);
    }

    [Fact]
    public async Task Queue_SeparateRunQueuedFirst_StartsBeforeStackedCohort()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        // A long run occupies the only slot while the separate run and then the stacked experiment are queued.
        var blocker = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000))).Runs[0].Id;
        await host.WaitForRunAsync(blocker, run => run.Epochs.Count > 0);
        var separate = await host.CreateExperimentAsync(TinyMlp("separate", epochs: 5, [0]));
        var stacked = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 5, Seeds));
        await client.PostAsync($"/api/runs/{blocker}/cancel", null, TestContext.Current.CancellationToken);
        var separateRun = await host.WaitForFinalAsync(separate.Runs[0].Id);
        var stackedRuns = await WaitForAllAsync(host, stacked);

        Assert.Equal(RunStatus.Completed, separateRun.Status);
        Assert.All(stackedRuns, run => Assert.Equal(RunStatus.Completed, run.Status));
        Assert.All(stackedRuns, run => Assert.True(
            run.StartedAt >= separateRun.FinishedAt,
            $"Stacked run {run.Id} started at {run.StartedAt:O}, before the separate run finished at {separateRun.FinishedAt:O}."));
    }

    [Fact]
    public async Task Queue_StackedCohortQueuedFirst_StartsBeforeSeparateRun()
    {
        await using var host = new RandomFitHostFactory();
        using var client = host.CreateClient();

        var blocker = (await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100000))).Runs[0].Id;
        await host.WaitForRunAsync(blocker, run => run.Epochs.Count > 0);
        var stacked = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 5, Seeds));
        var separate = await host.CreateExperimentAsync(TinyMlp("separate", epochs: 5, [0]));
        await client.PostAsync($"/api/runs/{blocker}/cancel", null, TestContext.Current.CancellationToken);
        var stackedRuns = await WaitForAllAsync(host, stacked);
        var separateRun = await host.WaitForFinalAsync(separate.Runs[0].Id);

        Assert.All(stackedRuns, run => Assert.True(
            separateRun.StartedAt >= run.FinishedAt,
            $"The separate run started at {separateRun.StartedAt:O}, before stacked run {run.Id} finished at {run.FinishedAt:O}."));
    }

    [Fact]
    public async Task Checkpoints_StackedCohort_WrittenPerRunAndDeletedOnCancel()
    {
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Checkpoints:EveryEpochs"] = "2",
        });
        var store = host.GetService<CheckpointStore>();
        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 100000, Seeds));
        var (first, middle, last) = (created.Runs[0].Id, created.Runs[1].Id, created.Runs[2].Id);
        await host.WaitForRunAsync(last, run => run.Epochs.Count >= 4);
        var headers = created.Runs.Select(run => store.TryReadHeader(run.Id)).ToList();
        using var client = host.CreateClient();

        // The cancelled seed's file is deleted and no longer rewritten while the other seeds train on.
        await client.PostAsync($"/api/runs/{middle}/cancel", null, TestContext.Current.CancellationToken);
        await host.WaitForFinalAsync(middle);
        var firstAtCancel = await host.GetRunAsync(first);
        await host.WaitForRunAsync(first, run => run.Epochs.Count >= firstAtCancel.Epochs.Count + 6);
        var middleFileWhileOthersTrain = File.Exists(store.PathFor(middle));
        var firstFileWhileTraining = File.Exists(store.PathFor(first));
        await client.PostAsync($"/api/runs/{first}/cancel", null, TestContext.Current.CancellationToken);
        await client.PostAsync($"/api/runs/{last}/cancel", null, TestContext.Current.CancellationToken);
        await host.WaitForFinalAsync(first);
        await host.WaitForFinalAsync(last);
        foreach (var run in created.Runs)
        {
            await host.GetService<RunScheduler>().WhenFinishedAsync(run.Id);
        }

        Assert.All(headers, header => Assert.True(header is { Stacked: true, Epoch: >= 2 }, $"header {header}"));
        Assert.False(middleFileWhileOthersTrain);
        Assert.True(firstFileWhileTraining);
        Assert.All(created.Runs, run => Assert.False(File.Exists(store.PathFor(run.Id)), $"checkpoint of {run.Id}"));
    }

    [Fact]
    public async Task StackedCohort_NaNLoss_FailsEachRun()
    {
        await using var host = new RandomFitHostFactory();

        // The same blow-up as a separate run's NaN test: weight decay 1e30 at learning rate 10 overflows the
        // weights in the first epoch.
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new
                {
                    epochs = 5, batchSize = 8, optimizer = "sgd", learningRate = 10, weightDecay = 1e30,
                    execution = "stacked",
                },
                seeds = Seeds,
            },
        });
        var runs = await WaitForAllAsync(host, created);

        Assert.All(runs, run => Assert.Equal(RunStatus.Failed, run.Status));
        Assert.All(runs, run => Assert.Equal($"Loss became NaN at epoch {run.Epochs.Count}.", run.Error));
        Assert.All(runs, run => Assert.Null(run.Epochs[^1].TrainLoss));
    }

    [Fact]
    public async Task StackedCohort_FailedSeedThenCancel_FreesSlot()
    {
        // Epochs far beyond the test's timeout, so a cohort that trains on after its last run ended occupies the only
        // scheduler slot for hours.
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Limits:MaxEpochs"] = "100000000",
        });

        // At learning rate 10 the loss of seed 1 overflows at epoch 4, while seed 0 keeps a finite loss.
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new
                {
                    shape = new { channels = 1, height = 8, width = 8 },
                    trainSamples = 40,
                    testSamples = 10,
                    classes = 5,
                    inputs = "normal",
                },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 64, 64 } } },
                training = new
                {
                    epochs = 100000000, optimizer = "sgd", learningRate = 10, momentum = 0.9, execution = "stacked",
                },
                seeds = new[] { 0, 1 },
            },
        });
        var (training, failing) = (created.Runs[0].Id, created.Runs[1].Id);
        var failed = await host.WaitForFinalAsync(failing);
        using var client = host.CreateClient();
        await client.PostAsync($"/api/runs/{training}/cancel", null, TestContext.Current.CancellationToken);
        var cancelled = await host.WaitForFinalAsync(training);

        var next = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 2));
        var nextRun = await host.WaitForFinalAsync(next.Runs[0].Id);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(RunStatus.Completed, nextRun.Status);
    }

    [Fact]
    public async Task Heartbeat_CohortBeforeClaim_RunNotCancelled()
    {
        // The cohort job registers its runs before it claims them. The gate pauses the job at its first read, while
        // the runs are still queued in the database, until two heartbeats (each followed by the check for runs
        // ended elsewhere) have passed.
        var gate = new CommandGate(["\"e\".\"SpecJson\"", "runIds1"], "UPDATE \"workers\"", releaseAfter: 2);
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Worker:HeartbeatSeconds"] = "0.1",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Debug",
        })
        {
            LogProviders = [gate],
        };

        var created = await host.CreateExperimentAsync(TinyMlp("stacked", epochs: 3, [0, 1]));
        var runs = await WaitForAllAsync(host, created);

        Assert.True(gate.Paused);
        Assert.All(runs, run => Assert.Equal(RunStatus.Completed, run.Status));
    }

    private static object TinyMlp(string execution, int epochs, int[] seeds) => new
    {
        spec = new
        {
            name = $"tiny mlp {execution}",
            data = new
            {
                shape = new { channels = 1, height = 4, width = 4 },
                trainSamples = 16,
                testSamples = 8,
            },
            models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
            training = new { epochs, batchSize = 8, execution },
            seeds,
        },
    };

    private static async Task<List<RunDetails>> WaitForAllAsync(RandomFitHostFactory host, ExperimentCreated created)
    {
        var runs = new List<RunDetails>();
        foreach (var run in created.Runs)
        {
            runs.Add(await host.WaitForFinalAsync(run.Id));
        }

        return runs;
    }

    private static void AssertClose(IEnumerable<double?> expected, IEnumerable<double?> actual, int seed)
    {
        var pairs = expected.Zip(actual).ToList();
        Assert.Equal(expected.Count(), actual.Count());
        foreach (var (want, got) in pairs)
        {
            Assert.NotNull(want);
            Assert.NotNull(got);
            var tolerance = 1e-4 * Math.Abs(want.Value);
            Assert.True(Math.Abs(want.Value - got.Value) <= tolerance, $"Seed {seed}: loss {got} differs from {want}.");
        }
    }
}
