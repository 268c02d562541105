using RandomFit.Training.Analysis;

namespace RandomFit.Tests.Analysis;

public sealed class FractionsTests
{
    [Theory]
    [InlineData(0.3125, 0.313)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(-1.0, -1.0)]
    [InlineData(0.99996, 0.999)]
    [InlineData(0.9995, 0.999)]
    [InlineData(0.00004, 0.001)]
    [InlineData(-0.00004, -0.001)]
    [InlineData(-0.99996, -0.999)]
    [InlineData(0.9994, 0.999)]
    public void Round_ThreeDigits_NeverReachesWholeNumber(double value, double expected)
    {
        Assert.Equal(expected, Fractions.Round(value, 3));
    }

    [Theory]
    [InlineData(0.99996, "0.999")]
    [InlineData(1.0, "1.000")]
    [InlineData(0.0002, "0.001")]
    [InlineData(-0.0002, "-0.001")]
    [InlineData(0.0, "0.000")]
    [InlineData(0.42, "0.420")]
    public void FormatMeasured_NearWholeNumber_StopsShort(double value, string expected)
    {
        Assert.Equal(expected, Claim.FormatMeasured(value));
    }
}
