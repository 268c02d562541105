using System.Globalization;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// Values for Plotly's data arrays and tick values. Plotly.Blazor converts every number it sends to the browser to a
/// <see cref="decimal"/>, which stores at most about 7.9e28 and rounds magnitudes below 1e-28 to 0. A diverged run's
/// loss of 2e31 failed the whole page. Such values are sent as text, which Plotly reads as the number.
/// </summary>
public static class PlotNumbers
{
    private const double MaxDecimal = 7.9e28;
    private const double MinDecimal = 1e-28;

    /// <summary>Returns the value as a number, or as its shortest round-trip text when a decimal cannot hold it.</summary>
    public static object Value(double value)
    {
        var magnitude = Math.Abs(value);
        return magnitude is 0 or (>= MinDecimal and <= MaxDecimal)
            ? value
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Returns <see cref="Value"/> of each value, in order.</summary>
    public static List<object> Values(IEnumerable<double> values) => values.Select(Value).ToList();
}
