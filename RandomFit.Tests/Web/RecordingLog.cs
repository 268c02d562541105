using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RandomFit.Tests.Web;

/// <summary>A logger provider that keeps every entry at information level and above, for asserting on log output.</summary>
public sealed class RecordingLog : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>One logged line: its level, category, formatted message and exception.</summary>
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    public IReadOnlyCollection<Entry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
