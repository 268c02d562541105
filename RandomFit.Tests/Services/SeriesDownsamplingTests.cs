using RandomFit.Web.Services;

namespace RandomFit.Tests.Services;

public sealed class SeriesDownsamplingTests
{
    private static List<(double X, double Y)> Series(int count, Func<int, double> y) =>
        [.. Enumerable.Range(1, count).Select(i => ((double)i, y(i)))];

    [Fact]
    public void Downsample_TwentyThousandEpochs_KeepsAtMostTwoThousand()
    {
        var points = Series(20_000, i => Math.Sin(i / 50.0));

        var thinned = SeriesDownsampling.Downsample(points);

        Assert.True(thinned.Count <= 2000, $"{thinned.Count} points");
        Assert.True(thinned.Count >= 1900, $"{thinned.Count} points");
    }

    [Fact]
    public void Downsample_LongSeries_KeepsFirstLastAndExtremes()
    {
        var points = Series(20_000, i => i == 777 ? 50 : i == 12_345 ? -50 : 0.5);

        var thinned = SeriesDownsampling.Downsample(points);

        Assert.Equal(points[0], thinned[0]);
        Assert.Equal(points[^1], thinned[^1]);
        Assert.Contains((777.0, 50.0), thinned);
        Assert.Contains((12_345.0, -50.0), thinned);
    }

    [Fact]
    public void Downsample_LongSeries_KeepsXOrder()
    {
        var points = Series(20_000, i => (i * 7919) % 101);

        var thinned = SeriesDownsampling.Downsample(points);

        for (var i = 1; i < thinned.Count; i++)
        {
            Assert.True(thinned[i].X > thinned[i - 1].X, $"x at {i} is {thinned[i].X} after {thinned[i - 1].X}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(2000)]
    public void Downsample_ShortSeries_ReturnsItUnchanged(int count)
    {
        var points = Series(count, i => 1.0 / i);

        var thinned = SeriesDownsampling.Downsample(points);

        Assert.Equal(points, thinned);
    }
}
