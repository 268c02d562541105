using System.Globalization;

namespace RandomFit.Training.Specs;

/// <summary>
/// Text of a spec's real numbers (learning rate, momentum, weight decay, dropout, corruption) for pages, form
/// fields and messages, so that each value reads the same everywhere.
/// </summary>
public static class SpecNumber
{
    /// <summary>
    /// Formats <paramref name="value"/> as the shortest invariant-culture text that parses back to the same double.
    /// The exponent that .NET uses below 0.0001 and for very large values is written with a lowercase e and without
    /// a plus sign or leading zeros: 1e-6, 2.5e-7 and 1e17 rather than 1E-06, 2.5E-07 and 1E+17. Such text is also a
    /// valid JSON number.
    /// </summary>
    public static string Format(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, e)}e{exponent}");
    }
}
