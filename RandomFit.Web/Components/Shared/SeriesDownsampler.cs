namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Thins a long series for plotting. Browsers slow down on charts of tens of thousands of points, so a series
/// keeps at most a fixed number: the first and last points, and the lowest and highest point of each bucket
/// between them, which preserves spikes and plateaus that plain striding would skip.
/// </summary>
public static class SeriesDownsampler
{
    /// <summary>Points per series on the run page.</summary>
    public const int DefaultMaxPoints = 2000;

    public static IReadOnlyList<(double X, double Y)> Downsample(IReadOnlyList<(double X, double Y)> points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 4);
        if (points.Count <= maxPoints)
        {
            return points;
        }

        var result = new List<(double X, double Y)>(maxPoints) { points[0] };
        var interior = points.Count - 2;
        var buckets = (maxPoints - 2) / 2;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var start = 1 + (int)((long)bucket * interior / buckets);
            var end = 1 + (int)((long)(bucket + 1) * interior / buckets);
            AddExtremes(points, start, end, result);
        }

        result.Add(points[^1]);
        return result;
    }

    // Adds the bucket's minimum and maximum in their original order, so the line still runs left to right.
    private static void AddExtremes(IReadOnlyList<(double X, double Y)> points, int start, int end, List<(double X, double Y)> result)
    {
        if (start >= end)
        {
            return;
        }

        var min = start;
        var max = start;
        for (var i = start + 1; i < end; i++)
        {
            if (points[i].Y < points[min].Y)
            {
                min = i;
            }

            if (points[i].Y > points[max].Y)
            {
                max = i;
            }
        }

        result.Add(points[Math.Min(min, max)]);
        if (min != max)
        {
            result.Add(points[Math.Max(min, max)]);
        }
    }
}
