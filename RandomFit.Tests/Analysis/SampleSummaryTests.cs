using RandomFit.Training.Analysis;

namespace RandomFit.Tests.Analysis;

public class SampleSummaryTests
{
    [Theory]
    [InlineData(1, 12.706204736)]
    [InlineData(2, 4.302652730)]
    [InlineData(4, 2.776445105)]
    [InlineData(9, 2.262157163)]
    [InlineData(30, 2.042272456)]
    public void Quantile_At975_MatchesTables(int degreesOfFreedom, double expected)
    {
        var quantile = StudentT.Quantile(0.975, degreesOfFreedom);

        Assert.Equal(expected, quantile, 1e-6);
    }

    [Fact]
    public void Of_TwoValues_UsesSampleStdAndT1()
    {
        var summary = SampleSummary.Of([0.5, 1.0])!;

        Assert.Equal(0.75, summary.Mean, 1e-12);
        Assert.Equal(Math.Sqrt(0.125), summary.Std!.Value, 1e-12);
        Assert.Equal(0.75 - 12.706204736 * 0.25, summary.CiLow!.Value, 1e-6);
        Assert.Equal(0.75 + 12.706204736 * 0.25, summary.CiHigh!.Value, 1e-6);
    }

    [Fact]
    public void Of_ThreeValues_MatchesHandComputedInterval()
    {
        // Mean 0.8, deviations -0.1, 0, 0.1, sample variance 0.01, std 0.1, half width 4.302653 * 0.1 / sqrt 3.
        var summary = SampleSummary.Of([0.7, 0.8, 0.9])!;

        Assert.Equal(0.8, summary.Mean, 1e-12);
        Assert.Equal(0.1, summary.Std!.Value, 1e-12);
        Assert.Equal(0.8 - 0.248414, summary.CiLow!.Value, 1e-5);
        Assert.Equal(0.7, summary.Min);
        Assert.Equal(0.9, summary.Max);
    }

    [Fact]
    public void Of_FiveValues_MatchesHandComputedInterval()
    {
        // Mean 3, sample variance 2.5, std 1.581139, half width 2.776445 * 1.581139 / sqrt 5 = 1.963243.
        var summary = SampleSummary.Of([1.0, 2.0, 3.0, 4.0, 5.0])!;

        Assert.Equal(1.581139, summary.Std!.Value, 1e-6);
        Assert.Equal(3 - 1.963243, summary.CiLow!.Value, 1e-5);
        Assert.Equal(3 + 1.963243, summary.CiHigh!.Value, 1e-5);
    }

    [Fact]
    public void Of_AccuraciesNearOne_ClipsIntervalToBounds()
    {
        // Mean 0.99, std 0.017321, half width 4.302653 * 0.017321 / sqrt 3 = 0.043027, so the raw interval passes 1.
        var clipped = SampleSummary.Of([1.0, 1.0, 0.97], lowest: 0, highest: 1)!;
        var raw = SampleSummary.Of([1.0, 1.0, 0.97])!;

        Assert.Equal(1.0, clipped.CiHigh!.Value);
        Assert.Equal(0.99 - 0.043027, clipped.CiLow!.Value, 1e-5);
        Assert.Equal(0.99 + 0.043027, raw.CiHigh!.Value, 1e-5);
    }

    [Fact]
    public void Of_OneValue_HasNoStdOrInterval()
    {
        var summary = SampleSummary.Of([0.5])!;

        Assert.Equal(0.5, summary.Mean);
        Assert.Null(summary.Std);
        Assert.Null(summary.CiLow);
        Assert.Null(summary.CiHigh);
    }

    [Fact]
    public void Of_Empty_ReturnsNull()
    {
        Assert.Null(SampleSummary.Of([]));
    }
}
