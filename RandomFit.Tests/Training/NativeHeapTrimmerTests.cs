using RandomFit.Training.Training;

namespace RandomFit.Tests.Training;

public sealed class NativeHeapTrimmerTests
{
    [Fact]
    public void TrimIfDue_BeforeInterval_DoesNotTrim()
    {
        var clock = new ManualClock();
        var trimmer = new NativeHeapTrimmer(clock, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromMilliseconds(999));
        var trimmed = trimmer.TrimIfDue();

        Assert.False(trimmed);
        Assert.Equal(0, trimmer.TrimCount);
    }

    [Fact]
    public void TrimIfDue_AfterInterval_TrimsOnce()
    {
        var clock = new ManualClock();
        var trimmer = new NativeHeapTrimmer(clock, TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(1));
        var first = trimmer.TrimIfDue();
        var second = trimmer.TrimIfDue();
        clock.Advance(TimeSpan.FromSeconds(1));
        var third = trimmer.TrimIfDue();

        Assert.True(first);
        Assert.False(second);
        Assert.True(third);
        Assert.Equal(2, trimmer.TrimCount);
    }

    [Fact]
    public void TrimIfDue_ZeroInterval_TrimsEveryCall()
    {
        // Calls the C library for real: on glibc this runs malloc_trim, elsewhere it does nothing.
        var trimmer = new NativeHeapTrimmer(TimeProvider.System, TimeSpan.Zero);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(trimmer.TrimIfDue());
        }

        Assert.Equal(3, trimmer.TrimCount);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _timestamp;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _timestamp;

        public void Advance(TimeSpan time) => _timestamp += time.Ticks;
    }
}
