using RandomFit.Web.Components.Pages.Experiments.Grid;
using RandomFit.Web.Components.Shared;

namespace RandomFit.Tests.Components;

public sealed class MajorityShareEstimateTests
{
    // Expected values from the sum over k of C(n, k) max(k, n - k) / (n 2^n), computed with exact integers.
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 0.75)]
    [InlineData(3, 0.75)]
    [InlineData(10, 0.623046875)]
    [InlineData(100, 0.5397946186935894)]
    [InlineData(101, 0.5397946186935894)]
    public void Of_TwoClasses_ExactExpectation(int samples, double expected)
    {
        Assert.Equal(expected, MajorityShareEstimate.Of(samples, 2), 1e-12);
    }

    [Fact]
    public void Of_HundredBinaryLabels_ShowsFiftyFourPercent()
    {
        Assert.Equal("54.0%", Percentages.Format(MajorityShareEstimate.Of(100, 2)));
    }

    [Fact]
    public void Of_MillionBinaryLabels_MatchesNormalApproximation()
    {
        // For large n the excess over 1/2 approaches sqrt(1 / (2 pi n)).
        var expected = 0.5 + Math.Sqrt(1 / (2 * Math.PI * 1_000_000));

        Assert.Equal(expected, MajorityShareEstimate.Of(1_000_000, 2), 1e-9);
    }
}
