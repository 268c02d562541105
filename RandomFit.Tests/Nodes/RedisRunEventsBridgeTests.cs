using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RandomFit.Web.Nodes;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Nodes;

/// <summary>Two bridges on one real Redis server, standing in for two nodes with their own feeds.</summary>
public sealed class RedisRunEventsBridgeTests
{
    [Fact]
    public async Task ExperimentDeleted_ReachesOtherNodeOnce()
    {
        var redisBinary = RedisServer.FindBinary();
        if (redisBinary is null)
        {
            Assert.Skip("Redis server not found (Debian package redis-server); " +
                "install it with apt-get install redis-server to run the bridge test.");
        }

        using var redis = await RedisServer.StartAsync(redisBinary);
        var sendingFeed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        var receivingFeed = new RunEventsFeed(NullLogger<RunEventsFeed>.Instance);
        await using var sender = await StartBridgeAsync(sendingFeed, redis);
        await using var receiver = await StartBridgeAsync(receivingFeed, redis);
        var received = new List<RunEvent>();
        using var receivedSubscription = receivingFeed.Subscribe(runEvent => Add(received, runEvent));

        sendingFeed.Publish(new ExperimentDeletedEvent("exp-1"));

        // A run event published after it on the same node arrives after it, so its arrival means the deletion has
        // arrived as often as it ever will.
        sendingFeed.Publish(new RunAddedEvent("run-2", "exp-2"));
        await WaitUntilAsync(() => Snapshot(received).Any(runEvent => runEvent is RunAddedEvent));

        Assert.Equal([new ExperimentDeletedEvent("exp-1"), new RunAddedEvent("run-2", "exp-2")], Snapshot(received));
    }

    [Fact]
    public async Task LostConnection_IsLoggedAsWarning()
    {
        var redisBinary = RedisServer.FindBinary();
        if (redisBinary is null)
        {
            Assert.Skip("Redis server not found (Debian package redis-server); " +
                "install it with apt-get install redis-server to run the bridge test.");
        }

        var redis = await RedisServer.StartAsync(redisBinary);
        var logger = new RandomFit.Tests.Training.ListLogger<RedisRunEventsBridge>();
        await using var bridge = await StartBridgeAsync(new RunEventsFeed(NullLogger<RunEventsFeed>.Instance), redis, logger);

        redis.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!logger.Entries.Any(entry => entry.Level == LogLevel.Warning))
        {
            Assert.True(DateTime.UtcNow < deadline, "No warning was logged after the Redis server stopped.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var warning = logger.Entries.First(entry => entry.Level == LogLevel.Warning).Message;
        Assert.Contains("Lost the Redis connection", warning);
        Assert.Contains(redis.ConnectionString, warning);
    }

    private static async Task<RedisRunEventsBridge> StartBridgeAsync(
        IRunEventsFeed feed, RedisServer redis, ILogger<RedisRunEventsBridge>? logger = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{RedisRunEventsBridge.ConnectionName}"] = redis.ConnectionString,
            })
            .Build();
        var bridge = new RedisRunEventsBridge(feed, configuration, logger ?? NullLogger<RedisRunEventsBridge>.Instance);
        await bridge.StartAsync(TestContext.Current.CancellationToken);
        return bridge;
    }

    private static void Add(List<RunEvent> events, RunEvent runEvent)
    {
        lock (events)
        {
            events.Add(runEvent);
        }
    }

    private static List<RunEvent> Snapshot(List<RunEvent> events)
    {
        lock (events)
        {
            return [.. events];
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The other node's feed received nothing from Redis.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
