using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

public sealed class RunEventsFeedTests
{
    [Fact]
    public void Publish_ThrowingSubscriber_OthersStillReceiveEveryEvent()
    {
        var feed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        var received = new List<RunEvent>();
        using var throwing = feed.Subscribe(_ => throw new InvalidOperationException("subscriber fault"));
        using var recording = feed.Subscribe(received.Add);

        var events = Enumerable.Range(1, 3)
            .Select(epoch => new EpochEvent("run", "experiment", new EpochMetrics(epoch, 0.5, 0.5, null, null, 0.1, epoch)))
            .ToList();
        events.ForEach(feed.Publish);

        Assert.Equal(events, received);
    }

    [Fact]
    public void Subscribe_Disposed_StopsDelivery()
    {
        var feed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        var received = 0;
        var subscription = feed.Subscribe(_ => received++);

        feed.Publish(new RunAddedEvent("a", "e"));
        subscription.Dispose();
        feed.Publish(new RunAddedEvent("b", "e"));

        Assert.Equal(1, received);
    }
}

[Collection(TorchCollection.Name)]
public sealed class RunEventsFeedHostTests
{
    [Fact]
    public async Task Run_SubscriberThrowingOnEveryEvent_CompletesAndHostKeepsServing()
    {
        await using var host = new RandomFitHostFactory();
        var calls = 0;
        using var faulty = host.GetService<IRunEventsFeed>().Subscribe(_ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("subscriber fault");
        });

        var created = await host.CreateExperimentAsync(TestSpecs.TinyMlp(epochs: 20));
        var run = await host.WaitForFinalAsync(created.Runs[0].Id);
        using var client = host.CreateClient();
        var health = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(20, run.Epochs.Count);
        Assert.True(calls >= 22, $"The faulty subscriber was called {calls} times.");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
