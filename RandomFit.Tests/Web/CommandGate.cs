using Microsoft.Extensions.Logging;

namespace RandomFit.Tests.Web;

/// <summary>
/// A logger provider that pauses the first database command whose logged text contains every given fragment, until
/// <paramref name="releaseAfter"/> other commands containing <paramref name="countedFragment"/> have been logged or
/// ten seconds have passed. EF Core logs a command at debug level on the executing thread just before it runs, so
/// the pause delays that command, which lets a test act inside a window that is otherwise milliseconds long.
/// The host must log the category Microsoft.EntityFrameworkCore.Database.Command at debug level.
/// </summary>
public sealed class CommandGate(string[] fragments, string countedFragment, int releaseAfter) : ILoggerProvider
{
    private readonly SemaphoreSlim _counted = new(0);
    private int _paused;

    /// <summary>Whether a matching command was paused.</summary>
    public bool Paused => Volatile.Read(ref _paused) == 1;

    public ILogger CreateLogger(string categoryName) => new SqlCommandLogger(categoryName, Observe);

    public void Dispose() => _counted.Dispose();

    private void Observe(string message)
    {
        if (message.Contains(countedFragment, StringComparison.Ordinal))
        {
            _counted.Release();
            return;
        }

        if (fragments.All(fragment => message.Contains(fragment, StringComparison.Ordinal))
            && Interlocked.Exchange(ref _paused, 1) == 0)
        {
            // Only the commands counted after the pause began release it.
            while (_counted.CurrentCount > 0)
            {
                _counted.Wait(0);
            }

            for (var i = 0; i < releaseAfter; i++)
            {
                if (!_counted.Wait(TimeSpan.FromSeconds(10)))
                {
                    return;
                }
            }
        }
    }
}
