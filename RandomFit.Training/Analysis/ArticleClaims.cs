namespace RandomFit.Training.Analysis;

/// <summary>
/// The four claims of the article "Why does a CNN model struggle to fit random tensors?", each tested on the
/// runs of a preset over seeds 0-4.
/// </summary>
public static class ArticleClaims
{
    /// <summary>The seeds a claim's preset is started with, so that each claim gets a t-interval over 5 values.</summary>
    public static IReadOnlyList<int> Seeds { get; } = [0, 1, 2, 3, 4];

    /// <summary>The four claims in the article's order.</summary>
    public static IReadOnlyList<Claim> All { get; } =
    [
        new Claim(
            1,
            "A CNN trained on random tensors with random labels ends close to chance.",
            "article-example-1",
            "the CNN's final train accuracy",
            // Two classes: chance is 0.5, and "close to chance" means below chance + 0.2.
            0.7,
            ClaimSide.Below,
            0,
            1,
            ["cnn"],
            runs => Train(runs, "cnn")),
        new Claim(
            2,
            "An MLP does better than a CNN on purely random data.",
            "cnn-vs-mlp",
            "the MLP's final train accuracy minus the CNN's, paired by seed",
            0,
            ClaimSide.Above,
            -1,
            1,
            ["mlp", "cnn"],
            runs => Train(runs, "mlp") - Train(runs, "cnn")),
        new Claim(
            3,
            "Pooling discards information and hampers fitting random data.",
            "pooling-ablation",
            "the max pool CNN's final train accuracy minus the no-pool CNN's, paired by seed",
            0,
            ClaimSide.Below,
            -1,
            1,
            ["cnn-max", "cnn-none"],
            runs => Train(runs, "cnn-max") - Train(runs, "cnn-none")),
        new Claim(
            4,
            "A small CNN trained long on random data overfits: high training accuracy, chance-level test accuracy.",
            "article-example-3",
            "the CNN's final train accuracy minus its final test accuracy",
            0.2,
            ClaimSide.Above,
            -1,
            1,
            ["cnn"],
            runs => Train(runs, "cnn") - runs.FirstOrDefault(run => run.Model == "cnn")?.TestAccuracy),
    ];

    private static double? Train(IReadOnlyList<RunFinal> runs, string model) =>
        runs.FirstOrDefault(run => run.Model == model)?.TrainAccuracy;
}
