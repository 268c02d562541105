using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Hubs;

/// <summary>
/// What one hub connection watches, and its ordered queue of outgoing events.
/// Per run, the connection gets the stored epochs, then the current status, then live events, none twice:
/// live events are buffered while the history is read, and buffered epochs and resets that the history already covers
/// are dropped.
/// </summary>
internal sealed partial class ConnectionWatch
{
    public const string DirectSource = "";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunStream> _runs = [];
    private readonly HashSet<string> _experiments = [];
    private readonly Channel<HubMessage> _outgoing = Channel.CreateUnbounded<HubMessage>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionId;
    private readonly IHubContext<RunsHub> _hub;
    private readonly IDbContextFactory<RandomFitDbContext> _dbFactory;
    private readonly ILogger _logger;

    public ConnectionWatch(
        string connectionId,
        IHubContext<RunsHub> hub,
        IDbContextFactory<RandomFitDbContext> dbFactory,
        ILogger logger)
    {
        _connectionId = connectionId;
        _hub = hub;
        _dbFactory = dbFactory;
        _logger = logger;
        _ = Task.Run(SendAsync);
    }

    public static string ExperimentSource(string experimentId) => "experiment:" + experimentId;

    public async Task<bool> WatchRunAsync(string runId, string source, CancellationToken cancellationToken)
    {
        RunStream stream;
        lock (_gate)
        {
            if (_runs.TryGetValue(runId, out var existing))
            {
                existing.Sources.Add(source);
                return true;
            }

            stream = new RunStream(source);
            _runs[runId] = stream;
        }

        RunHistory? history;
        try
        {
            history = await ReadHistoryAsync(runId, cancellationToken);
        }
        catch
        {
            // A stream left waiting for its history would buffer forever and make the next watch of the run
            // succeed without sending anything, so a failed read unregisters it.
            lock (_gate)
            {
                if (_runs.TryGetValue(runId, out var current) && current == stream)
                {
                    _runs.Remove(runId);
                }
            }

            throw;
        }

        lock (_gate)
        {
            var stillWatched = _runs.TryGetValue(runId, out var current) && current == stream;
            if (history is null)
            {
                if (stillWatched)
                {
                    _runs.Remove(runId);
                }

                return false;
            }

            if (!stillWatched)
            {
                return true;
            }

            foreach (var epoch in history.Value.Epochs)
            {
                Deliver(stream, new EpochEvent(runId, history.Value.ExperimentId, epoch));
            }

            var (experimentId, status, error, _) = history.Value;
            Deliver(stream, new StatusEvent(runId, experimentId, status, error));
            var historyCoversResets = HistoryCoversBufferedResets(status, stream.Buffer);
            foreach (var buffered in stream.Buffer)
            {
                if (buffered is ResetEvent && historyCoversResets)
                {
                    continue;
                }

                Deliver(stream, buffered);
            }

            stream.Buffer.Clear();
            stream.Live = true;
            return true;
        }
    }

    public void AddExperiment(string experimentId)
    {
        lock (_gate)
        {
            _experiments.Add(experimentId);
        }
    }

    public void RemoveExperiment(string experimentId)
    {
        var source = ExperimentSource(experimentId);
        lock (_gate)
        {
            _experiments.Remove(experimentId);
            foreach (var runId in _runs.Keys.ToList())
            {
                RemoveSourceLocked(source, runId);
            }
        }
    }

    public void RemoveSource(string source, string runId)
    {
        lock (_gate)
        {
            RemoveSourceLocked(source, runId);
        }
    }

    public void Close() => _outgoing.Writer.TryComplete();

    public void OnRunEvent(RunEvent runEvent)
    {
        // The hub's contract has no deletion event, so hub clients get no push for it. Watching the experiment or
        // one of its runs again raises a not-found error.
        if (runEvent is ExperimentDeletedEvent)
        {
            return;
        }

        lock (_gate)
        {
            if (runEvent is RunAddedEvent && _experiments.Contains(runEvent.ExperimentId))
            {
                var source = ExperimentSource(runEvent.ExperimentId);
                _ = WatchAddedRunAsync(runEvent.RunId, source);
                return;
            }

            if (!_runs.TryGetValue(runEvent.RunId, out var stream))
            {
                return;
            }

            if (stream.Live)
            {
                Deliver(stream, runEvent);
            }
            else
            {
                stream.Buffer.Add(runEvent);
            }
        }
    }

