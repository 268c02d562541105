using System.Globalization;

namespace RandomFit.Training.Analysis;

/// <summary>
/// One of the article's claims, tested through a quantity measured per seed and the threshold the claim implies.
/// </summary>
/// <param name="Number">1 to 4, the claim's position on the claims page.</param>
/// <param name="Text">The claim as the article makes it.</param>
/// <param name="PresetId">The preset whose runs measure the quantity.</param>
/// <param name="Quantity">What is measured, as a noun phrase for the reason sentence.</param>
/// <param name="Threshold">The value the claim puts its quantity below or above.</param>
/// <param name="Side">Where the claim puts the quantity relative to the threshold.</param>
/// <param name="Lowest">The smallest value the quantity can take: 0 for an accuracy, -1 for a difference of two accuracies.</param>
/// <param name="Highest">The largest value the quantity can take: 1 for an accuracy or a difference of two accuracies.</param>
/// <param name="Models">The model variants whose runs <paramref name="Measure"/> reads.</param>
/// <param name="Measure">
/// The quantity for one seed from that seed's final runs, or null when a run it needs is missing.
/// </param>
public sealed record Claim(
    int Number,
    string Text,
    string PresetId,
    string Quantity,
    double Threshold,
    ClaimSide Side,
    double Lowest,
    double Highest,
    IReadOnlyList<string> Models,
    Func<IReadOnlyList<RunFinal>, double?> Measure)
{
    /// <summary>
    /// Computes the quantity per seed and its 95% t-interval, then the verdict: supported when the interval lies
    /// wholly on the claim's side of the threshold, refuted when it lies wholly on the other side, and inconclusive
    /// when it straddles the threshold or fewer than 2 seeds have the runs the quantity needs. The verdict is decided on
    /// the unclipped interval, while the returned summary and the reason show it clipped to
    /// [<see cref="Lowest"/>, <see cref="Highest"/>], as the experiment summary does.
    /// </summary>
    public ClaimEvaluation Evaluate(IEnumerable<RunFinal> runs)
    {
        var values = runs
            .GroupBy(run => run.Seed)
            .OrderBy(group => group.Key)
            .Select(group => (Seed: group.Key, Value: Measure(group.ToList())))
            .Where(entry => entry.Value is not null)
            .Select(entry => new SeedValue(entry.Seed, entry.Value!.Value))
            .ToList();
        var sample = values.Select(entry => entry.Value).ToList();
        var summary = SampleSummary.Of(sample, Lowest, Highest);
        if (summary is null)
        {
            return new ClaimEvaluation(values, null, ClaimVerdict.Inconclusive, $"No completed runs yet measure {Quantity}.");
        }

        var unclipped = SampleSummary.Of(sample)!;
        if (unclipped.CiLow is not { } low || unclipped.CiHigh is not { } high)
        {
            return new ClaimEvaluation(
                values,
                summary,
                ClaimVerdict.Inconclusive,
                $"Only seed {values[0].Seed} measures {Quantity}, at {FormatMeasured(summary.Mean)}; a t-interval needs at least 2 seeds.");
        }

        // Two sentences, because a quantity such as "the MLP's final train accuracy minus the CNN's, paired by seed"
        // runs straight into the verb when the verdict follows it in one clause.
        var interval =
            $"The 95% interval over {values.Count} seeds is [{FormatMeasured(summary.CiLow!.Value)}, "
            + $"{FormatMeasured(summary.CiHigh!.Value)}] for {Quantity}.";
        var claimed = Side == ClaimSide.Below ? "below" : "above";
        var other = Side == ClaimSide.Below ? "above" : "below";
        var onClaimedSide = Side == ClaimSide.Below ? high < Threshold : low > Threshold;
        var onOtherSide = Side == ClaimSide.Below ? low > Threshold : high < Threshold;
        if (onClaimedSide)
        {
            return new ClaimEvaluation(
                values,
                summary,
                ClaimVerdict.Supported,
                $"{interval} It lies wholly {claimed} {Format(Threshold)}, as the claim says.");
        }

        if (onOtherSide)
        {
            return new ClaimEvaluation(
                values,
                summary,
                ClaimVerdict.Refuted,
                $"{interval} It lies wholly {other} {Format(Threshold)}, but the claim puts it {claimed}.");
        }

        // An interval without width (up to rounding in the mean) at the threshold means every seed measured the
        // threshold, so more seeds would most likely measure it again.
        var reason = high - low < 1e-9
            ? $"{interval} Every seed measured exactly {Format(Threshold)}, the threshold itself, "
                + "so more seeds are unlikely to settle it."
            : $"{interval} It contains {Format(Threshold)}, so more seeds may settle it.";
        return new ClaimEvaluation(values, summary, ClaimVerdict.Inconclusive, reason);
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// Formats a measured value with three decimals, so both ends of an interval read alike, and reads 0, 1 or -1
    /// only for exactly that value, as <see cref="Fractions.Round"/> rounds.
    /// </summary>
    public static string FormatMeasured(double value) =>
        Fractions.Round(value, 3).ToString("0.000", CultureInfo.InvariantCulture);
}
