using System.Globalization;

namespace RandomFit.Web.Components.Shared;

/// <summary>Formats fractions such as accuracies the same way on every page: one decimal and a percent sign.</summary>
public static class Percentages
{
    /// <summary>Formats 0.3125 as "31.3%", and a missing value as a dash.</summary>
    public static string Format(double? fraction) =>
        fraction is { } value ? (100 * value).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";
}
