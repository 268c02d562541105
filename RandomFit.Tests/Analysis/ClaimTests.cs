using RandomFit.Training.Analysis;
using RandomFit.Training.Training;

namespace RandomFit.Tests.Analysis;

public sealed class ClaimTests
{
    private static readonly Claim CnnNearChance = ArticleClaims.All[0];
    private static readonly Claim MlpBeatsCnn = ArticleClaims.All[1];
    private static readonly Claim PoolingHampers = ArticleClaims.All[2];
    private static readonly Claim SmallCnnOverfits = ArticleClaims.All[3];

    [Fact]
    public void Evaluate_CnnFitsRandomData_RefutesNearChance()
    {
        var runs = Cohort("cnn", [1.0, 0.99, 1.0, 0.98, 1.0]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Refuted, evaluation.Verdict);
        Assert.Equal(0.994, evaluation.Summary!.Mean, 1e-9);
        Assert.Equal(
            "The 95% interval over 5 seeds is [0.983, 1.000] for the CNN's final train accuracy. "
            + "It lies wholly above 0.7, but the claim puts it below.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_CnnStaysAtChance_SupportsNearChance()
    {
        var runs = Cohort("cnn", [0.5, 0.52, 0.55, 0.49, 0.51]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Supported, evaluation.Verdict);
        Assert.StartsWith("The 95% interval over 5 seeds is [", evaluation.Reason);
        Assert.EndsWith("It lies wholly below 0.7, as the claim says.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_IntervalStraddlesThreshold_IsInconclusive()
    {
        var runs = Cohort("cnn", [0.5, 0.9, 0.6, 0.8, 0.7]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.EndsWith("It contains 0.7, so more seeds may settle it.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_EverySeedOnThreshold_SaysSeedsAgree()
    {
        var runs = Cohort("cnn", [0.7, 0.7, 0.7]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Equal(
            "The 95% interval over 3 seeds is [0.700, 0.700] for the CNN's final train accuracy. "
            + "Every seed measured exactly 0.7, the threshold itself, so more seeds are unlikely to settle it.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_OneSeed_IsInconclusive()
    {
        var evaluation = CnnNearChance.Evaluate(Cohort("cnn", [0.5]));

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Null(evaluation.Summary!.CiLow);
        Assert.Equal(
            "Only seed 0 measures the CNN's final train accuracy, at 0.500; a t-interval needs at least 2 seeds.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_NoRuns_IsInconclusive()
    {
        var evaluation = CnnNearChance.Evaluate([]);

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Null(evaluation.Summary);
        Assert.Equal("No completed runs yet measure the CNN's final train accuracy.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_NoPairedRuns_ReasonEndsWithQuantity()
    {
        // The paired quantity ends in "paired by seed", so a "yet" after it would read as part of it.
        var evaluation = MlpBeatsCnn.Evaluate(Cohort("cnn", [0.6, 0.9]));

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Equal(
            "No completed runs yet measure the MLP's final train accuracy minus the CNN's, paired by seed.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_MlpVersusCnn_PairsBySeed()
    {
        // Unpaired, the CNN's spread across seeds would swamp a difference of 0.05.
        var runs = Cohort("cnn", [0.6, 0.9, 0.7, 0.8, 0.65]).Concat(Cohort("mlp", [0.65, 0.95, 0.75, 0.85, 0.7]));

        var evaluation = MlpBeatsCnn.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Supported, evaluation.Verdict);
        Assert.All(evaluation.Values, value => Assert.Equal(0.05, value.Value, 1e-9));
    }

    [Fact]
    public void Evaluate_SeedMissingOneModel_IsLeftOut()
    {
        var runs = Cohort("cnn", [0.6, 0.9, 0.7]).Concat(Cohort("mlp", [0.7, 1.0]));

        var evaluation = MlpBeatsCnn.Evaluate(runs);

        Assert.Equal([0, 1], evaluation.Values.Select(value => value.Seed));
    }

    [Fact]
    public void Evaluate_MaxPoolFitsBetter_RefutesPoolingClaim()
    {
        var runs = Cohort("cnn-max", [1.0, 1.0, 1.0]).Concat(Cohort("cnn-none", [0.9, 0.92, 0.88]));

        var evaluation = PoolingHampers.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Refuted, evaluation.Verdict);
    }

    [Fact]
    public void Evaluate_SmallCnnOverfits_UsesTrainMinusTest()
    {
        var runs = new[] { 0.95, 1.0, 0.97 }.Select((train, seed) => new RunFinal($"r{seed}", "cnn", null, seed, train, 0.5));

        var evaluation = SmallCnnOverfits.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Supported, evaluation.Verdict);
        Assert.Equal(0.4733, evaluation.Summary!.Mean, 1e-3);
    }

    [Fact]
    public void Evaluate_IntervalPastOne_ClippedToOne()
    {
        // Unclipped, the t-interval of these values is about [0.983, 1.005].
        var evaluation = CnnNearChance.Evaluate(Cohort("cnn", [1.0, 0.99, 1.0, 0.98, 1.0]));

        Assert.Equal(1.0, evaluation.Summary!.CiHigh);
        Assert.Equal(0.9829, evaluation.Summary.CiLow!.Value, 1e-4);
        Assert.Equal(0.98, evaluation.Summary.Min);
        Assert.Equal(1.0, evaluation.Summary.Max);
    }

    [Fact]
    public void Evaluate_DifferencePastMinusOne_ClippedToMinusOne()
    {
        // Differences -1, -1 and -0.95: the unclipped interval is about [-1.055, -0.912].
        var runs = Cohort("cnn-max", [0.0, 0.0, 0.05]).Concat(Cohort("cnn-none", [1.0, 1.0, 1.0]));

        var evaluation = PoolingHampers.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Supported, evaluation.Verdict);
        Assert.Equal(-1.0, evaluation.Summary!.CiLow);
        Assert.Equal(-0.912, evaluation.Summary.CiHigh!.Value, 1e-3);
        Assert.Equal(
            "The 95% interval over 3 seeds is [-1.000, -0.912] for the max pool CNN's final train accuracy minus the "
            + "no-pool CNN's, paired by seed. It lies wholly below 0, as the claim says.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_ClippedInterval_KeepsUnclippedVerdicts()
    {
        // The rule applied to the unclipped t-interval is the reference: clipping the shown interval must not move any
        // verdict, including samples whose interval reaches past the quantity's range.
        var random = new Random(20170101);
        var checkedSamples = 0;
        var clippedSamples = 0;
        foreach (var claim in ArticleClaims.All)
        {
            for (var sample = 0; sample < 200; sample++)
            {
                var seeds = random.Next(2, 7);
                var values = Enumerable.Range(0, seeds)
                    .Select(_ => NearBound(random, claim.Lowest, claim.Highest))
                    .ToArray();
                var unclipped = SampleSummary.Of(values)!;

                var evaluation = claim.Evaluate(RunsMeasuring(claim, values));

                Assert.Equal(values, evaluation.Values.Select(value => value.Value), (a, b) => Math.Abs(a - b) < 1e-12);
                Assert.Equal(ReferenceVerdict(claim, unclipped.CiLow!.Value, unclipped.CiHigh!.Value), evaluation.Verdict);
                Assert.InRange(evaluation.Summary!.CiLow!.Value, claim.Lowest, claim.Highest);
                Assert.InRange(evaluation.Summary.CiHigh!.Value, claim.Lowest, claim.Highest);
                checkedSamples++;
                if (unclipped.CiLow < claim.Lowest || unclipped.CiHigh > claim.Highest)
                {
                    clippedSamples++;
                }
            }
        }

        Assert.Equal(800, checkedSamples);
        Assert.True(clippedSamples > 100, $"Only {clippedSamples} of 800 samples reached past the range.");
    }

    [Fact]
    public void EpochsToFit_FirstFullAccuracy_ReturnsItsEpoch()
    {
        var epochs = new[] { 0.5, 0.9, 1.0, 1.0 }.Select((accuracy, i) => new EpochMetrics(i + 1, 0.1, accuracy, null, null, 0, 0));

        Assert.Equal(3, FitAnalysis.EpochsToFit(epochs));
        Assert.Null(FitAnalysis.EpochsToFit(epochs.Take(2)));
    }

    [Fact]
    public void SlowdownFactor_RatioOfMeans_OrNullWhenARunNeverFits()
    {
        Assert.Equal(4.0, FitAnalysis.SlowdownFactor([20, 28], [5, 7]));
        Assert.Null(FitAnalysis.SlowdownFactor([20, null], [5, 7]));
        Assert.Null(FitAnalysis.SlowdownFactor([], [5]));
    }

    private static ClaimVerdict ReferenceVerdict(Claim claim, double low, double high)
    {
        var claimedSide = claim.Side == ClaimSide.Below ? high < claim.Threshold : low > claim.Threshold;
        var otherSide = claim.Side == ClaimSide.Below ? low > claim.Threshold : high < claim.Threshold;
        if (claimedSide)
        {
            return ClaimVerdict.Supported;
        }

        return otherSide ? ClaimVerdict.Refuted : ClaimVerdict.Inconclusive;
    }

    // A value within a few hundredths of either end of the range, or anywhere in it, so that intervals reach past
    // the ends as well as straddle the thresholds.
    private static double NearBound(Random random, double lowest, double highest) => random.Next(3) switch
    {
        0 => lowest + random.NextDouble() * 0.05,
        1 => highest - random.NextDouble() * 0.05,
        _ => lowest + random.NextDouble() * (highest - lowest),
    };

    // Builds runs whose measured quantity per seed equals the given values, for each claim's way of measuring.
    private static IEnumerable<RunFinal> RunsMeasuring(Claim claim, double[] values) => claim.Number switch
    {
        1 => Cohort("cnn", values),
        2 => Differences("mlp", "cnn", values),
        3 => Differences("cnn-max", "cnn-none", values),
        _ => values.Select((value, seed) => TrainMinusTest(seed, value)),
    };

    // A difference d in [-1, 1] as two accuracies in [0, 1]: (d, 0) when d >= 0, else (0, -d).
    private static IEnumerable<RunFinal> Differences(string minuend, string subtrahend, double[] values) =>
        Cohort(minuend, [.. values.Select(value => Math.Max(value, 0))])
            .Concat(Cohort(subtrahend, [.. values.Select(value => Math.Max(-value, 0))]));

    private static RunFinal TrainMinusTest(int seed, double value) =>
        new($"cnn-{seed}", "cnn", null, seed, Math.Max(value, 0), Math.Max(-value, 0));

    private static IEnumerable<RunFinal> Cohort(string model, double[] trainAccuracies) =>
        trainAccuracies.Select((accuracy, seed) => new RunFinal($"{model}-{seed}", model, null, seed, accuracy, null));
}
