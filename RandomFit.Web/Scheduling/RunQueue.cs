using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Nodes;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Scheduling;

/// <summary>
/// Moves queued runs to running for this worker, oldest first, so that each run is claimed by exactly one worker
/// however many workers share the database.
/// </summary>
public sealed class RunQueue(IDbContextFactory<RandomFitDbContext> dbFactory, WorkerIdentity worker)
{
    /// <summary>
    /// Claims up to <paramref name="count"/> queued runs of separate execution and returns their ids in queue order.
    /// Stacked runs are claimed by cohort in the scheduler.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(int count, string device, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return db.Database.IsNpgsql()
            ? await ClaimLockedAsync(db, count, device, cancellationToken)
            : await ClaimEachAsync(db, count, device, cancellationToken);
    }

    /// <summary>True when other nodes may add runs to the queue, so it has to be polled.</summary>
    public async Task<bool> IsSharedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return db.Database.IsNpgsql();
    }

    // PostgreSQL: rows locked by another worker's open claim are skipped instead of waited for, so racing workers
    // take different runs at once, and the update in the same transaction makes each claim final.
    private async Task<IReadOnlyList<string>> ClaimLockedAsync(
        RandomFitDbContext db,
        int count,
        string device,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = await db.Database
            .SqlQuery<string>($"""
                SELECT "Id" AS "Value" FROM runs
                WHERE "Status" = 'queued' AND "Execution" = 'separate'
                ORDER BY "Sequence"
                LIMIT {count}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var now = DateTimeOffset.UtcNow;
        await db.Runs
            .Where(r => ids.Contains(r.Id))
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(r => r.Status, RunStatus.Running)
                    .SetProperty(r => r.WorkerId, worker.Id)
                    .SetProperty(r => r.Device, device)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ids;
    }

    // SQLite has one writer at a time; the status condition makes each claim atomic against a cancel request.
    private async Task<IReadOnlyList<string>> ClaimEachAsync(
        RandomFitDbContext db,
        int count,
        string device,
        CancellationToken cancellationToken)
    {
        var queued = await db.Runs
            .Where(r => r.Status == RunStatus.Queued && r.Execution == ExecutionMode.Separate)
            .OrderBy(r => r.Sequence)
            .Select(r => r.Id)
            .Take(count)
            .ToListAsync(cancellationToken);
        var claimed = new List<string>();
        var now = DateTimeOffset.UtcNow;
        foreach (var runId in queued)
        {
            var changed = await db.Runs
                .Where(r => r.Id == runId && r.Status == RunStatus.Queued)
                .ExecuteUpdateAsync(
                    set => set
                        .SetProperty(r => r.Status, RunStatus.Running)
                        .SetProperty(r => r.WorkerId, worker.Id)
                        .SetProperty(r => r.Device, device)
                        .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now),
                    cancellationToken);
            if (changed > 0)
            {
                claimed.Add(runId);
            }
        }

        return claimed;
    }
}
