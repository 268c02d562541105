namespace RandomFit.Training.Analysis;

/// <summary>
/// Summary of a small sample, such as one final accuracy per seed of a cohort: mean, sample standard deviation,
/// range and the two-sided 95% Student t-interval of the mean. Std and the interval are null when n is 1.
/// </summary>
public sealed record SampleSummary(double Mean, double? Std, double Min, double Max, double? CiLow, double? CiHigh)
{
    /// <summary>
    /// Computes the summary exactly over all values; returns null for an empty sample. The interval's ends are clipped
    /// to [<paramref name="lowest"/>, <paramref name="highest"/>], the range the quantity can take (0 to 1 for an
    /// accuracy), because the t-interval of a mean near a bound reaches past it.
    /// </summary>
    public static SampleSummary? Of(
        IReadOnlyCollection<double> values,
        double lowest = double.NegativeInfinity,
        double highest = double.PositiveInfinity)
    {
        if (values.Count == 0)
            return null;

        var n = values.Count;
        var mean = values.Average();
        if (n == 1)
            return new SampleSummary(mean, null, mean, mean, null, null);

        var variance = values.Sum(value => (value - mean) * (value - mean)) / (n - 1);
        var std = Math.Sqrt(variance);
        var halfWidth = StudentT.Quantile(0.975, n - 1) * std / Math.Sqrt(n);
        var low = Math.Max(lowest, mean - halfWidth);
        var high = Math.Min(highest, mean + halfWidth);
        return new SampleSummary(mean, std, values.Min(), values.Max(), low, high);
    }
}

/// <summary>Student's t distribution, enough of it for confidence intervals of small samples.</summary>
public static class StudentT
{
    /// <summary>Returns the cumulative probability P(T &lt;= t) for <paramref name="degreesOfFreedom"/> &gt; 0.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        var x = degreesOfFreedom / (degreesOfFreedom + t * t);
        var tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>Returns t such that P(T &lt;= t) = p, found by bisection to about 1e-12.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1.0);

        double low = -1e6, high = 1e6;
        for (var step = 0; step < 200 && high - low > 1e-12; step++)
        {
            var middle = (low + high) / 2;
            if (Cdf(middle, degreesOfFreedom) < p)
                low = middle;
            else
                high = middle;
        }
        return (low + high) / 2;
    }

    // I_x(a, b) by the continued fraction of Numerical Recipes (Press et al., 3rd ed., section 6.4).
    private static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
            return 0;
        if (x >= 1)
            return 1;

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        var front = Math.Exp(logFront);
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        var result = d;
        for (var m = 1; m <= 300; m++)
        {
            // Even step, then odd step of the continued fraction.
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            result *= d * c;

            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = d * c;
            result *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
                break;
        }
        return result;
    }

    // Lanczos approximation (g = 7, n = 9), accurate to about 15 digits for positive arguments.
    private static double LogGamma(double x)
    {
        double[] coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
            sum += coefficients[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
