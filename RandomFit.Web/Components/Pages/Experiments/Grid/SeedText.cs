using System.Globalization;

namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>Reads seeds typed as a list ("5, 6, 7") or a range ("5-9").</summary>
public static class SeedText
{
    private const int MaxRangeLength = 10_000;

    public static (IReadOnlyList<int> Seeds, string? Error) Parse(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', 2);
            if (!int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || (bounds.Length == 2 && !int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                return ([], $"\"{part}\" is not a seed or a range such as 5-9; seeds are integers from 0 to 2147483647.");
            }

            var last = bounds.Length == 2 ? int.Parse(bounds[1], CultureInfo.InvariantCulture) : first;
            if (last < first || (long)last - first >= MaxRangeLength)
            {
                return ([], $"The range \"{part}\" must go upwards and span at most {MaxRangeLength} seeds.");
            }

            seeds.AddRange(Enumerable.Range(first, last - first + 1));
        }

        return seeds.Count == 0 ? ([], "Type at least one seed, for example 5, 6 or 5-9.") : (seeds, null);
    }
}
