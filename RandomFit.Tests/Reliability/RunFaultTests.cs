using Microsoft.EntityFrameworkCore;
using RandomFit.Tests.Web;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Tests.Reliability;

/// <summary>Faults inside one run on the real host: the run fails with its reason and the queue goes on.</summary>
[Collection(TorchCollection.Name)]
public sealed class RunFaultTests
{
    [Fact]
    public async Task Run_LossBecomesNaN_FailsWithEpochAndNullLoss()
    {
        await using var host = new RandomFitHostFactory();

        // Weight decay 1e30 at learning rate 10 multiplies every weight by about -1e31 per step, so the
        // weights overflow to infinity within the first epoch and the loss turns NaN.
        var created = await host.CreateExperimentAsync(new
        {
            spec = new
            {
                data = new { shape = new { channels = 1, height = 4, width = 4 }, trainSamples = 16 },
                models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 4 } } },
                training = new { epochs = 5, batchSize = 8, optimizer = "sgd", learningRate = 10, weightDecay = 1e30 },
            },
        });
        var run = await host.WaitForFinalAsync(created.Runs[0].Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal($"Loss became NaN at epoch {run.Epochs.Count}.", run.Error);
        Assert.Null(run.Epochs[^1].TrainLoss);
        Assert.All(run.Epochs.SkipLast(1), epoch => Assert.NotNull(epoch.TrainLoss));
    }

    [Fact]
    public async Task Run_TrainerThrows_FailsOnlyThatRunAndQueueGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
        {
            ["RandomFit:Scheduler:Concurrency"] = "1",
        });

        // A long run takes the only slot while the next two wait in the queue.
        var blocker = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 100_000));
        await host.WaitForRunAsync(blocker.Runs[0].Id, run => run.Status == RunStatus.Running);
        var broken = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));
        var next = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 3));

        // Validation keeps runs and specs consistent, so the stored spec is edited directly, as a row written by
        // another version could be. The trainer then finds no model of the run's name and throws when it starts.
        var options = new DbContextOptionsBuilder<RandomFitDbContext>()
            .UseSqlite($"Data Source={host.DatabasePath}")
            .Options;
        await using (var db = new RandomFitDbContext(options))
        {
            var experiment = await db.Experiments.SingleAsync(e => e.Id == broken.Id, ct);
            experiment.SpecJson = experiment.SpecJson.Replace(
                "\"name\":\"mlp\"",
                "\"name\":\"renamed\"",
                StringComparison.Ordinal);
            Assert.Contains("renamed", experiment.SpecJson, StringComparison.Ordinal);
            await db.SaveChangesAsync(ct);
        }

        using var client = host.CreateClient();
        await client.PostAsync($"/api/runs/{blocker.Runs[0].Id}/cancel", null, ct);
        var failed = await host.WaitForFinalAsync(broken.Runs[0].Id);
        var completed = await host.WaitForFinalAsync(next.Runs[0].Id);

        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal("The spec has no model named \"mlp\".", failed.Error);
        Assert.Empty(failed.Epochs);
        Assert.Equal(RunStatus.Completed, completed.Status);
        Assert.Equal([1, 2, 3], completed.Epochs.Select(e => e.Epoch));
    }
}
