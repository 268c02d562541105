using System.Text.Json;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;
using StackExchange.Redis;

namespace RandomFit.Web.Nodes;

/// <summary>
/// Carries the run-events feed between nodes over Redis pub/sub when <c>ConnectionStrings:Redis</c> is set:
/// events published on this node go to the channel, and events from other nodes are published on the local feed,
/// where pages and the hub receive them like local ones. Without the setting this does nothing.
/// </summary>
/// <remarks>
/// Each node publishes through one connection and reads the channel in arrival order, so one run's events, which
/// one node publishes one after another, arrive in order. Receivers drop repeats by epoch number and status.
/// NOTE: pub/sub does not store messages, so events published while a node is disconnected from Redis never reach
/// it. Its pages and hub clients catch up only when they read the run again (a page reload, a new WatchRun).
/// </remarks>
public sealed partial class RedisRunEventsBridge(
    IRunEventsFeed feed,
    IConfiguration configuration,
    ILogger<RedisRunEventsBridge> logger) : IHostedService, IAsyncDisposable
{
    public const string ConnectionName = "Redis";
    public static readonly RedisChannel Channel = RedisChannel.Literal("randomfit:run-events");

    // Set while an event from Redis is published locally, so the local handler does not send it back.
    [ThreadStatic] private static bool t_relaying;

    // Tells this process's own messages apart when they come back from the channel.
    private readonly string _nodeId = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer? _redis;
    private ChannelMessageQueue? _messages;
    private IDisposable? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        _redis = await ConnectionMultiplexer.ConnectAsync(connectionString);

        // The multiplexer reconnects on its own without logging, and events sent meanwhile are lost, so the log
        // records when the connection drops and when it returns.
        _redis.ConnectionFailed += (_, args) =>
            LogConnectionLost(logger, args.EndPoint?.ToString(), args.FailureType, args.Exception);
        _redis.ConnectionRestored += (_, args) => LogConnectionRestored(logger, args.EndPoint?.ToString());
        _messages = await _redis.GetSubscriber().SubscribeAsync(Channel);
        _messages.OnMessage(OnRemoteMessage);
        _subscription = feed.Subscribe(OnLocalEvent);
        LogConnected(logger, string.Join(", ", _redis.GetEndPoints().Select(e => e.ToString())));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _subscription = null;
        if (_messages is not null)
        {
            await _messages.UnsubscribeAsync();
            _messages = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private void OnLocalEvent(RunEvent runEvent)
    {
        if (t_relaying || _redis is null)
        {
            return;
        }

        var message = JsonSerializer.Serialize(RunEventMessage.From(_nodeId, runEvent), SpecJson.Options);

        // Fire-and-forget keeps the training thread off the network; the multiplexer still sends in call order.
        _redis.GetSubscriber().Publish(Channel, message, CommandFlags.FireAndForget);
    }

    private void OnRemoteMessage(ChannelMessage message)
    {
        RunEvent? runEvent;
        try
        {
            var parsed = JsonSerializer.Deserialize<RunEventMessage>((string)message.Message!, SpecJson.Options);
            if (parsed is null || parsed.Node == _nodeId)
            {
                return;
            }

            runEvent = parsed.ToEvent();
        }
        catch (JsonException exception)
        {
            LogBadMessage(logger, exception);
            return;
        }

        if (runEvent is null)
        {
            return;
        }

        t_relaying = true;
        try
        {
            feed.Publish(runEvent);
        }
        finally
        {
            t_relaying = false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Run events travel between nodes through Redis at {Endpoints}")]
    private static partial void LogConnected(ILogger logger, string endpoints);

    [LoggerMessage(
        LogLevel.Warning,
        "Lost the Redis connection to {Endpoint} ({FailureType}); run events between this node and the others are lost until it is restored")]
    private static partial void LogConnectionLost(
        ILogger logger, string? endpoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(LogLevel.Information, "Restored the Redis connection to {Endpoint}")]
    private static partial void LogConnectionRestored(ILogger logger, string? endpoint);

    [LoggerMessage(LogLevel.Warning, "Ignored a run-events message from Redis that is not valid JSON for this version")]
    private static partial void LogBadMessage(ILogger logger, Exception exception);
}

/// <summary>A run event as it travels on the Redis channel.</summary>
internal sealed record RunEventMessage(
    string Node,
    string Kind,
    string RunId,
    string ExperimentId,
    EpochMetrics? Metrics = null,
    RunStatus? Status = null,
    string? Error = null,
    int? FromEpoch = null)
{
    public static RunEventMessage From(string node, RunEvent runEvent) => runEvent switch
    {
        EpochEvent e => new(node, "epoch", e.RunId, e.ExperimentId, Metrics: e.Metrics),
        StatusEvent e => new(node, "status", e.RunId, e.ExperimentId, Status: e.Status, Error: e.Error),
        ResetEvent e => new(node, "reset", e.RunId, e.ExperimentId, FromEpoch: e.FromEpoch),
        RunAddedEvent e => new(node, "runAdded", e.RunId, e.ExperimentId),
        ExperimentDeletedEvent e => new(node, "experimentDeleted", e.RunId, e.ExperimentId),
        _ => new(node, runEvent.GetType().Name, runEvent.RunId, runEvent.ExperimentId),
    };

    /// <summary>Returns the event, or null for a kind this version does not know.</summary>
    public RunEvent? ToEvent() => Kind switch
    {
        "epoch" when Metrics is not null => new EpochEvent(RunId, ExperimentId, Metrics),
        "status" when Status is { } status => new StatusEvent(RunId, ExperimentId, status, Error),
        "reset" when FromEpoch is { } fromEpoch => new ResetEvent(RunId, ExperimentId, fromEpoch),
        "runAdded" => new RunAddedEvent(RunId, ExperimentId),
        "experimentDeleted" => new ExperimentDeletedEvent(ExperimentId),
        _ => null,
    };
}
