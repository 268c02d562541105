using System.Globalization;

namespace RandomFit.Web.Services;

/// <summary>Writes a count with its noun in the right number, such as "1 seed" and "3 seeds".</summary>
public static class Counted
{
    /// <summary>Returns the count and the noun, adding "s" unless the count is 1.</summary>
    public static string Of(int count, string noun) => Number(count) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>Returns the count with thousands separators, such as "30,000".</summary>
    public static string Number(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
