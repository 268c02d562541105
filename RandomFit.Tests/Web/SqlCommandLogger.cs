using Microsoft.Extensions.Logging;

namespace RandomFit.Tests.Web;

/// <summary>
/// A logger that passes each SQL command EF Core logs (category Microsoft.EntityFrameworkCore.Database.Command, level
/// Debug) to <paramref name="observe"/>, and ignores every other message.
/// </summary>
internal sealed class SqlCommandLogger(string category, Action<string> observe) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) =>
        category == "Microsoft.EntityFrameworkCore.Database.Command" && logLevel == LogLevel.Debug;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            observe(formatter(state, exception));
        }
    }
}
