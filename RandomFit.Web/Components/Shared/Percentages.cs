using System.Globalization;
using RandomFit.Training.Analysis;

namespace RandomFit.Web.Components.Shared;

/// <summary>Formats fractions such as accuracies the same way on every page: one decimal and a percent sign.</summary>
public static class Percentages
{
    /// <summary>
    /// Formats 0.3125 as "31.3%", and a missing value as a dash. Only exactly 1 reads "100.0%" and only exactly 0
    /// reads "0.0%": a fraction just below 1 reads "99.9%" and one just above 0 reads "0.1%", as
    /// <see cref="Fractions.Round"/> rounds.
    /// </summary>
    public static string Format(double? fraction)
    {
        if (fraction is not { } value)
        {
            return "–";
        }

        var percent = 100 * Fractions.Round(value, 3);
        return percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }
}
