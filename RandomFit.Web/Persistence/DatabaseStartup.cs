using Microsoft.EntityFrameworkCore;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Persistence;

/// <summary>Brings the database up to date before the first request is served.</summary>
public static partial class DatabaseStartup
{
    /// <summary>
    /// Applies migrations, switches the file to write-ahead logging (readers then never block the epoch writer),
    /// and marks every run left running by a previous process as interrupted, keeping its epochs.
    /// </summary>
    public static async Task PrepareRandomFitDatabaseAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        var factory = app.Services.GetRequiredService<IDbContextFactory<RandomFitDbContext>>();
        await using var db = await factory.CreateDbContextAsync();

        LogDatabase(logger, db.Database.GetDbConnection().DataSource);
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");

        var interrupted = await db.Runs
            .Where(r => r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.Status, RunStatus.Interrupted)
                .SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow));
        if (interrupted > 0)
        {
            LogInterrupted(logger, interrupted);
        }
    }

    [LoggerMessage(LogLevel.Information, "Database {DataSource}")]
    private static partial void LogDatabase(ILogger logger, string dataSource);

    [LoggerMessage(LogLevel.Warning,
        "Marked {Count} runs interrupted because they were running when the last process stopped")]
    private static partial void LogInterrupted(ILogger logger, int count);
}
