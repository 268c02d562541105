using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Persistence;
using RandomFit.Web.Scheduling;

namespace RandomFit.Web.Hubs;

/// <summary>
/// The runs and experiments each hub connection watches. One feed subscription serves every connection, and
/// each connection sends from its own queue, so a slow client never holds up training or other clients.
/// </summary>
public sealed partial class RunWatchers : IDisposable
{
    private readonly ConcurrentDictionary<string, ConnectionWatch> _connections = new();
    private readonly IHubContext<RunsHub> _hub;
    private readonly IDbContextFactory<RandomFitDbContext> _dbFactory;
    private readonly ILogger<RunWatchers> _logger;
    private readonly IDisposable _subscription;

    public RunWatchers(
        IRunEventsFeed feed,
        IHubContext<RunsHub> hub,
        IDbContextFactory<RandomFitDbContext> dbFactory,
        ILogger<RunWatchers> logger)
    {
        _hub = hub;
        _dbFactory = dbFactory;
        _logger = logger;
        _subscription = feed.Subscribe(OnRunEvent);
    }

    /// <summary>Starts sending a run's history then its live events; false when the run does not exist.</summary>
    public Task<bool> WatchRunAsync(string connectionId, string runId, CancellationToken cancellationToken) =>
        Connection(connectionId).WatchRunAsync(runId, ConnectionWatch.DirectSource, cancellationToken);

    public void UnwatchRun(string connectionId, string runId)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.RemoveSource(ConnectionWatch.DirectSource, runId);
        }
    }

    /// <summary>Watches every run of an experiment, including runs added later; false when it does not exist.</summary>
    public async Task<bool> WatchExperimentAsync(
        string connectionId,
        string experimentId,
        CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Experiments.AnyAsync(e => e.Id == experimentId, cancellationToken))
        {
            return false;
        }

        // Registering first means a run added while the list is read is caught by its RunAddedEvent.
        var connection = Connection(connectionId);
        connection.AddExperiment(experimentId);
        var runIds = await db.Runs
            .Where(r => r.ExperimentId == experimentId)
            .OrderBy(r => r.Sequence)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        foreach (var runId in runIds)
        {
            await connection.WatchRunAsync(runId, ConnectionWatch.ExperimentSource(experimentId), cancellationToken);
        }

        return true;
    }

    public void UnwatchExperiment(string connectionId, string experimentId)
    {
        if (_connections.TryGetValue(connectionId, out var connection))
        {
            connection.RemoveExperiment(experimentId);
        }
    }

    public void Disconnect(string connectionId)
    {
        if (_connections.TryRemove(connectionId, out var connection))
        {
            connection.Close();
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        foreach (var connection in _connections.Values)
        {
            connection.Close();
        }
    }

    private ConnectionWatch Connection(string connectionId) =>
        _connections.GetOrAdd(connectionId, id => new ConnectionWatch(id, _hub, _dbFactory, _logger));

    private void OnRunEvent(RunEvent runEvent)
    {
        foreach (var connection in _connections.Values)
        {
            connection.OnRunEvent(runEvent);
        }
    }
}
