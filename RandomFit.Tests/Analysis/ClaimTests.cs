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
            "The 95% interval [0.983, 1.005] of the CNN's final train accuracy over 5 seeds lies wholly above 0.7; "
            + "the claim puts it below.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_CnnStaysAtChance_SupportsNearChance()
    {
        var runs = Cohort("cnn", [0.5, 0.52, 0.55, 0.49, 0.51]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Supported, evaluation.Verdict);
        Assert.StartsWith("The 95% interval [", evaluation.Reason);
        Assert.EndsWith("lies wholly below 0.7, as the claim says.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_IntervalStraddlesThreshold_IsInconclusive()
    {
        var runs = Cohort("cnn", [0.5, 0.9, 0.6, 0.8, 0.7]);

        var evaluation = CnnNearChance.Evaluate(runs);

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.EndsWith("contains 0.7; more seeds may settle it.", evaluation.Reason);
    }

    [Fact]
    public void Evaluate_OneSeed_IsInconclusive()
    {
        var evaluation = CnnNearChance.Evaluate(Cohort("cnn", [0.5]));

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Null(evaluation.Summary!.CiLow);
        Assert.Equal(
            "Only seed 0 measures the CNN's final train accuracy, at 0.5; a t-interval needs at least 2 seeds.",
            evaluation.Reason);
    }

    [Fact]
    public void Evaluate_NoRuns_IsInconclusive()
    {
        var evaluation = CnnNearChance.Evaluate([]);

        Assert.Equal(ClaimVerdict.Inconclusive, evaluation.Verdict);
        Assert.Null(evaluation.Summary);
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

    private static IEnumerable<RunFinal> Cohort(string model, double[] trainAccuracies) =>
        trainAccuracies.Select((accuracy, seed) => new RunFinal($"{model}-{seed}", model, null, seed, accuracy, null));
}
