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
    /// Computes the share exactly for two classes. For more classes it estimates the share by a fixed-seed Monte
    /// Carlo simulation, so the same inputs always give the same figure.
    /// </summary>
    public static double Of(int samples, int classes)
    {
        if (samples <= 0 || classes < 2)
        {
            return classes < 2 ? 1.0 : 1.0 / Math.Max(classes, 1);
        }

        if (classes == 2)
        {
            return BinaryShare(samples);
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

    // With K ~ Binomial(n, 1/2) labels of class 1, E[max(K, n - K)] / n = 1/2 + C(n - 1, floor(n/2)) / 2^n, summed in
    // logarithms because 2^n overflows a double above n = 1023.
    private static double BinaryShare(int samples)
    {
        var half = samples / 2;
        var logBinomial = 0.0;
        for (var i = 1; i <= half; i++)
        {
            logBinomial += Math.Log(samples - 1 - half + i) - Math.Log(i);
        }

        return 0.5 + Math.Exp(logBinomial - samples * Math.Log(2));
    }
}
