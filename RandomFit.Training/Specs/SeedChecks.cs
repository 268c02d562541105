using System.Globalization;

namespace RandomFit.Training.Specs;

/// <summary>
/// The checks and error messages for a list of run seeds, shared by a spec's <c>seeds</c>, the request's top-level
/// <c>seeds</c> and the seeds added to an experiment, so the three word one rule the same way.
/// </summary>
public static class SeedChecks
{
    /// <summary>Returns the message for a seed list whose length is outside 1 to <paramref name="maxSeeds"/>.</summary>
    public static string CountMessage(int maxSeeds, int count) =>
        $"Seeds must have 1 to {Number(maxSeeds)} entries (RandomFit:Limits:MaxSeeds); got {Number(count)}.";

    /// <summary>Returns the message for a seed below 0.</summary>
    public static string RangeMessage(string label, int seed) => $"{label} must be between 0 and 2147483647; got {seed}.";

    /// <summary>
    /// Returns each entry's problem, by index: a seed below 0, or a seed that an earlier entry already gave.
    /// </summary>
    public static IEnumerable<(int Index, string Message)> EntryErrors(IReadOnlyList<int> seeds)
    {
        var seen = new HashSet<int>();
        for (var i = 0; i < seeds.Count; i++)
        {
            if (seeds[i] < 0)
            {
                yield return (i, RangeMessage("Seed", seeds[i]));
            }
            else if (!seen.Add(seeds[i]))
            {
                yield return (i, $"Seed {seeds[i]} appears more than once; seeds must be distinct.");
            }
        }
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
