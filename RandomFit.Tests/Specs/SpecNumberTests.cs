using System.Globalization;
using RandomFit.Training.Specs;

namespace RandomFit.Tests.Specs;

public sealed class SpecNumberTests
{
    [Theory]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(1e-5, "1e-5")]
    [InlineData(1.2e-5, "1.2e-5")]
    [InlineData(1e-6, "1e-6")]
    [InlineData(-1e-6, "-1e-6")]
    [InlineData(2.5e-7, "2.5e-7")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(0.0, "0")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(10.0, "10")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1e17, "1e17")]
    [InlineData(1.5e300, "1.5e300")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    public void Format_Value_IsShortestText(double value, string expected)
    {
        Assert.Equal(expected, SpecNumber.Format(value));
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(2.5e-7)]
    [InlineData(0.1)]
    [InlineData(1.7976931348623157e308)]
    [InlineData(5e-324)]
    public void Format_Value_ParsesBack(double value)
    {
        Assert.Equal(value, double.Parse(SpecNumber.Format(value), CultureInfo.InvariantCulture));
    }
}
