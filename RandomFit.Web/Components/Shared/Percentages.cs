using System.Globalization;

namespace RandomFit.Web.Components.Shared;

/// <summary>Formats fractions such as accuracies the same way on every page: one decimal and a percent sign.</summary>
public static class Percentages
{
    /// <summary>
    /// Formats 0.3125 as "31.3%", and a missing value as a dash. A fraction below 1 reads at most "99.9%", because
    /// "100.0%" would mean that every sample is right.
    /// </summary>
    public static string Format(double? fraction)
    {
        if (fraction is not { } value)
        {
            return "–";
        }

        var percent = 100 * value;
        if (value < 1 && Math.Round(percent, 1, MidpointRounding.AwayFromZero) >= 100)
        {
            percent = 99.9;
        }

        return percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }
}
