namespace RandomFit.Training.Analysis;

/// <summary>Rounding for fractions shown to a reader, such as accuracies and differences of accuracies.</summary>
public static class Fractions
{
    /// <summary>
    /// Rounds <paramref name="value"/> to <paramref name="digits"/> decimals, half away from zero, except that a value
    /// which is not exactly 0, 1 or -1 never rounds to one of them: it stops one step short instead. So an accuracy of
    /// 0.99996 rounds to 0.999 at three decimals, because 1.000 would mean that every sample is right, and 0.00004
    /// rounds to 0.001, because 0.000 would mean that none is.
    /// </summary>
    public static double Round(double value, int digits)
    {
        var rounded = Math.Round(value, digits, MidpointRounding.AwayFromZero);
        if (rounded == value || Math.Abs(rounded) is not (0.0 or 1.0))
        {
            return rounded;
        }

        var step = Math.Pow(10, -digits);
        return Math.Round(rounded + (value > rounded ? step : -step), digits);
    }
}
