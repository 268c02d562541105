using Microsoft.Extensions.Logging;

namespace RandomFit.Tests.Web;

/// <summary>
/// A logger provider that counts the database commands whose logged text contains <paramref name="fragment"/>, so a
/// test can wait for a background service to issue its next command. The host must log the category
/// Microsoft.EntityFrameworkCore.Database.Command at debug level.
/// </summary>
public sealed class CommandCounter(string fragment) : ILoggerProvider
{
    private readonly SemaphoreSlim _seen = new(0);

    /// <summary>Forgets the commands counted so far, so the next wait counts only later ones.</summary>
    public void Reset()
    {
        while (_seen.Wait(0))
        {
        }
    }

    /// <summary>Blocks until <paramref name="count"/> matching commands have been logged. Returns false on timeout.</summary>
    public bool Wait(int count, TimeSpan timeout)
    {
        for (var i = 0; i < count; i++)
        {
            if (!_seen.Wait(timeout))
            {
                return false;
            }
        }

        return true;
    }

    public ILogger CreateLogger(string categoryName) => new SqlCommandLogger(categoryName, Observe);

    public void Dispose() => _seen.Dispose();

    private void Observe(string message)
    {
        if (message.Contains(fragment, StringComparison.Ordinal))
        {
            _seen.Release();
        }
    }
}
