using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RandomFit.Training.Training;
using RandomFit.Web.Apis;
using RandomFit.Web.Hubs;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Web;

public sealed class ConnectionWatchTests : IAsyncDisposable
{
    private const string ExperimentId = "exp-watch";
    private const string RunId = "run-watch";

    private readonly RandomFitHostFactory _host = new();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    // A resume commits the run as queued, then publishes reset and queued. When the history is read after that
    // commit, it already shows the resumed run, so the buffered reset and status would repeat it.
    [Fact]
    public async Task WatchAfterResumeCommit_SkipsBufferedReset()
    {
        await StoreRunAsync(RunStatus.Queued, epochCount: 2);

        var sent = await WatchWithEventsDuringReadAsync(
            new ResetEvent(RunId, ExperimentId, 2),
            new StatusEvent(RunId, ExperimentId, RunStatus.Queued, null));

        Assert.Equal(["epoch 1", "epoch 2", "status queued"], sent);
    }

    // When the history is read before the resume commits, it shows the interrupted run with the epochs the
    // resume deletes, so the reset must follow it.
    [Fact]
    public async Task WatchBeforeResumeCommit_SendsBufferedReset()
    {
        await StoreRunAsync(RunStatus.Interrupted, epochCount: 3);

        var sent = await WatchWithEventsDuringReadAsync(
            new ResetEvent(RunId, ExperimentId, 2),
            new StatusEvent(RunId, ExperimentId, RunStatus.Queued, null));

        Assert.Equal(["epoch 1", "epoch 2", "epoch 3", "status interrupted", "reset 2", "status queued"], sent);
    }

    // A history read while the run trained is older than an interruption and a resume that both arrive while it is
    // read. Its status is not interrupted, yet the buffered reset is new to the client and must be sent.
    [Fact]
    public async Task WatchBeforeInterruptAndResume_SendsBufferedReset()
    {
        await StoreRunAsync(RunStatus.Running, epochCount: 3);

        var sent = await WatchWithEventsDuringReadAsync(
            new StatusEvent(RunId, ExperimentId, RunStatus.Interrupted, null),
            new ResetEvent(RunId, ExperimentId, 2),
            new StatusEvent(RunId, ExperimentId, RunStatus.Queued, null));

        Assert.Equal(
            ["epoch 1", "epoch 2", "epoch 3", "status running", "status interrupted", "reset 2", "status queued"],
            sent);
    }

    // Watches the run while the given events arrive between the watch's registration and its history read, and
    // returns what the connection sent, one line per message.
    private async Task<List<string>> WatchWithEventsDuringReadAsync(params RunEvent[] events)
    {
        var hub = new RecordingHubContext();
        ConnectionWatch? watch = null;
        var factory = new BeforeFirstContextFactory(
            _host.GetService<IDbContextFactory<RandomFitDbContext>>(),
            () => Array.ForEach(events, runEvent => watch!.OnRunEvent(runEvent)));
        watch = new ConnectionWatch("connection-1", hub, factory, NullLogger.Instance);

        var found = await watch.WatchRunAsync(RunId, ConnectionWatch.DirectSource, TestContext.Current.CancellationToken);
        watch.Close();
        await hub.WaitForQuietAsync();

        Assert.True(found);
        return hub.Lines;
    }

    private Task StoreRunAsync(RunStatus status, int epochCount) => StoredRuns.AddAsync(
        _host.GetService<IDbContextFactory<RandomFitDbContext>>(),
        ExperimentId,
        [RunId],
        status,
        totalEpochs: 10,
        storedEpochs: epochCount);

    /// <summary>Runs an action once, just before the first context is created, then creates contexts from another factory.</summary>
    private sealed class BeforeFirstContextFactory(IDbContextFactory<RandomFitDbContext> inner, Action beforeFirst)
        : IDbContextFactory<RandomFitDbContext>
    {
        private int _created;

        public RandomFitDbContext CreateDbContext()
        {
            if (Interlocked.Exchange(ref _created, 1) == 0)
            {
                beforeFirst();
            }

            return inner.CreateDbContext();
        }
    }

    /// <summary>A hub context whose every client records the messages sent to it.</summary>
    private sealed class RecordingHubContext : IHubContext<RunsHub>
    {
        private readonly RecordingClients _clients = new();

        public IHubClients Clients => _clients;

        public IGroupManager Groups => throw new NotSupportedException();

        public List<string> Lines => _clients.Lines;

        // The connection sends from a background task, so this waits until no message has arrived for a while.
        public async Task WaitForQuietAsync()
        {
            var count = -1;
            while (count != Lines.Count)
            {
                count = Lines.Count;
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }
    }

    /// <summary>Clients that all record, as one line each, the hub messages sent to them.</summary>
    private sealed class RecordingClients : IHubClients, IClientProxy
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public List<string> Lines => [.. _lines];

        public IClientProxy All => throw new NotSupportedException();

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => this;

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy Group(string groupName) => throw new NotSupportedException();

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) =>
            throw new NotSupportedException();

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();

        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            _lines.Enqueue(method switch
            {
                RunsHubContract.EpochEvent => $"epoch {((EpochMetrics)args[1]!).Epoch}",
                RunsHubContract.StatusEvent => $"status {StatusNames.ToName((RunStatus)args[1]!)}",
                RunsHubContract.ResetEvent => $"reset {args[1]}",
                _ => method,
            });
            return Task.CompletedTask;
        }
    }
}
