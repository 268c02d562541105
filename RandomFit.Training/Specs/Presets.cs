namespace RandomFit.Training.Specs;

/// <summary>A named experiment that ships with the application.</summary>
public sealed record Preset(string Id, string Name, string Description, ExperimentSpec Spec);

/// <summary>
/// The presets, starting with the three Keras examples of the article "Why does a CNN model struggle to fit random
/// tensors?". The article builds one (100, 100, 3) array where it means 100 images; these use 100 images.
/// All use uniform inputs, two classes with random labels, Adam at 1e-3 and batch 32.
/// </summary>
public static partial class Presets
{
    private static readonly ModelSpec ArticleCnn = new()
    {
        Name = "cnn",
        Kind = ModelKind.Cnn,
        Conv = [new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Valid, Pool = PoolKind.Max, PoolSize = 2 }],
        Dense = [],
    };

    private static readonly ModelSpec ArticleMlp = new() { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64] };

    private static readonly ModelSpec SmallCnn = new()
    {
        Name = "cnn",
        Kind = ModelKind.Cnn,
        Conv = [new ConvSpec { Filters = 8, Kernel = 3, Padding = Padding.Valid, Pool = PoolKind.Max, PoolSize = 2 }],
        Dense = [],
    };

    /// <summary>Every preset, in display order.</summary>
    public static IReadOnlyList<Preset> All { get; } =
    [
        Create(
            "article-example-1",
            "Article example 1: CNN on random tensors",
            "Can a small CNN (conv 32 3x3, max pool 2) fit 100 random 3x100x100 images with random binary labels "
            + "in 10 epochs? The article claims it stays near chance.",
            Images(channels: 3, side: 100, testSamples: 0),
            [ArticleCnn],
            epochs: 10,
            seeds: [0]),
        Create(
            "article-example-2",
            "Article example 2: MLP on random tensors",
            "Can an MLP with one hidden layer of 64 units fit the same 100 random images with random binary labels "
            + "in 10 epochs? The article claims it does better than the CNN.",
            Images(channels: 3, side: 100, testSamples: 0),
            [ArticleMlp],
            epochs: 10,
            seeds: [0]),
        Create(
            "article-example-3",
            "Article example 3: small CNN trained long",
            "Does a small CNN (conv 8 3x3, max pool 2) trained for 100 epochs memorize 100 random 1x10x10 images "
            + "while staying at chance on 20 held-out ones?",
            Images(channels: 1, side: 10, testSamples: 20),
            [SmallCnn],
            epochs: 100,
            seeds: [0]),
        Create(
            "cnn-vs-mlp",
            "CNN vs MLP on random tensors",
            "Example 1's CNN against example 2's MLP on the same 100 random 3x100x100 images plus 100 held out, "
            + "20 epochs, seeds 0-4: which one fits random labels, and how reliably across seeds?",
            Images(channels: 3, side: 100, testSamples: 100),
            [ArticleCnn, ArticleMlp],
            epochs: 20,
            seeds: [0, 1, 2, 3, 4]),
        ZhangRandomization(),
        PoolingAblation(),
        CapacitySweep(),
    ];

    /// <summary>Returns the preset with this id, or null.</summary>
    public static Preset? Find(string id) => All.FirstOrDefault(preset => preset.Id == id);

    private static DataSpec Images(int channels, int side, int testSamples) => new()
    {
        Shape = new ShapeSpec { Channels = channels, Height = side, Width = side },
        TrainSamples = 100,
        TestSamples = testSamples,
        Classes = 2,
        Inputs = InputKind.Uniform,
        Labels = LabelKind.Random,
    };

    private static Preset Create(
        string id,
        string name,
        string description,
        DataSpec data,
        IReadOnlyList<ModelSpec> models,
        int epochs,
        IReadOnlyList<int> seeds)
    {
        var spec = new ExperimentSpec
        {
            Name = name,
            Data = data,
            Models = models,
            Training = new TrainingSpec { Epochs = epochs, BatchSize = 32, Optimizer = OptimizerKind.Adam, LearningRate = 0.001 },
            Seeds = seeds,
        };
        return new Preset(id, name, description, spec);
    }
}
