using System.Globalization;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Parses and formats seed lists such as "0-4" or "0, 1, 7-9".</summary>
public static class SeedList
{
    // Ranges are expanded before validation, so an absurd range must stop here rather than allocate billions of ints.
    private const int MaxExpandedSeeds = 100_000;

    /// <summary>Parses comma-separated seeds and inclusive ranges; returns null and an error message when invalid.</summary>
    public static IReadOnlyList<int>? Parse(string? text, out string? error)
    {
        error = null;
        var seeds = new List<int>();
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            error = "Enter at least one seed, for example \"0\" or \"0-4\".";
            return null;
        }

        foreach (var part in parts)
        {
            var dash = part.IndexOf('-', 1);
            var first = dash < 0 ? part : part[..dash].Trim();
            var last = dash < 0 ? part : part[(dash + 1)..].Trim();
            if (!TryParseSeed(first, out var from) || !TryParseSeed(last, out var to))
            {
                error = $"{EchoedText.Quote(part, '"')} is not a seed or a range: "
                    + "use integers from 0 to 2147483647, such as 3 or 0-4.";
                return null;
            }

            if (to < from)
            {
                error = $"The range {EchoedText.Quote(part, '"')} runs backwards: write the smaller seed first.";
                return null;
            }

            if ((long)to - from + seeds.Count >= MaxExpandedSeeds)
            {
                error = $"{EchoedText.Quote(part, '"')} expands to too many seeds: at most {MaxExpandedSeeds:N0} can be listed.";
                return null;
            }

            for (long seed = from; seed <= to; seed++)
            {
                seeds.Add((int)seed);
            }
        }

        return seeds;
    }

    /// <summary>Formats seeds compactly, joining consecutive runs into ranges ("0-4, 7").</summary>
    public static string Format(IReadOnlyList<int> seeds)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < seeds.Count)
        {
            var j = i;
            while (j + 1 < seeds.Count && (long)seeds[j + 1] == (long)seeds[j] + 1)
            {
                j++;
            }

            parts.Add(j > i
                ? string.Create(CultureInfo.InvariantCulture, $"{seeds[i]}-{seeds[j]}")
                : seeds[i].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }

    private static bool TryParseSeed(string text, out int seed) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed);
}
