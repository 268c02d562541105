using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Nodes;

/// <summary>A worker as the /workers page shows it.</summary>
public sealed record WorkerItem(
    string Id,
    string Device,
    int Capacity,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeatAt,
    bool Alive,
    IReadOnlyList<string> RunIds);

/// <summary>Reads the <c>workers</c> table with the runs each worker is training.</summary>
public sealed class WorkerDirectory(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    IOptions<WorkerOptions> options,
    TimeProvider time)
{
    /// <summary>Lists workers, live ones first, with a worker counted alive while its heartbeat is within the timeout.</summary>
    public async Task<IReadOnlyList<WorkerItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workers = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        var running = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running && r.WorkerId != null)
            .OrderBy(r => r.Sequence)
            .Select(r => new { r.Id, WorkerId = r.WorkerId! })
            .ToListAsync(cancellationToken);
        var runsByWorker = running.ToLookup(r => r.WorkerId, r => r.Id);

        var cutoff = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        return
        [
            .. workers
                .Select(w => new WorkerItem(
                    w.Id,
                    w.Device,
                    w.Capacity,
                    w.StartedAt,
                    w.LastHeartbeatAt,
                    w.LastHeartbeatAt >= cutoff,
                    [.. runsByWorker[w.Id]]))
                .OrderByDescending(w => w.Alive)
                .ThenBy(w => w.Id, StringComparer.Ordinal),
        ];
    }
}
