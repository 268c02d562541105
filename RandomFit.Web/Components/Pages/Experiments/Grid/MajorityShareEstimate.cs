namespace RandomFit.Web.Components.Pages.Experiments.Grid;

/// <summary>
/// The expected share of the most common class among n labels drawn uniformly from k classes: the accuracy of
/// always predicting the majority class, which random labels let a model reach without memorizing anything.
/// </summary>
public static class MajorityShareEstimate
{
    private const int Draws = 400;
    private const long MaxLabels = 4_000_000;

    /// <summary>
    /// Estimates the share by a fixed-seed Monte Carlo simulation, so the same inputs always give the same figure.
    /// </summary>
    public static double Of(int samples, int classes)
    {
        if (samples <= 0 || classes < 2)
        {
            return classes < 2 ? 1.0 : 1.0 / Math.Max(classes, 1);
        }

        // NOTE: this estimates the expectation, not the share of one seed's labels, which would need the generated
        // data. Above 10,000 samples it simulates fewer draws, so the estimate gets coarser.
        var draws = (int)Math.Clamp(MaxLabels / samples, 1, Draws);
        var random = new Random(12345);
        var counts = new int[classes];
        double total = 0;
        for (var draw = 0; draw < draws; draw++)
        {
            Array.Clear(counts);
            for (var i = 0; i < samples; i++)
            {
                counts[random.Next(classes)]++;
            }

            total += counts.Max();
        }

        return total / draws / samples;
    }
}
