namespace RandomFit.Web.Services;

/// <summary>
/// Thins a chart series on the server. Plotly slows down with tens of thousands of points per trace, so a series
/// keeps at most <see cref="MaxPoints"/>: the first and last points, and the lowest and highest point of each
/// bucket in between, which keeps spikes and plateaus that plain striding would drop.
/// </summary>
public static class SeriesDownsampling
{
    /// <summary>Maximum points per plotted series.</summary>
    public const int MaxPoints = 2000;

    /// <summary>Returns the series itself when it fits, else at most <paramref name="maxPoints"/> points in x order.</summary>
    public static IReadOnlyList<(double X, double Y)> Downsample(
        IReadOnlyList<(double X, double Y)> points,
        int maxPoints = MaxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        if (points.Count <= maxPoints)
        {
            return points;
        }

        // Two points (min and max) per bucket, plus the first and the last point.
        var bucketCount = (maxPoints - 2) / 2;
        var inner = points.Count - 2;
        var result = new List<(double X, double Y)>(maxPoints) { points[0] };
        for (var bucket = 0; bucket < bucketCount; bucket++)
        {
            var start = 1 + (int)((long)bucket * inner / bucketCount);
            var end = 1 + (int)((long)(bucket + 1) * inner / bucketCount);
            AppendExtremes(points, start, end, result);
        }

        result.Add(points[^1]);
        return result;
    }

    // Appends the bucket's lowest and highest points in x order, so the line never runs backwards.
    private static void AppendExtremes(
        IReadOnlyList<(double X, double Y)> points,
        int start,
        int end,
        List<(double X, double Y)> result)
    {
        if (start >= end)
        {
            return;
        }

        int low = start, high = start;
        for (var i = start + 1; i < end; i++)
        {
            if (points[i].Y < points[low].Y)
            {
                low = i;
            }
            else if (points[i].Y > points[high].Y)
            {
                high = i;
            }
        }

        result.Add(points[Math.Min(low, high)]);
        if (low != high)
        {
            result.Add(points[Math.Max(low, high)]);
        }
    }
}
