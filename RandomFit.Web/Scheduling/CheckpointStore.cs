using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RandomFit.Training.Training;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Scheduling;

/// <summary>Locates, reads and deletes the checkpoint file of each run, one file per run id.</summary>
public sealed partial class CheckpointStore(
    IOptions<CheckpointOptions> options,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<CheckpointStore> logger)
{
    private readonly Lazy<string> _folder = new(() => ResolveFolder(options.Value, configuration, environment));

    /// <summary>The folder that contains the checkpoint files.</summary>
    public string Folder => _folder.Value;

    /// <summary>Returns the checkpoint path of a run; run ids are URL-safe, so they are safe file names.</summary>
    public string PathFor(string runId) => Path.Combine(Folder, runId + ".ckpt");

    /// <summary>Returns the plan the trainer follows: resume when the run has a checkpoint, and keep writing one.</summary>
    public CheckpointPlan PlanFor(string runId)
    {
        var path = PathFor(runId);
        return new CheckpointPlan(path, options.Value.EveryEpochs, Resume: File.Exists(path));
    }

    /// <summary>Returns the epoch of a run's checkpoint, or null when it has none that can be read.</summary>
    public int? TryReadEpoch(string runId) => RunCheckpoint.TryReadEpoch(PathFor(runId));

    /// <summary>
    /// Returns the epoch a queued run starts after: 0 without a checkpoint, else the checkpoint's epoch, or null when
    /// the file cannot be read (the trainer then fails the run with the reason).
    /// </summary>
    public int? StartEpoch(string runId)
    {
        var path = PathFor(runId);
        return File.Exists(path) ? RunCheckpoint.TryReadEpoch(path) : 0;
    }

    /// <summary>Returns the header of a run's checkpoint, or null when it has none that can be read.</summary>
    public CheckpointHeader? TryReadHeader(string runId) => RunCheckpoint.TryReadHeader(PathFor(runId));

    /// <summary>Returns the header of the checkpoint written before a run's newest one, or null when there is none.</summary>
    public CheckpointHeader? TryReadPreviousHeader(string runId) =>
        RunCheckpoint.TryReadHeader(RunCheckpoint.PreviousPath(PathFor(runId)));

    /// <summary>Makes the checkpoint written before a run's newest one its checkpoint again.</summary>
    public void RestorePrevious(string runId)
    {
        var path = PathFor(runId);
        File.Move(RunCheckpoint.PreviousPath(path), path, overwrite: true);
    }

    /// <summary>Deletes a run's checkpoint. An I/O or permission error is logged, not thrown.</summary>
    public void Delete(string runId)
    {
        try
        {
            RunCheckpoint.Delete(PathFor(runId));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, exception, runId);
        }
    }

    /// <summary>
    /// Returns the run ids of the checkpoint files in the folder: newest, previous and temporary files alike.
    /// </summary>
    public IReadOnlyCollection<string> StoredRunIds()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, "*.ckpt*")
            .Select(Path.GetFileName)
            .Select(name => name![..name!.IndexOf(".ckpt", StringComparison.Ordinal)])
            .Where(id => id.Length > 0)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string ResolveFolder(
        CheckpointOptions options,
        IConfiguration configuration,
        IHostEnvironment environment)
    {
        if (!string.IsNullOrEmpty(options.Folder))
        {
            return Path.GetFullPath(options.Folder, environment.ContentRootPath);
        }

        var databaseFolder = SqliteFolder(configuration, environment.ContentRootPath);
        return databaseFolder is null
            ? Path.Combine(environment.ContentRootPath, "data", "checkpoints")
            : Path.Combine(databaseFolder, "checkpoints");
    }

    // A connection string of another provider does not parse as SQLite's, and such a database has no local folder.
    private static string? SqliteFolder(IConfiguration configuration, string contentRoot)
    {
        try
        {
            var connection = new SqliteConnectionStringBuilder(DatabaseConnection.Resolve(configuration, contentRoot));
            return Path.IsPathRooted(connection.DataSource) ? Path.GetDirectoryName(connection.DataSource) : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Deleting the checkpoint of run {RunId} failed")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string runId);
}
