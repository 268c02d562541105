using RandomFit.Web.Components.Shared;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

public sealed class PercentagesTests
{
    [Theory]
    [InlineData(0.3125, "31.3%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(0.0, "0.0%")]
    [InlineData(null, "–")]
    public void Format_Fraction_OneDecimalAndSign(double? fraction, string expected)
    {
        Assert.Equal(expected, Percentages.Format(fraction));
    }

    [Theory]
    [InlineData(0.99975, "99.9%")]
    [InlineData(0.9995, "99.9%")]
    [InlineData(0.999999, "99.9%")]
    [InlineData(0.99949, "99.9%")]
    public void Format_JustBelowOne_NeverReadsHundred(double fraction, string expected)
    {
        Assert.Equal(expected, Percentages.Format(fraction));
    }

    [Theory]
    [InlineData(0.00004, "0.1%")]
    [InlineData(0.0004999, "0.1%")]
    [InlineData(0.0005, "0.1%")]
    [InlineData(0.0006, "0.1%")]
    public void Format_JustAboveZero_NeverReadsZero(double fraction, string expected)
    {
        Assert.Equal(expected, Percentages.Format(fraction));
    }

    [Theory]
    [InlineData(1, "1 seed")]
    [InlineData(0, "0 seeds")]
    [InlineData(1200, "1,200 seeds")]
    public void Counted_Of_PluralUnlessOne(int count, string expected)
    {
        Assert.Equal(expected, Counted.Of(count, "seed"));
    }
}