    private async Task WatchAddedRunAsync(string runId, string source)
    {
        try
        {
            await Task.Yield();
            await WatchRunAsync(runId, source, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogWatchFailed(_logger, exception, runId, _connectionId);
        }
    }

    private void RemoveSourceLocked(string source, string runId)
    {
        if (_runs.TryGetValue(runId, out var stream) && stream.Sources.Remove(source) && stream.Sources.Count == 0)
        {
            _runs.Remove(runId);
        }
    }

    // Called under the lock: filters what the connection has already had and queues the rest in order.
    private void Deliver(RunStream stream, RunEvent runEvent)
    {
        switch (runEvent)
        {
            case EpochEvent epoch when epoch.Metrics.Epoch > stream.LastEpoch:
                stream.LastEpoch = epoch.Metrics.Epoch;
                Queue(RunsHubContract.EpochEvent, epoch.RunId, epoch.Metrics);
                break;
            case StatusEvent status when Rank(status.Status) > stream.StatusRank:
                stream.StatusRank = Rank(status.Status);
                Queue(RunsHubContract.StatusEvent, status.RunId, status.Status, status.Error);
                break;
            case ResetEvent reset:
                // A resumed run sends the epochs after the checkpoint again and goes through queued and running
                // again, so both filters start over from the checkpoint.
                stream.LastEpoch = Math.Min(stream.LastEpoch, reset.FromEpoch);
                stream.StatusRank = -1;
                Queue(RunsHubContract.ResetEvent, reset.RunId, reset.FromEpoch);
                break;
        }
    }

    // Statuses only move forward, so a status event older than what was sent is a duplicate.
    private static int Rank(RunStatus status) => status switch
    {
        RunStatus.Queued => 0,
        RunStatus.Running => 1,
        RunStatus.Interrupted => 2,
        _ => 3,
    };

    // Only an interrupted run can be resumed, and a resume commits the run as queued before it publishes the reset.
    // So a history read before a buffered reset either reads the run as interrupted, or the interruption before the
    // reset is buffered too. Otherwise the history already shows the resumed run, and its reset would repeat the
    // statuses after it. When in doubt the reset is sent, because a repeated status is harmless but a dropped reset
    // leaves the client with void epochs and a stale status.
    private static bool HistoryCoversBufferedResets(RunStatus status, List<RunEvent> buffer) =>
        status != RunStatus.Interrupted
        && !buffer.Any(buffered => buffered is StatusEvent { Status: RunStatus.Interrupted });

    private void Queue(string method, params object?[] arguments) =>
        _outgoing.Writer.TryWrite(new HubMessage(method, arguments));

    private async Task<RunHistory?> ReadHistoryAsync(string runId, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);

        // One read transaction is one snapshot, and the status is read before the epochs: epochs are committed
        // before a final status, so a final status read here never precedes epochs missing from the history.
        // SQLite's default BEGIN IMMEDIATE would take the write lock, so every watch would wait behind the epoch
        // writer and hold it up in turn. A deferred transaction only reads, from one snapshot in WAL mode.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(cancellationToken);
        await db.Database.UseTransactionAsync(transaction, cancellationToken);
        var run = await db.Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .Select(r => new { r.ExperimentId, r.Status, r.Error })
            .SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return null;
        }

        var epochs = await db.Epochs.AsNoTracking()
            .Where(e => e.RunId == runId)
            .OrderBy(e => e.Epoch)
            .ToListAsync(cancellationToken);
        return new RunHistory(run.ExperimentId, run.Status, run.Error, [.. epochs.Select(RunMapping.ToMetrics)]);
    }

    private async Task SendAsync()
    {
        var client = _hub.Clients.Client(_connectionId);
        await foreach (var message in _outgoing.Reader.ReadAllAsync())
        {
            try
            {
                await client.SendCoreAsync(message.Method, message.Arguments);
            }
            catch (Exception exception)
            {
                LogSendFailed(_logger, exception, message.Method, _connectionId);
            }
        }
    }

    private sealed class RunStream(string source)
    {
        public HashSet<string> Sources { get; } = [source];
        public List<RunEvent> Buffer { get; } = [];
        public bool Live { get; set; }
        public int LastEpoch { get; set; }
        public int StatusRank { get; set; } = -1;
    }

    private readonly record struct RunHistory(
        string ExperimentId,
        RunStatus Status,
        string? Error,
        IReadOnlyList<Training.Training.EpochMetrics> Epochs);

    private sealed record HubMessage(string Method, object?[] Arguments);

    [LoggerMessage(LogLevel.Warning, "Sending {Method} to hub connection {ConnectionId} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string method, string connectionId);

    [LoggerMessage(LogLevel.Error, "Watching run {RunId} for hub connection {ConnectionId} failed")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string runId, string connectionId);
}
