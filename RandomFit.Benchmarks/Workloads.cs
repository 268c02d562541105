using RandomFit.Training.Specs;

namespace RandomFit.Benchmarks;

/// <summary>A named spec to time; the spec's first model and first seed are trained.</summary>
public sealed record Workload(string Name, ExperimentSpec Spec);

/// <summary>The measured workloads: the article's three presets and two CIFAR-sized models.</summary>
public static class Workloads
{
    /// <summary>Every workload, in the order the table prints them.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        FromPreset("article-example-1"),
        FromPreset("article-example-2"),
        FromPreset("article-example-3"),
        new("zhang-cnn", ZhangSpec(new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv =
            [
                new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
                new ConvSpec { Filters = 32, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.Max, PoolSize = 2 },
            ],
            Dense = [128],
        })),
        new("zhang-mlp", ZhangSpec(new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [512, 512] })),
        new("memorization-mlp", MemorizationMlpSpec()),
    ];

    // 1,024 samples of 3x8x8 from N(0, 1), 10 random classes, MLP 192-256-10, batch 64.
    private static ExperimentSpec MemorizationMlpSpec() => new()
    {
        Name = "benchmark",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 8, Width = 8 },
            TrainSamples = 1024,
            Classes = 10,
            Inputs = InputKind.Normal,
        },
        Models = [new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = [256] }],
        Training = new TrainingSpec { Epochs = 10, BatchSize = 64 },
        Seeds = [0],
    };

    private static Workload FromPreset(string id)
    {
        var preset = Presets.Find(id) ?? throw new InvalidOperationException($"Preset {id} is missing.");
        return new Workload(id, preset.Spec with { Seeds = [0] });
    }

    // 2,000 samples of 3x32x32 with 10 random classes, the size of a CIFAR10 subset.
    private static ExperimentSpec ZhangSpec(ModelSpec model) => new()
    {
        Name = "benchmark",
        Data = new DataSpec
        {
            Shape = new ShapeSpec { Channels = 3, Height = 32, Width = 32 },
            TrainSamples = 2000,
            Classes = 10,
            Inputs = InputKind.Uniform,
        },
        Models = [model],
        Training = new TrainingSpec { Epochs = 5, BatchSize = 32 },
        Seeds = [0],
    };
}
