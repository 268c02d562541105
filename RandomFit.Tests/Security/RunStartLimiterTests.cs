using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RandomFit.Web.Security;

namespace RandomFit.Tests.Security;

public sealed class RunStartLimiterTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RunStartLimiter NewLimiter(int runsPerMinute) =>
        new(Options.Create(new RateLimitOptions { RunsPerMinute = runsPerMinute }), _clock);

    [Fact]
    public void Acquire_OverLimit_WaitsForOldestRuns()
    {
        var limiter = NewLimiter(5);
        limiter.Acquire("user:a", 3);
        _clock.Advance(TimeSpan.FromSeconds(20));
        limiter.Acquire("user:a", 2);

        var exception = Assert.Throws<RunLimitExceededException>(() => limiter.Acquire("user:a", 1));

        Assert.Equal(0, exception.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(40), exception.RetryAfter);
    }

    [Fact]
    public void Acquire_AfterWindow_Succeeds()
    {
        var limiter = NewLimiter(2);
        limiter.Acquire("user:a", 2);
        _clock.Advance(TimeSpan.FromSeconds(60));

        var exception = Record.Exception(() => limiter.Acquire("user:a", 2));

        Assert.Null(exception);
    }

    [Fact]
    public void Acquire_OtherStarter_HasOwnAllowance()
    {
        var limiter = NewLimiter(2);
        limiter.Acquire("address:10.0.0.1", 2);

        var exception = Record.Exception(() => limiter.Acquire("address:10.0.0.2", 2));

        Assert.Null(exception);
    }

    [Fact]
    public void Acquire_AboveWholeLimit_WaitsFullWindow()
    {
        var limiter = NewLimiter(2);

        var exception = Assert.Throws<RunLimitExceededException>(() => limiter.Acquire("user:a", 3));

        Assert.Equal(TimeSpan.FromMinutes(1), exception.RetryAfter);
        Assert.Equal(2, exception.Remaining);
    }
}
