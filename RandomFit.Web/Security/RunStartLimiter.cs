using Microsoft.Extensions.Options;
using RandomFit.Web.Services;

namespace RandomFit.Web.Security;

/// <summary>
/// Counts the runs each starter queued in the last 60 seconds (a sliding window), so one request that queues
/// 100 runs costs 100, not 1. Called where runs are created, after the request has been validated.
/// </summary>
public sealed class RunStartLimiter(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<(DateTimeOffset At, int Runs)>> _starts = [];
    private readonly Lock _lock = new();

    /// <summary>Records <paramref name="runs"/> runs for the starter in <see cref="RunStarter.Current"/>.</summary>
    /// <exception cref="RunLimitExceededException">Fewer than <paramref name="runs"/> remain in the window.</exception>
    public void Acquire(int runs) => Acquire(RunStarter.Current, runs);

    /// <summary>Records <paramref name="runs"/> runs for <paramref name="starter"/>.</summary>
    /// <exception cref="RunLimitExceededException">Fewer than <paramref name="runs"/> remain in the window.</exception>
    public void Acquire(string starter, int runs)
    {
        var limit = options.Value.RunsPerMinute;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_starts.TryGetValue(starter, out var starts))
            {
                starts = new Queue<(DateTimeOffset, int)>();
                _starts[starter] = starts;
            }

            while (starts.Count > 0 && now - starts.Peek().At >= Window)
            {
                starts.Dequeue();
            }

            var used = starts.Sum(start => start.Runs);
            if (used + runs > limit)
            {
                throw new RunLimitExceededException(limit, limit - used, runs, RetryAfter(starts, used + runs - limit, now));
            }

            starts.Enqueue((now, runs));
            RemoveIdleStarters(now);
        }
    }

    // Returns the time until enough of the window's runs expire to make room. A request larger than the whole
    // limit never fits, so it gets a full window and a message that states the limit.
    private static TimeSpan RetryAfter(Queue<(DateTimeOffset At, int Runs)> starts, int excess, DateTimeOffset now)
    {
        var freed = 0;
        foreach (var (at, runs) in starts)
        {
            freed += runs;
            if (freed >= excess)
            {
                return at + Window - now;
            }
        }

        return Window;
    }

    // Keeps memory bounded when many addresses start a run once.
    private void RemoveIdleStarters(DateTimeOffset now)
    {
        if (_starts.Count < 1024)
        {
            return;
        }

        foreach (var (starter, starts) in _starts.ToList())
        {
            if (starts.Count == 0 || now - starts.Last().At >= Window)
            {
                _starts.Remove(starter);
            }
        }
    }
}

/// <summary>The error raised when a request would start more runs than the starter has left this minute.</summary>
public sealed class RunLimitExceededException(int limit, int remaining, int requested, TimeSpan retryAfter)
    : Exception(Describe(limit, remaining, requested, retryAfter))
{
    public int Limit { get; } = limit;

    public int Remaining { get; } = Math.Max(remaining, 0);

    public int Requested { get; } = requested;

    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>Whether the request needs more runs than the whole limit, so that waiting cannot help.</summary>
    public bool NeverFits => Requested > Limit;

    private static string Describe(int limit, int remaining, int requested, TimeSpan retryAfter) =>
        requested > limit
            ? $"This request would start {Counted.Of(requested, "run")}, but one starter may start at most "
                + $"{Counted.Of(limit, "run")} per minute "
                + "(RandomFit:RateLimit:RunsPerMinute). Start fewer seeds, models or conditions in one request and "
                + "add seeds in later requests, or raise the setting."
            : $"This request would start {Counted.Of(requested, "run")} but only {Math.Max(remaining, 0)} of "
                + $"{limit} per minute remain (RandomFit:RateLimit:RunsPerMinute). "
                + $"Retry after {Math.Ceiling(retryAfter.TotalSeconds)} seconds.";
}
