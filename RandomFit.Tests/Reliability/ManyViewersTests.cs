using RandomFit.Tests.Web;
using RandomFit.Web.Hubs;

namespace RandomFit.Tests.Reliability;

/// <summary>Many hub clients watching one experiment while it trains.</summary>
[Collection(TorchCollection.Name)]
public sealed class ManyViewersTests
{
    private const int Viewers = 20;
    private const int Epochs = 25;

    [Fact]
    public async Task WatchExperiment_TwentyViewers_EachGetsEveryEpochOnceInOrder()
    {
        await using var host = new RandomFitHostFactory();
        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: Epochs, seeds: [0, 1, 2]));
        var viewers = new List<HubRecorder>();
        try
        {
            for (var i = 0; i < Viewers; i++)
            {
                var viewer = await host.ConnectHubAsync();
                viewers.Add(viewer);
                await viewer.WatchExperimentAsync(created.Id);
            }

            foreach (var viewer in viewers)
            {
                foreach (var run in created.Runs)
                {
                    await viewer.WaitForFinalAsync(run.Id);
                }
            }

            foreach (var (viewer, index) in viewers.Select((viewer, index) => (viewer, index)))
            {
                foreach (var run in created.Runs)
                {
                    var events = viewer.For(run.Id);
                    var epochs = HubRecorder.EpochNumbers(events);
                    Assert.True(
                        Enumerable.Range(1, Epochs).SequenceEqual(epochs),
                        $"Viewer {index}, run {run.Id}: epochs {string.Join(",", epochs)}");
                    Assert.Equal(RunsHubContract.StatusEvent, events[^1].Name);
                    Assert.Equal("completed", events[^1].Status);
                    Assert.Single(events, e => e.Status == "completed");
                }
            }
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }
}
