namespace RandomFit.Training.Specs;

/// <summary>
/// The randomization tests of Zhang et al. (2017), "Understanding deep learning requires rethinking
/// generalization", scaled down to finish in minutes on a 2-core CPU, and the ablations the claims page uses.
/// </summary>
public static partial class Presets
{
    // A method, not a static property: All is initialized first and would see a property still null.
    private static IReadOnlyList<DataCondition> RandomizationConditions() =>
    [
        new DataCondition { Name = "true-labels" },
        new DataCondition { Name = "corrupted-0.5", Labels = LabelKind.Corrupted, Corruption = 0.5 },
        new DataCondition { Name = "random-labels", Labels = LabelKind.Random },
        new DataCondition { Name = "shuffled-pixels", Pixels = PixelTransform.Shuffled },
        new DataCondition { Name = "random-pixels", Pixels = PixelTransform.Random },
        new DataCondition { Name = "gaussian", Pixels = PixelTransform.Gaussian },
        new DataCondition { Name = "uniform", Inputs = InputKind.Uniform, Labels = LabelKind.Random },
    ];

    private static Preset ZhangRandomization()
    {
        // conv 8 3x3 same + max pool 2, conv 16 3x3 same + max pool 2, then the output: 11,642 parameters.
        // It flattens its 16x8x8 feature map without global pooling, so it can memorize random labels. The structured
        // images carry 10 template copies each, which lets its dense weights find the class in every region.
        var cnn = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 8, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 16, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
            ],
            Dense = [],
        };
        var mlp = new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [64] };
        var data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 32, Width = 32 },
            TrainSamples = 1000,
            TestSamples = 200,
            Classes = 10,
            Inputs = InputKind.Structured,
            Labels = LabelKind.True,
            Standardize = true,
            Conditions = RandomizationConditions(),
        };
        return Create(
            "zhang-randomization",
            "Randomization test: CNN and MLP across seven conditions",
            "A two-block CNN and an MLP on 1,000 structured 3x32x32 images with 10 classes, under true labels, "
            + "half the labels corrupted, random labels, shuffled pixels, random pixels, Gaussian and uniform inputs. "
            + "Do both fit every condition, and does held-out accuracy fall to chance as the structure goes?",
            data,
            [cnn, mlp],
            epochs: 30,
            seeds: [0, 1, 2]);
    }

    private static Preset PoolingAblation()
    {
        ModelSpec Variant(string name, PoolKind pool) => new()
        {
            Name = name,
            Kind = ModelKind.Cnn,
            Conv = [new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Valid, Pool = pool, PoolSize = 2 }],
            Dense = [],
        };

        return Create(
            "pooling-ablation",
            "Pooling ablation on random tensors",
            "Example 1's CNN with max pooling, average pooling and no pooling on example 1's 100 random 3x100x100 "
            + "images with random binary labels, 10 epochs: does pooling hamper fitting random data?",
            Images(channels: 3, side: 100, testSamples: 0),
            [Variant("cnn-max", PoolKind.Max), Variant("cnn-avg", PoolKind.Avg), Variant("cnn-none", PoolKind.None)],
            epochs: 10,
            seeds: [0, 1, 2]);
    }

    private static Preset CapacitySweep()
    {
        ModelSpec Width(int units) => new() { Name = $"mlp-{units}", Kind = ModelKind.Mlp, Hidden = [units] };

        DataCondition Samples(int count) => new() { Name = $"n-{count}", TrainSamples = count };

        var data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 8, Width = 8 },
            TrainSamples = 100,
            Classes = 10,
            Inputs = InputKind.Normal,
            Labels = LabelKind.Random,
            Conditions = [Samples(100), Samples(200), Samples(400), Samples(800)],
        };
        return Create(
            "capacity-sweep",
            "Capacity sweep: samples against MLP width",
            "MLPs with 16, 64 and 256 hidden units on 100 to 800 random 3x8x8 inputs with 10 random classes, "
            + "50 epochs: how many random labels can each width memorize?",
            data,
            [Width(16), Width(64), Width(256)],
            epochs: 50,
            seeds: [0, 1, 2]);
    }
}
