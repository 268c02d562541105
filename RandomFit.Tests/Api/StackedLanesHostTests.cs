using System.Net;
using System.Text.Json;
using RandomFit.Tests.Web;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using static RandomFit.Tests.Training.TrainingHarness;
using static TorchSharp.torch;

namespace RandomFit.Tests.Api;

/// <summary>Stacked cohorts split into lanes inside the real app, on 2 libtorch threads.</summary>
[Collection(TorchCollection.Name)]
public sealed class StackedLanesHostTests
{
    private const string LanesLine = "Stacked cohort trains in lanes, each on its own thread with one libtorch thread: ";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StackedCohort_TrainsInLanes_RerunRepeatsSeed()
    {
        var processThreads = get_num_threads();
        try
        {
            var log = new RecordingLog();
            await using var host = new RandomFitHostFactory(settings: new Dictionary<string, string?>
            {
                ["RandomFit:Training:Threads"] = "2",
            })
            {
                Log = log,
            };
            var created = await host.CreateExperimentAsync(new
            {
                spec = new
                {
                    data = new
                    {
                        shape = new { channels = 1, height = 4, width = 4 },
                        trainSamples = 32,
                        testSamples = 16,
                        classes = 3,
                    },
                    models = new object[] { new { name = "mlp", kind = "mlp", hidden = new[] { 8 } } },
                    training = new { epochs = 3, batchSize = 8, execution = "stacked" },
                    seeds = new[] { 0, 1, 2 },
                },
            });
            var cohort = new List<RunDetails>();
            foreach (var run in created.Runs)
            {
                cohort.Add(await host.WaitForFinalAsync(run.Id));
            }

            using var client = host.CreateClient();
            var response = await client.PostAsync($"/api/runs/{cohort[1].Id}/rerun", null, Cancellation);
            var text = await response.Content.ReadAsStringAsync(Cancellation);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
            var rerun = JsonSerializer.Deserialize<RunItem>(text, SpecJson.Options)!;
            var repeated = await host.WaitForFinalAsync(rerun.Id);
            var messages = log.Entries.Select(entry => entry.Message).ToList();

            Assert.All(cohort, run => Assert.Equal(RunStatus.Completed, run.Status));
            Assert.All(cohort, run => Assert.Equal(3, run.Epochs.Count));
            Assert.All(cohort, run => Assert.Equal(ExecutionMode.Stacked, run.Execution));
            Assert.Contains(LanesLine + "seeds 0,1,2, lanes 2", messages);
            Assert.Contains(LanesLine + "seeds 1, lanes 1", messages);
            Assert.Equal(RunStatus.Completed, repeated.Status);
            Assert.Equal(WithoutTimings(cohort[1].Epochs), WithoutTimings(repeated.Epochs));
            Assert.NotEqual(cohort[0].Epochs[^1].TrainLoss, cohort[1].Epochs[^1].TrainLoss);
            Assert.NotEqual(cohort[1].Epochs[^1].TrainLoss, cohort[2].Epochs[^1].TrainLoss);
        }
        finally
        {
            set_num_threads(processThreads);
        }
    }
}
