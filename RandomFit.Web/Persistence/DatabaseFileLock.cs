namespace RandomFit.Web.Persistence;

/// <summary>
/// An exclusive lock on a SQLite database for this process's lifetime, held on a <c>.lock</c> file beside it.
/// </summary>
/// <remarks>
/// At start-up a node marks every run that is still running in a SQLite file as interrupted, since one process owns
/// that file. A second process on the same file would therefore stop the first one's runs, so the second one must
/// fail before it touches the database. .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/> on
/// Linux and macOS and a share-mode lock on Windows; the operating system releases it when the process dies.
/// </remarks>
public sealed class DatabaseFileLock : IDisposable
{
    private FileStream? _lockFile;

    /// <summary>
    /// Takes the lock for the database file at <paramref name="databasePath"/>. Throws
    /// <see cref="DatabaseInUseException"/> when another process, or another host in this one, has taken it.
    /// </summary>
    public void Acquire(string databasePath)
    {
        if (_lockFile is not null)
        {
            return;
        }

        var lockPath = Path.GetFullPath(databasePath) + ".lock";
        try
        {
            _lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException exception)
        {
            throw new DatabaseInUseException(
                $"The database {databasePath} is in use by another RandomFit process (lock file {lockPath}). "
                + "A SQLite database serves one process; stop the other one, or give this one its own database "
                + "with ConnectionStrings:RandomFit.",
                exception);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _lockFile?.Dispose();
        _lockFile = null;
    }
}

/// <summary>The SQLite database is locked by another RandomFit process.</summary>
public sealed class DatabaseInUseException(string message, Exception innerException)
    : InvalidOperationException(message, innerException);
