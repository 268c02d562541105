using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;
using RandomFit.Web.Nodes;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Services;

namespace RandomFit.Web.Persistence;

/// <summary>Brings the database up to date before the first request is served.</summary>
public static partial class DatabaseStartup
{
    /// <summary>
    /// Applies migrations, marks the runs a previous process of this node left running as interrupted (keeping
    /// their epochs), and registers this node in the <c>workers</c> table when it trains.
    /// </summary>
    public static async Task PrepareRandomFitDatabaseAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        var factory = app.Services.GetRequiredService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync();

        var dataSource = db.Database.GetDbConnection().DataSource;
        LogDatabase(logger, dataSource);
        var shared = db.Database.IsNpgsql();
        if (!shared && !string.IsNullOrEmpty(dataSource) && dataSource != ":memory:")
        {
            app.Services.GetRequiredService<DatabaseFileLock>().Acquire(dataSource);
        }

        await db.Database.MigrateAsync();
        if (!shared)
        {
            // With write-ahead logging, readers do not block the epoch writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        // A SQLite file has one node, so every running run was this node's. On a shared database only the runs
        // of this worker id were, which happens on a restart with the same RandomFit:Worker:Name. Other nodes'
        // runs are left to the heartbeat timeout.
        var workerId = app.Services.GetRequiredService<WorkerIdentity>().Id;
        var stopped = db.Runs.Where(r => r.Status == RunStatus.Running && (!shared || r.WorkerId == workerId));
        var ids = await stopped.Select(r => r.Id).ToListAsync();
        var interrupted = await stopped
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
        if (interrupted > 0)
        {
            LogInterrupted(logger, Counted.Of(interrupted, "run"), string.Join(", ", ids));
        }

        await DeleteEndedCheckpointsAsync(app, db, logger);

        if (app.Services.GetService<WorkerHeartbeat>() is { } heartbeat)
        {
            await heartbeat.RegisterAsync(CancellationToken.None);
        }
    }

    // A process that stopped between a run's final status and the deletion of its checkpoint leaves the file behind,
    // and only an interrupted run resumes from one. Files of runs this database does not hold stay, because databases
    // in one folder share its checkpoints folder.
    private static async Task DeleteEndedCheckpointsAsync(WebApplication app, RandomFitDbContext db, ILogger logger)
    {
        var checkpoints = app.Services.GetRequiredService<CheckpointStore>();
        var stored = checkpoints.StoredRunIds();
        if (stored.Count == 0)
        {
            return;
        }

        var ended = await db.Runs
            .Where(r => stored.Contains(r.Id)
                && (r.Status == RunStatus.Completed || r.Status == RunStatus.Failed || r.Status == RunStatus.Cancelled))
            .Select(r => r.Id)
            .OrderBy(id => id)
            .ToListAsync();
        foreach (var runId in ended)
        {
            checkpoints.Delete(runId);
        }

        if (ended.Count > 0)
        {
            LogEndedCheckpoints(logger, Counted.Of(ended.Count, "run"), string.Join(", ", ended));
        }
    }

    [LoggerMessage(LogLevel.Information, "Deleted the checkpoints of {Runs} that had ended: {RunIds}")]
    private static partial void LogEndedCheckpoints(ILogger logger, string runs, string runIds);

    [LoggerMessage(LogLevel.Information, "Database {DataSource}")]
    private static partial void LogDatabase(ILogger logger, string dataSource);

    [LoggerMessage(LogLevel.Warning,
        "Marked {Runs} interrupted, left running when the last process stopped: {RunIds}")]
    private static partial void LogInterrupted(ILogger logger, string runs, string runIds);
}
